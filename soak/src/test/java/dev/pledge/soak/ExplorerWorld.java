package dev.pledge.soak;

import dev.pledge.app.PledgeApplication;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.emulator.Emulator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What the explorer runs against, all real and in this JVM: PostgreSQL (embedded, restartable on
 * the same data and port), the project's emulator with a clock that can be skewed, and the unmodified
 * Pledge application (its workers, sweeps, LISTEN/NOTIFY and real executors over HTTP).
 */
final class ExplorerWorld implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

    /** A clock whose offset from the system clock can be set at any time. */
    static final class SkewedClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void set(Duration skew) {
            offset = skew;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    final SoakDatabase db;
    private final SkewedClock cloudClock;
    final Emulator emulator;
    final ConfigurableApplicationContext app;
    final ExecutionService executions;
    final AccountService accounts;
    final JdbcTemplate sql;

    private ExplorerWorld(SoakDatabase db, SkewedClock cloudClock, Emulator emulator,
                          ConfigurableApplicationContext app) {
        this.db = db;
        this.cloudClock = cloudClock;
        this.emulator = emulator;
        this.app = app;
        this.executions = app.getBean(ExecutionService.class);
        this.accounts = app.getBean(AccountService.class);
        this.sql = app.getBean(JdbcTemplate.class);
    }

    static ExplorerWorld start(Path work) {
        SoakDatabase db = SoakDatabase.start(work.resolve("pgdata"));
        SkewedClock clock = new SkewedClock();
        Emulator emulator = Emulator.builder().bindAddress("127.0.0.1").clock(clock).build().start();
        try {
            ConfigurableApplicationContext app = new SpringApplication(PledgeApplication.class).run(
                    arguments(db, emulator).toArray(String[]::new));
            return new ExplorerWorld(db, clock, emulator, app);
        } catch (RuntimeException e) {
            emulator.close();
            db.close();
            throw e;
        }
    }

    /** The emulator's clock (start times of what it sells) runs {@code offset} off Pledge's. */
    void skewCloudClock(Duration offset) {
        cloudClock.set(offset);
    }

    static List<String> arguments(SoakDatabase db, Emulator emulator) {
        return List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + SoakDatabase.USER,
                "--spring.datasource.password=",
                "--spring.datasource.hikari.maximum-pool-size=12",
                "--spring.datasource.hikari.connection-timeout=3000",
                "--pledge.cloud.endpoint=" + emulator.baseUrl(),
                "--pledge.cloud.call-timeout=" + CALL_TIMEOUT.toMillis() + "ms",
                "--pledge.cloud.max-attempts=" + MAX_ATTEMPTS,
                "--pledge.cloud.poll-interval=50ms",
                "--pledge.cloud.poll-timeout=3s",
                "--pledge.cloud.clock-skew=5m",
                "--pledge.engine.workers=2",
                "--pledge.engine.lease=" + LEASE.toMillis() + "ms",
                "--pledge.engine.heartbeat=500ms",
                "--pledge.engine.poll-interval=250ms",
                "--pledge.engine.max-claims=20",
                "--pledge.engine.lease-sweep-interval=500ms",
                "--pledge.engine.lease-sweep-deadline=400ms",
                "--pledge.engine.confirmation-sweep-interval=500ms",
                "--pledge.engine.shutdown-grace=2s",
                "--logging.level.root=WARN",
                "--logging.level.dev.pledge=" + System.getProperty("explore.pledge.log", "ERROR"),
                "--logging.level.com.zaxxer.hikari=OFF",
                "--logging.level.dev.pledge.emulator=ERROR");
    }

    /** Cuts every other client connection to the database (the workers', the listener's, the pool's). */
    int terminateConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), SoakDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** PostgreSQL down (fast shutdown) for longer than the lease, then up on the same data and port. */
    void restartDatabase() throws InterruptedException {
        db.restart(LEASE.plusMillis(700));
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            try {
                emulator.close();
            } finally {
                db.close();
            }
        }
    }
}
