package dev.pledge.infra.docker;

import com.sun.net.httpserver.HttpServer;
import dev.pledge.infra.InfraFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the image's health check script (infra/docker/healthcheck.sh) with bash against a local
 * HTTP server, as Docker would inside the container: healthy only on a 200 from the readiness probe.
 */
class HealthcheckScriptTest {
    private static final Path SCRIPT = InfraFiles.infraDir().resolve("docker/healthcheck.sh");
    private final List<String> requestedPaths = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    @Test
    void an_up_readiness_probe_is_healthy() throws Exception {
        int port = serve(200, "{\"status\":\"UP\"}");
        assertThat(runCheck(port)).isZero();
        assertThat(requestedPaths).containsExactly("/actuator/health/readiness");
    }

    @Test
    void an_out_of_service_readiness_probe_is_unhealthy() throws Exception {
        int port = serve(503, "{\"status\":\"OUT_OF_SERVICE\"}");
        assertThat(runCheck(port)).isEqualTo(1);
        assertThat(requestedPaths).containsExactly("/actuator/health/readiness");
    }

    @Test
    void nothing_listening_is_unhealthy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(runCheck(port)).isEqualTo(1);
    }

    @Test
    void a_server_that_never_answers_is_unhealthy_within_the_read_timeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (!silent.isClosed()) {
                    accepted.add(silent.accept()); // accept, read nothing, answer nothing
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        started.add(() -> {
            silent.close();
            for (Socket s : accepted) {
                s.close();
            }
        });
        long start = System.nanoTime();
        assertThat(runCheck(silent.getLocalPort())).isEqualTo(1);
        // it gives up on its own (read -t); generous bound for a loaded machine, the budget is checked below
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
    }

    @Test
    void the_script_gives_up_reading_before_docker_times_the_check_out() {
        Matcher read = Pattern.compile("read -r -t (\\d+)").matcher(InfraFiles.read(SCRIPT));
        assertThat(read.find()).as("healthcheck.sh bounds its read with read -t").isTrue();
        Dockerfile.Instruction healthcheck = Dockerfile.parse(InfraFiles.read(SCRIPT.resolveSibling("Dockerfile")))
                .finalStage().last("HEALTHCHECK").orElseThrow();
        String timeout = healthcheck.flags().get("timeout");
        assertThat(timeout).as("HEALTHCHECK --timeout").matches("\\d+s");
        assertThat(Integer.parseInt(timeout.replace("s", ""))).isGreaterThan(Integer.parseInt(read.group(1)));
    }

    private int serve(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requestedPaths.add(exchange.getRequestURI().getPath());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        started.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    private static int runCheck(int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().remove("MANAGEMENT_SERVER_PORT");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("healthcheck.sh did not finish within 20s");
        }
        return p.exitValue();
    }
}
