package dev.pledge.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pledge recommendations} and {@code pledge commitments} check their arguments before sending anything:
 * a bad value is exit 2 naming the flag, and no request reaches the (stand-in) server. Good values go out as
 * the API spells them. The stand-in answers the accounts list and an empty page to everything else.
 */
class InsightCommandsArgumentsTest {
    private static final String ID = "72835f32-9d21-472c-9502-b97e205b458a";
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String path = exchange.getRequestURI().getPath();
            String json = path.equals("/api/v1/accounts")
                    ? "{\"accounts\": [{\"id\": \"" + ID + "\", \"cloud\": \"aws\", \"externalId\": \"111122223333\"}]}"
                    : "{\"recommendations\": [], \"commitments\": [], \"summary\": []}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
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

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--server");
        all.add("http://127.0.0.1:" + server.getAddress().getPort());
        return CliRun.with(Map.of("PLEDGE_API_KEY", "pk_test-key-0123456789"), null, all.toArray(String[]::new));
    }

    private void usageError(String expected, String... args) {
        CliRun r = run(args);
        assertThat(r.exitCode).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).as(String.join(" ", args)).contains(expected);
        assertThat(received).as("requests that reached the server for " + String.join(" ", args)).isEmpty();
    }

    @Test
    void bad_values_are_usage_errors_naming_the_flag_and_nothing_is_sent() {
        usageError("--cloud: unknown cloud 'oracle'", "recommendations", "list", "--cloud", "oracle");
        usageError("--type: unknown commitment type 'aws-ec3'", "recommendations", "list", "--type", "aws-ec3");
        usageError("--type: aws-rds is an aws type, not gcp (--cloud)", "commitments", "--cloud", "gcp", "--type",
                "aws-rds");
        usageError("--min-savings: '-5' is not a decimal number", "recommendations", "list", "--min-savings", "-5");
        usageError("--max-break-even: 'soon' is not a decimal number", "recommendations", "list",
                "--max-break-even", "soon");
        usageError("<id>: 'rec-1' is not a recommendation id", "recommendations", "show", "rec-1");
        usageError("<id>: 'rec-1' is not a recommendation id", "recommendations", "propose", "rec-1");
        usageError("--fraction: must be a number more than 0 and at most 1", "recommendations", "propose", ID,
                "--fraction", "1.5");
        usageError("--fraction: must be a number more than 0 and at most 1", "recommendations", "propose", ID,
                "--fraction", "0");
        usageError("--fraction: must be a number more than 0 and at most 1", "recommendations", "propose", ID,
                "--fraction", "half");
        usageError("--fraction, --count: give one of them, not both", "recommendations", "propose", ID,
                "--fraction", "0.5", "--count", "2");
        usageError("--count: must be 1 or more, was 0", "recommendations", "propose", ID, "--count", "0");
        usageError("--reason: only with --override", "recommendations", "propose", ID, "--reason", "why");
        usageError("--expiring: '3 months' is not a number of days such as 90d", "commitments", "--expiring",
                "3 months");
        usageError("--expiring: '9999d' is not a number of days such as 90d (0-3650)", "commitments", "--expiring",
                "9999d");
        usageError("--summary: covers every cloud, type and account; leave out --expiring, --ours", "commitments",
                "--summary", "--expiring", "90d", "--ours");
        usageError("Did you mean: recommendations list?", "recommendations", "lists");
        usageError("--recently-bought", "recommendations", "list", "--recently-bought", "maybe");
        usageError("Invalid value for option '--output'", "commitments", "-o", "yaml");
    }

    @Test
    void filters_go_out_as_the_api_spells_them_and_a_cloud_account_id_is_looked_up() {
        CliRun list = run("recommendations", "list", "--cloud", "AWS", "--type", "AWS-RDS", "--account",
                "111122223333", "--min-savings", "25.50", "--max-break-even", "12", "--recently-bought", "false");
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.out).contains("No recommendations.");

        CliRun held = run("commitments", "--expiring", "90d", "--cloud", "aws", "--ours", "-o", "json");
        assertThat(held.exitCode).as(held.toString()).isZero();
        assertThat(held.out).contains("\"commitments\" : [ ]");

        CliRun summary = run("commitments", "--summary");
        assertThat(summary.exitCode).as(summary.toString()).isZero();

        CliRun propose = run("recommendations", "propose", ID.toUpperCase(), "--fraction", "0.5", "-o", "json");
        assertThat(propose.exitCode).as(propose.toString()).isZero();

        assertThat(received).containsExactly(
                "GET /api/v1/accounts",
                "GET /api/v1/recommendations?cloud=aws&type=aws-rds&account=" + ID
                        + "&minMonthlySavings=25.50&maxBreakEvenMonths=12&recentlyBought=false",
                "GET /api/v1/commitments?cloud=aws&expiringWithinDays=90&ours=true",
                "GET /api/v1/commitments/summary",
                "POST /api/v1/recommendations/" + ID + "/propose");
    }

    @Test
    void an_account_the_server_does_not_know_is_refused_naming_the_ones_it_knows() {
        CliRun r = run("commitments", "--account", "999988887777");

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(r.err).contains("--account: the server has no account '999988887777'; it has: aws 111122223333");
        assertThat(received).containsExactly("GET /api/v1/accounts");
    }

    @Test
    void without_a_key_nothing_is_sent_and_the_variable_is_named() {
        CliRun r = CliRun.with(Map.of(), null, "commitments", "--server",
                "http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err).contains("PLEDGE_API_KEY is not set");
        assertThat(received).isEmpty();
    }
}
