package dev.pledge.app.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real PostgreSQL server run from the embedded binaries (zonky), for `pledge serve` without a
 * configured database and for the test harness. Works when started as root.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    /**
     * The persistent server's durability: the write-ahead record of a purchase attempt must be on disk
     * before the cloud call (the embedded library's defaults turn synchronous_commit off).
     */
    static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on",
            "password_encryption", "scram-sha-256",
            "listen_addresses", "localhost");

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts (initialising on first use) a durable server whose data lives in {@code dataDirectory}
     * and survives restarts. A {@code postmaster.pid} left by a crashed server is removed first.
     * The superuser has a random password ({@link ServerPassword}, a 0600 file next to the data
     * directory) and every connection must give it (SCRAM): no local user is trusted. A data
     * directory made by an earlier version (trust) gets its password on this start.
     */
    public static EmbeddedDatabase startPersistent(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            removeStalePostmasterPid(dataDirectory);
            ServerPassword password = ServerPassword.of(dataDirectory);
            boolean initialised = Files.exists(dataDirectory.resolve("PG_VERSION"));
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false);
            if (initialised && !password.exists()) {
                return upgradeFromTrust(builder, password);
            }
            String secret = password.readOrCreate();
            if (!initialised) {
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", password.file().toString());
            }
            builder.setDataDirectoryCustomizer(dir -> ServerPassword.requirePasswords(dir.toPath()))
                    .setConnectConfig("password", secret);
            return start(builder, DURABLE, secret);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the embedded PostgreSQL data directory "
                    + dataDirectory.toAbsolutePath(), e);
        }
    }

    /** A data directory initialised with trust: start it once as it is, set the password, then require it. */
    private static EmbeddedDatabase upgradeFromTrust(EmbeddedPostgres.Builder builder, ServerPassword password)
            throws IOException {
        EmbeddedDatabase db = start(builder, DURABLE, null);
        String secret = password.readOrCreate();
        try (var c = db.postgres.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("SET password_encryption = 'scram-sha-256'");
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + secret + "'");
            ServerPassword.requirePasswords(password.dataDirectory());
            s.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            db.close();
            throw new IllegalStateException("could not set the embedded PostgreSQL password: " + e.getMessage(), e);
        }
        log.warn("the embedded PostgreSQL in {} trusted local connections; it now requires the password in {}",
                password.dataDirectory(), password.file());
        return new EmbeddedDatabase(db.postgres, secret);
    }

    /**
     * Starts a throw-away server in a temporary directory, tuned for tests: no fsync, since the
     * data dies with the process anyway.
     */
    public static EmbeddedDatabase startTemporary() {
        return start(EmbeddedPostgres.builder(), Map.of(
                "fsync", "off",
                "synchronous_commit", "off",
                "full_page_writes", "off",
                "max_connections", "300"), null);
    }

    private static EmbeddedDatabase start(EmbeddedPostgres.Builder builder, Map<String, String> serverConfig,
                                          String password) {
        serverConfig.forEach(builder::setServerConfig);
        builder.setPGStartupWait(Duration.ofSeconds(60));
        try {
            EmbeddedDatabase db = new EmbeddedDatabase(builder.start(), password);
            log.info("embedded PostgreSQL listening on port {}", db.port());
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A server that crashed (or was killed) leaves {@code postmaster.pid} behind, and PostgreSQL then
     * refuses to start. The file is removed when the process it names is gone; a live process is
     * left alone and reported, since two servers must never share one data directory.
     *
     * @return true when a stale file was removed
     */
    public static boolean removeStalePostmasterPid(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        Optional<Long> pid = readPid(pidFile);
        if (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("PostgreSQL (pid " + pid.get() + ") is still running on "
                    + dataDirectory.toAbsolutePath() + "; stop it or choose another data directory");
        }
        Files.delete(pidFile);
        log.warn("removed stale {} (pid {} is not running)", pidFile, pid.map(String::valueOf).orElse("unreadable"));
        return true;
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of the default database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** The superuser's password, or null for the throw-away test server (which trusts loopback). */
    public String password() {
        return password;
    }

    /** An unpooled data source of the default database (for set-up work, not for the service). */
    public DataSource dataSource() {
        return password == null ? postgres.getPostgresDatabase()
                : postgres.getPostgresDatabase(Map.of("password", password));
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        }
    }
}
