package dev.pledge.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server the benchmarks run on: an embedded one (zonky binaries) started for the
 * run, or an existing one named by {@code PLEDGE_BENCH_DATABASE_URL} (with
 * {@code PLEDGE_BENCH_DATABASE_USER} / {@code PLEDGE_BENCH_DATABASE_PASSWORD}). Every scenario run
 * gets a fresh database on it, so {@code pg_stat_database} counts only that run.
 */
public final class BenchDatabase implements AutoCloseable {
    /** The embedded server runs with PostgreSQL's durable defaults unless told otherwise. */
    static final Map<String, String> EMBEDDED_DEFAULTS = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "max_connections", "300",
            "shared_buffers", "256MB");

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final String user;
    private final String password;

    private BenchDatabase(EmbeddedPostgres embedded, String adminUrl, String user, String password) {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
    }

    /** The server named by the environment, or a new embedded one with {@code settings} on top of the defaults. */
    public static BenchDatabase start(Map<String, String> settings) {
        String url = System.getenv("PLEDGE_BENCH_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("PLEDGE_BENCH_DATABASE_USER", "postgres");
            String password = System.getenv().getOrDefault("PLEDGE_BENCH_DATABASE_PASSWORD", "");
            Progress.say("using PostgreSQL at %s as %s (PLEDGE_BENCH_DATABASE_URL)", url, user);
            return new BenchDatabase(null, url, user, password);
        }
        Map<String, String> config = new LinkedHashMap<>(EMBEDDED_DEFAULTS);
        config.putAll(settings);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(90));
        config.forEach(builder::setServerConfig);
        long t0 = System.nanoTime();
        try {
            EmbeddedPostgres pg = builder.start();
            Progress.say("embedded PostgreSQL on port %d started in %d ms (%s)", pg.getPort(),
                    (System.nanoTime() - t0) / 1_000_000, config);
            return new BenchDatabase(pg, "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public boolean embedded() {
        return embedded != null;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Creates an empty database for one scenario run and returns its name. */
    public String createDatabase(String scenario) {
        String name = ("pledge_bench_" + scenario.replace('-', '_') + "_" + ProcessHandle.current().pid() + "_"
                + DATABASES.incrementAndGet()).toLowerCase();
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " (the benchmark user needs "
                    + "CREATEDB): " + e.getMessage(), e);
        }
        return name;
    }

    public void dropDatabase(String name) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            Progress.say("could not drop database %s: %s", name, e.getMessage());
        }
    }

    public String jdbcUrl(String database) {
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    /** A pooled data source on one database. */
    public HikariDataSource pool(String database, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    /** A plain connection (autocommit) on one database. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    private Connection admin() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(adminUrl, p);
    }

    /** Server version and the settings that bound commit-heavy figures. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", embedded() ? "embedded (zonky)" : "PLEDGE_BENCH_DATABASE_URL");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), "
                    + "current_setting('fsync'), current_setting('synchronous_commit'), "
                    + "current_setting('shared_buffers'), current_setting('max_connections')")) {
                rs.next();
                m.put("version", rs.getString(1));
                m.put("fsync", rs.getString(2));
                m.put("synchronous_commit", rs.getString(3));
                m.put("shared_buffers", rs.getString(4));
                m.put("max_connections", Integer.parseInt(rs.getString(5)));
            }
        } catch (SQLException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    /**
     * {@code pg_stat_database.xact_commit} of one database, read from the admin database so the
     * reading itself is not counted. Backends report their counts up to a few seconds late (at
     * exit, or when idle), so this waits until two readings {@code settle} apart agree, up to
     * {@code patience}.
     */
    public long settledCommits(String database, Duration settle, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long previous = commits(database);
        while (System.nanoTime() < deadline) {
            sleep(settle);
            long now = commits(database);
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    public long commits(String database) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = '"
                    + database + "'")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pg_stat_database: " + e.getMessage(), e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                Progress.say("could not stop the embedded PostgreSQL: %s", e.getMessage());
            }
        }
    }
}
