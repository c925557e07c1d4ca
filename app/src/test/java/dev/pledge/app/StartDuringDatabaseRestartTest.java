package dev.pledge.app;

import dev.pledge.app.database.DatabaseAtStart;
import dev.pledge.app.testing.SharedEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker started while PostgreSQL is down (restarted during a database restart, as the soak does)
 * waits for the database and comes up when it returns, instead of exiting at start. The whole
 * application, as a soak worker runs it, against a real embedded PostgreSQL stopped and started again
 * on the same data and port.
 */
class StartDuringDatabaseRestartTest {
    @TempDir
    Path dir;
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() throws IOException {
        if (context != null) {
            context.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void a_worker_started_while_the_database_is_down_comes_up_when_the_database_returns() throws Exception {
        int port = freePort();
        Path data = dir.resolve("pgdata");
        postgres = start(data, port);
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        postgres.close(); // the database restart begins
        postgres = null;

        Path log = dir.resolve("worker.log"); // the worker's log, as the soak reads it
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() ->
                new SpringApplication(PledgeApplication.class).run(
                        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=2000",
                        "--spring.flyway.enabled=false",
                        "--pledge.cloud.endpoint=" + SharedEmulator.get().baseUrl(),
                        "--pledge.engine.workers=1",
                        "--pledge.api.bootstrap-admin-key-file=" + dir.resolve("admin.key"),
                        "--logging.file.name=" + log,
                        "--" + DatabaseAtStart.WAIT + "=3m"));

        // the start-up reaches its first database work while the database is down
        await().atMost(Duration.ofMinutes(2)).until(() -> starting.isDone() || waited(log));
        if (starting.isDone()) {
            context = starting.get(); // throws the start-up failure when it ended instead of waiting
        }
        assertThat(starting).as("the start-up waits for the database").isNotDone();
        assertThat(Files.readString(log)).contains("which cannot be reached").contains(DatabaseAtStart.WAIT);

        postgres = start(data, port); // the database is back
        context = starting.get(2, TimeUnit.MINUTES);

        assertThat(context.isRunning()).isTrue();
        assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM accounts", Integer.class))
                .isNotNull();
    }

    private static boolean waited(Path log) throws IOException {
        return Files.exists(log) && Files.readString(log).contains("needs the database, which cannot be reached");
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        Files.createDirectories(data);
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
