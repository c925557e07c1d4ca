package dev.pledge.app.testing;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * One migrated schema of the test database, with a connection pool whose connections have it as
 * their current schema. Closing it closes the pool and drops the schema.
 */
public final class TestSchema implements AutoCloseable {
    private final TestDatabase database;
    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private HikariDataSource pool;

    TestSchema(TestDatabase database, String name, String url, String user, String password) {
        this.database = database;
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public String name() {
        return name;
    }

    /** JDBC URL whose {@code currentSchema} is this schema. */
    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A pooled data source on this schema (up to 40 connections, enough for the worker tests). */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            pool = database.pool(this, 40);
        }
        return pool;
    }

    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource());
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
        database.drop(this);
    }
}
