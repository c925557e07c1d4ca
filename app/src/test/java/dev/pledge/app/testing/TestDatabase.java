package dev.pledge.app.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pledge.app.database.EmbeddedDatabase;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of a test JVM: the embedded one, started on first use, or the server
 * named by {@code PLEDGE_TEST_DATABASE_URL} (+ {@code _USER} / {@code _PASSWORD}). Each test class
 * gets its own freshly migrated schema from {@link #newSchema(String)}.
 */
public final class TestDatabase {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static volatile TestDatabase shared;

    private final String url;
    private final String user;
    private final String password;
    private final boolean embedded;

    private TestDatabase(String url, String user, String password, boolean embedded) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    public static TestDatabase shared() {
        TestDatabase db = shared;
        if (db == null) {
            synchronized (TestDatabase.class) {
                db = shared;
                if (db == null) {
                    db = start();
                    shared = db;
                }
            }
        }
        return db;
    }

    private static TestDatabase start() {
        String external = System.getenv("PLEDGE_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            return new TestDatabase(external, System.getenv("PLEDGE_TEST_DATABASE_USER"),
                    System.getenv("PLEDGE_TEST_DATABASE_PASSWORD"), false);
        }
        EmbeddedDatabase server = EmbeddedDatabase.startTemporary();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        return new TestDatabase(server.jdbcUrl(), server.user(), null, true);
    }

    public boolean embedded() {
        return embedded;
    }

    /** Creates an empty schema named after {@code hint}, applies every Flyway migration to it, and returns it. */
    public TestSchema newSchema(String hint) {
        String name = ("t" + SCHEMAS.incrementAndGet() + "_" + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test schema " + name + " on " + url, e);
        }
        Flyway.configure()
                .dataSource(url, user, password)
                .schemas(name)
                .defaultSchema(name)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return new TestSchema(this, name, withSchema(url, name), user, password);
    }

    HikariDataSource pool(TestSchema schema, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema.url());
        config.setUsername(schema.user());
        config.setPassword(schema.password());
        config.setMaximumPoolSize(size);
        config.setPoolName("test-" + schema.name());
        return new HikariDataSource(config);
    }

    void drop(TestSchema schema) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema.name() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema.name(), e);
        }
    }

    private static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
