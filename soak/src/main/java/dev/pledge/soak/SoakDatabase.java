package dev.pledge.soak;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The soak's one PostgreSQL: an embedded server on a fixed port with a durable data directory, so
 * that it can be stopped in the middle of a run and started again on the same data and the same
 * port, as a database restart looks to the workers.
 */
final class SoakDatabase implements AutoCloseable {
    static final String USER = "postgres";
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private SoakDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    static SoakDatabase start(Path dataDirectory) {
        SoakDatabase db = new SoakDatabase(dataDirectory, freePort());
        db.startServer();
        return db;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same data. */
    synchronized void restart(Duration down) throws InterruptedException {
        stopServer();
        Thread.sleep(down.toMillis());
        startServer();
    }

    private synchronized void startServer() {
        try {
            Files.createDirectories(dataDirectory);
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the soak's PostgreSQL on port " + port, e);
        }
    }

    private synchronized void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the soak's PostgreSQL", e);
            } finally {
                server = null;
            }
        }
    }

    @Override
    public void close() {
        stopServer();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
