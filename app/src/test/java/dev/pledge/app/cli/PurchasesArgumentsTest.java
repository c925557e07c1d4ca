package dev.pledge.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge purchases} checks what it can before sending anything: a status name and a purchase
 * id are refused locally with exit 2 (usage) naming the flag, as the exit-code table says, instead
 * of reaching the server and coming back as a refusal (exit 3). The stand-in server answers every
 * request the way the real one answers bad input (400), and records what reached it.
 */
class PurchasesArgumentsTest {
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = ("{\"type\":\"urn:pledge:problem:invalid-request\",\"title\":\"Invalid request\","
                    + "\"status\":400,\"detail\":\"from the server\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CliRun purchases(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "purchases";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 2] = "--server";
        all[all.length - 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return CliRun.with(Map.of("PLEDGE_API_KEY", "pk_test-key-0123456789"), null, all);
    }

    @Test
    void an_unknown_status_is_a_usage_error_naming_the_flag_and_nothing_is_sent() {
        CliRun r = purchases("list", "--status", "BOGUS");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--status: unknown status 'BOGUS'", "PENDING_APPROVAL", "PARTIALLY_SUCCEEDED");
        assertThat(received).as("requests that reached the server").isEmpty();
    }

    @Test
    void known_statuses_in_any_case_and_as_a_list_are_sent_as_the_server_spells_them() {
        CliRun r = purchases("list", "--status", "failed,Partially_Succeeded");

        // the stand-in refuses everything: what matters is that the request went out, spelled right
        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(received).containsExactly("GET /api/v1/purchases?limit=50&status=FAILED%2CPARTIALLY_SUCCEEDED");
    }

    @Test
    void one_bad_name_in_a_list_of_statuses_is_named() {
        CliRun r = purchases("list", "--status", "FAILED,DONE");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("--status: unknown status 'DONE'");
        assertThat(received).isEmpty();
    }

    @Test
    void an_id_that_is_not_a_uuid_is_a_usage_error_naming_it_for_every_subcommand() {
        String[][] runs = {{"show", "not-a-uuid"}, {"approve", "not-a-uuid"},
                {"reject", "not-a-uuid", "--reason", "no"}, {"redrive", "not-a-uuid"}};
        for (String[] run : runs) {
            CliRun r = purchases(run);
            assertThat(r.exitCode).as(String.join(" ", run) + "\n" + r).isEqualTo(ExitCode.USAGE);
            assertThat(r.err).contains("<id>: 'not-a-uuid' is not a purchase id");
        }
        assertThat(received).as("requests that reached the server").isEmpty();
    }

    @Test
    void a_uuid_is_sent() {
        CliRun r = purchases("show", "72835F32-9D21-472C-9502-B97E205B458A");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(received).containsExactly("GET /api/v1/purchases/72835f32-9d21-472c-9502-b97e205b458a");
    }
}
