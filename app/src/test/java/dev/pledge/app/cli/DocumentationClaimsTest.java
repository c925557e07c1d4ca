package dev.pledge.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The documentation says what the code does. The README's "Five minutes with Pledge" and "From a
 * recommendation to a commitment" and app/API.md's "Walkthrough with curl" are run command by command, as written, against one
 * {@code pledge serve} with nothing configured (embedded PostgreSQL, the built-in emulator), and
 * what each command answers is compared with what the document shows under it: HTTP status,
 * problem type, field, statuses and the other literal values of a JSON answer, the text lines of a
 * command's output (ids, keys, times, ports and paths may differ), and exit codes ({@code (exit 3)}).
 * A document that shows an answer a few seconds later gets it within a bounded wait. Then the
 * claims of the prose that are behaviours, one test each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentationClaimsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Duration EVENTUALLY = Duration.ofSeconds(90);
    private static final Set<String> COMPARED = Set.of("type", "title", "status", "field", "currentStatus", "attempt",
            "action", "from", "to", "item", "outcome", "failureKind", "cloud", "product", "quantity", "state", "region",
            "offering", "term", "payment", "position", "description", "name", "enabled", "cloudAccount", "instance",
            "detail", "error");
    private static final Pattern PAIR = Pattern.compile(
            "\"(\\w+)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null)");
    /** What differs from run to run inside a shown value, with the pattern it stands for. */
    private static final Pattern VARIABLE = Pattern.compile(String.join("|",
            "(?<ellipsis>…|\\.\\.\\.)",
            "(?<time>\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)",
            "(?<url>http://(?:localhost|127\\.0\\.0\\.1):\\d+)",
            "(?<path>/tmp/[^\\s)]*)",
            "(?<key>pk_[A-Za-z0-9_-]+)",
            "(?<worker>worker:[^\\s\",]+)",
            "(?<hex>[0-9a-fA-F][0-9a-fA-F-]{7,})",
            "(?<number>\\d{3,})",
            "(?<space>\\s+)"));
    private static final Pattern METRIC = Pattern.compile("^([a-z_:]+(?:\\{[^}]*})?) [-+0-9.eE]+$");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String adminKey;
    private Path dataDir;
    private CommandLine serveCommand;
    private Thread serveThread;
    private final StringWriter serveOut = new StringWriter();
    private final AtomicInteger serveExit = new AtomicInteger(-1);
    private String server;
    private String emulator;
    private String requester;
    private String approver;

    @BeforeAll
    void startServeWithNothingConfigured(@TempDir Path dir) {
        ServeCommand.handleSignals = false;
        dataDir = dir;
        serveCommand = PledgeCommand.commandLine(new CliEnvironment(Map.of(), Optional.empty(), Clock.systemUTC()));
        serveCommand.setOut(new PrintWriter(serveOut, true));
        serveCommand.setErr(new PrintWriter(serveOut, true));
        // as the README starts it; API.md's PLEDGE_BOOTSTRAP_ADMIN_KEY is then the demo admin key
        serveThread = new Thread(() -> serveExit.set(serveCommand.execute("serve", "--data-dir", dir.toString(),
                "--server.port=0")), "documented-serve");
        serveThread.start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> banner().contains("Stop with Ctrl-C") || !serveThread.isAlive());
        assertThat(serveThread.isAlive()).as("serve ended early:\n" + banner()).isTrue();
        server = find(banner(), "Pledge is running at (\\S+)");
        emulator = find(banner(), "built-in emulator at (\\S+)");
        requester = find(banner(), "requester\\s+(pk_\\S+)");
        approver = find(banner(), "approver\\s+(pk_\\S+)");
        adminKey = find(banner(), "admin\\s+(pk_\\S+)");
    }

    @AfterAll
    void stopServe() throws InterruptedException {
        if (serveThread != null && serveThread.isAlive()) {
            ((ServeCommand) serveCommand.getSubcommands().get("serve").getCommand()).stop();
            serveThread.join(TimeUnit.MINUTES.toMillis(1));
        }
        ServeCommand.handleSignals = true;
    }

    private String banner() {
        synchronized (serveOut.getBuffer()) {
            return serveOut.toString();
        }
    }

    // ---- the walkthroughs, as written

    @Test
    @Order(1)
    void the_readme_walkthrough_answers_as_shown() throws Exception {
        List<DocWalkthrough.Step> steps = DocWalkthrough.read(ROOT.resolve("README.md"), "## Five minutes with Pledge");
        List<String> skipped = walk(steps);
        assertThat(skipped).as("README steps that could not run as written").isEmpty();
        assertThat(steps).as("README walkthrough steps").hasSizeGreaterThanOrEqualTo(12);
    }

    /** After the first walkthrough, as a reader goes on: recommendations from the demo usage to a commitment. */
    @Test
    @Order(2)
    void the_readme_recommendation_walkthrough_answers_as_shown() throws Exception {
        List<DocWalkthrough.Step> steps = DocWalkthrough.read(ROOT.resolve("README.md"),
                "## From a recommendation to a commitment");
        List<String> skipped = walk(steps);
        assertThat(skipped).as("README steps that could not run as written").isEmpty();
        assertThat(steps).as("README recommendation walkthrough steps").hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    @Order(3)
    void the_api_walkthrough_answers_as_shown() throws Exception {
        // its own cloud, as after a fresh start: API.md lists the emulator's commitments
        assertThat(send("POST", emulator + "/__pledge/reset", null, null).statusCode()).isLessThan(300);
        List<DocWalkthrough.Step> steps = DocWalkthrough.read(ROOT.resolve("app/API.md"), "## Walkthrough with curl");
        List<String> skipped = walk(steps);
        // the two abridged Idempotency-Key retries ("curl -s -i -X POST ... "): IdempotencyKeyTest has them
        assertThat(skipped).as("API.md steps that could not run as written").hasSizeLessThanOrEqualTo(2)
                .allMatch(s -> s.contains("Idempotency-Key"));
        assertThat(steps.size() - skipped.size()).as("API.md steps run").isGreaterThanOrEqualTo(25);
    }

    /** Runs each step and compares; returns the steps it could not run as written. */
    private List<String> walk(List<DocWalkthrough.Step> steps) throws InterruptedException {
        DocShell shell = new DocShell(
                Map.of("PLEDGE", server, "CLOUD", emulator, "PLEDGE_BOOTSTRAP_ADMIN_KEY", adminKey),
                Map.of("REQUESTER", requester, "APPROVER", approver));
        // the demo accounts' ids the document shows (in its banner) are this run's (in ours)
        Pattern account = Pattern.compile("^\\s*(aws|azure|gcp)\\s+\\S+\\s+id (\\S+)");
        for (DocWalkthrough.Step step : steps) {
            for (String line : step.output()) {
                Matcher shown = account.matcher(line);
                if (shown.find()) {
                    shell.replace(shown.group(2), find(banner(), "(?m)^\\s*" + shown.group(1) + "\\s+\\S+\\s+id (\\S+)"));
                }
            }
        }
        List<String> skipped = new ArrayList<>();
        for (DocWalkthrough.Step step : steps) {
            Instant deadline = Instant.now().plus(EVENTUALLY);
            while (true) {
                DocShell.Run run = shell.run(step.command());
                if (run.skipped != null) {
                    skipped.add(step.where() + " (" + run.skipped + ")");
                    break;
                }
                String mismatch = compare(step, run);
                if (mismatch == null) {
                    break;
                }
                boolean changedNothing = run.answer != null && !run.loop && !run.pledge
                        && (run.answer.method().equals("GET") || run.answer.status() >= 400);
                if (!changedNothing || Instant.now().isAfter(deadline)) {
                    fail(step.where() + "\n" + mismatch + "\n--- the document shows:\n"
                            + String.join("\n", step.output()) + "\n--- this run printed:\n" + run.out);
                }
                Thread.sleep(500);
            }
        }
        return skipped;
    }

    /** Null when the run answers what the step shows, else what differs. */
    private String compare(DocWalkthrough.Step step, DocShell.Run run) {
        List<String> shown = new ArrayList<>();
        int exit = 0;
        for (String line : step.output()) {
            int annotated = DocWalkthrough.exitAnnotation(line);
            if (annotated >= 0) {
                exit = annotated;
            }
            String l = DocWalkthrough.withoutExitAnnotation(line);
            String t = l.trim();
            if (t.isEmpty() || t.matches("[…. ]+") || (t.startsWith("(") && t.endsWith(")"))
                    || t.startsWith("pledge: building")) {
                continue; // abridged, an editor's note, or the launcher's build message
            }
            shown.add(l);
        }
        if (run.serve) {
            String mismatch = lines(shown, banner(), false);
            return mismatch == null ? null : mismatch + "\n--- the banner:\n" + banner();
        }
        if (run.pledge && run.exitCode != null && run.exitCode != exit) {
            return "exit code " + run.exitCode + ", the document shows " + exit;
        }
        String first = shown.isEmpty() ? "" : shown.get(0).trim();
        if (run.answer != null && !run.loop && (first.startsWith("{") || first.startsWith("[")
                || first.startsWith("HTTP/"))) {
            return answer(String.join("\n", shown), run.answer);
        }
        if (run.answer != null && !run.pledge && run.answer.status() >= 300) {
            return run.answer.method() + " " + run.answer.url() + " answered " + run.answer.status() + ": "
                    + run.answer.body();
        }
        if (run.loop && !shown.isEmpty()) {
            String[] printed = run.out.toString().split("\n");
            return lines(List.of(shown.get(shown.size() - 1)), printed[printed.length - 1], false);
        }
        // a command's stdout and stderr are kept apart, so their lines are matched in any order
        return lines(shown, run.out.toString(), !run.pledge);
    }

    /** Each shown line, in order, in the printed text (with what varies from run to run left open). */
    private static String lines(List<String> shown, String printed, boolean inOrder) {
        String[] actual = printed.split("\n");
        int from = 0;
        for (String line : shown) {
            Matcher metric = METRIC.matcher(line.trim());
            Pattern p = metric.matches() ? Pattern.compile("^" + Pattern.quote(metric.group(1)) + " \\S+$")
                    : shape(line.trim());
            int found = -1;
            for (int i = inOrder ? from : 0; i < actual.length; i++) {
                if (p.matcher(actual[i].trim()).find()) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return "no printed line " + (inOrder ? "after line " + from + " " : "") + "matches the shown line '"
                        + line.trim() + "' (as " + p + ")";
            }
            from = found + 1;
        }
        return null;
    }

    /** An HTTP answer against a shown one: status, headers shown, and the literal values shown. */
    private static String answer(String shown, DocShell.Answer answer) {
        Matcher httpLine = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3})").matcher(shown);
        Integer expected = httpLine.find() ? Integer.valueOf(httpLine.group(1)) : null;
        for (String header : List.of("Location", "Idempotent-Replayed")) {
            if (shown.contains(header + ":") && answer.headers().keySet().stream().noneMatch(header::equalsIgnoreCase)) {
                return "no " + header + " header";
            }
        }
        JsonNode actual = answer.json();
        Matcher pairs = PAIR.matcher(shown);
        boolean firstStatus = true;
        while (pairs.find()) {
            String key = pairs.group(1);
            String value = pairs.group(2);
            if (key.equals("status") && firstStatus) {
                firstStatus = false;
                if (!value.startsWith("\"")) {
                    expected = Integer.valueOf(value);
                } else if (actual != null && actual.isObject() && actual.path("status").isString()
                        && !actual.path("status").asString().equals(unquote(value))) {
                    return "status " + actual.path("status").asString() + ", the document shows " + value;
                }
            }
            if (!COMPARED.contains(key) || actual == null) {
                continue;
            }
            if (!anywhere(actual, key, value)) {
                return "no \"" + key + "\" of " + value + " in the answer " + answer.body();
            }
        }
        if (expected == null ? answer.status() >= 300 : answer.status() != expected) {
            return "HTTP " + answer.status() + ", the document shows " + (expected == null ? "success" : expected)
                    + ": " + answer.body();
        }
        return null;
    }

    private static boolean anywhere(JsonNode node, String key, String shownValue) {
        if (node.isObject()) {
            JsonNode v = node.get(key);
            if (v != null && v.isValueNode() && same(v, shownValue)) {
                return true;
            }
            for (JsonNode child : node) {
                if (anywhere(child, key, shownValue)) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (anywhere(child, key, shownValue)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean same(JsonNode actual, String shown) {
        if (shown.startsWith("\"")) {
            return actual.isString() && shape(unquote(shown)).matcher(actual.asString()).matches();
        }
        if (actual.isNumber() && shown.matches("-?\\d+(\\.\\d+)?")) {
            return actual.decimalValue().compareTo(new BigDecimal(shown)) == 0;
        }
        return actual.asString().equals(shown);
    }

    private static String unquote(String json) {
        return JSON.readTree(json).asString();
    }

    /** The shown text as a pattern: literal, with what varies from run to run (ids, keys, times, ...) left open. */
    static Pattern shape(String text) {
        StringBuilder re = new StringBuilder();
        Matcher m = VARIABLE.matcher(text);
        int at = 0;
        while (m.find()) {
            re.append(Pattern.quote(text.substring(at, m.start())));
            re.append(m.group("ellipsis") != null ? ".*?"
                    : m.group("time") != null ? "\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z"
                    : m.group("url") != null ? "http://(?:localhost|127\\.0\\.0\\.1):\\d+"
                    : m.group("path") != null ? "/\\S*?"
                    : m.group("key") != null ? "pk_[A-Za-z0-9_-]+"
                    : m.group("worker") != null ? "worker:[^\\s\",]+"
                    : m.group("hex") != null ? "[0-9a-fA-F][0-9a-fA-F-]*"
                    : m.group("number") != null ? "\\d+"
                    : "\\s+");
            at = m.end();
        }
        re.append(Pattern.quote(text.substring(at)));
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    // ---- the prose's claims that are behaviours

    /** app/API.md: "Send the key as Authorization: Bearer, as the pledge command does (X-API-Key works too)". */
    @Test
    @Order(4)
    void the_pledge_command_sends_a_bearer_key_and_the_server_also_takes_x_api_key() throws Exception {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            seen.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "{\"purchases\": [], \"nextCursor\": null}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stub.start();
        try {
            CliRun r = CliRun.with(Map.of("PLEDGE_API_KEY", requester), null, "purchases", "list", "--server",
                    "http://127.0.0.1:" + stub.getAddress().getPort());
            assertThat(r.exitCode).as(r.toString()).isZero();
        } finally {
            stub.stop(0);
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).get("Authorization")).containsExactly("Bearer " + requester);
        assertThat(seen.get(0)).doesNotContainKey("X-api-key").doesNotContainKey("X-API-Key");

        HttpResponse<String> withHeader = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/purchases"))
                .header("X-API-Key", requester).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withHeader.statusCode()).as(withHeader.body()).isEqualTo(200);
    }

    /** app/API.md: "trailing garbage after the JSON value names body". */
    @Test
    @Order(4)
    void trailing_garbage_after_the_body_is_refused_naming_body() throws Exception {
        HttpResponse<String> r = send("POST", server + "/api/v1/purchases", requester,
                "{\"description\": \"x\", \"items\": []} trailing");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:pledge:problem:invalid-request");
        assertThat(problem.path("field").asString()).isEqualTo("body");
    }

    /** README: "A dry run shows ... the price when the executor can quote it (AWS and Azure; GCP shows none)". */
    @Test
    @Order(4)
    void a_dry_run_shows_the_price_for_aws_and_azure_and_none_for_gcp() {
        CliRun aws = CliRun.run("buy", "--dry-run", "--type", "aws-rds", "--account", "111122223333", "--region",
                "us-east-1", "--offering", "db.r6g.large", "--term", "1y", "--payment", "partial-upfront",
                "--endpoint", emulator);
        CliRun azure = CliRun.run("buy", "--dry-run", "--type", "azure-reservation", "--account",
                "00000000-0000-4000-8000-000000000001", "--region", "westeurope", "--offering", "Standard_D2s_v3",
                "--term", "1y", "--payment", "monthly", "--endpoint", emulator);
        CliRun gcp = CliRun.run("buy", "--dry-run", "--type", "gcp-compute", "--account", "pledge-demo-project",
                "--region", "europe-west1", "--offering", "GENERAL_PURPOSE_N2", "--term", "1y", "--vcpus", "4",
                "--memory-mb", "16384", "--endpoint", emulator);
        for (CliRun r : List.of(aws, azure, gcp)) {
            assertThat(r.exitCode).as(r.toString()).isZero();
        }
        assertThat(price(aws)).as(aws.toString()).matches("USD [\\d.]+ upfront.*");
        assertThat(price(azure)).as(azure.toString()).matches("USD [\\d.]+ .*");
        assertThat(price(gcp)).as(gcp.toString()).startsWith("unknown");
    }

    private static String price(CliRun r) {
        Matcher m = Pattern.compile("(?m)^\\s+price\\s+(.*)$").matcher(r.out + r.err);
        return m.find() ? m.group(1) : "(no price line)";
    }

    /**
     * README command table: approve needs an APPROVER other than the requester (four-eyes); reject
     * does not, since a requester withdrawing its own request buys nothing.
     */
    @Test
    @Order(4)
    void a_key_with_both_roles_may_reject_its_own_purchase_but_not_approve_it() throws Exception {
        HttpResponse<String> created = send("POST", server + "/api/v1/keys", adminKey,
                "{\"name\": \"dana (both roles)\", \"owner\": \"dana@example.com\", "
                        + "\"roles\": [\"REQUESTER\", \"APPROVER\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String both = JSON.readTree(created.body()).path("key").asString();
        String account = JSON.readTree(send("GET", server + "/api/v1/accounts", both, null).body()).path("accounts")
                .valueStream().filter(a -> a.path("cloud").asString().equals("gcp")).findFirst().orElseThrow()
                .path("id").asString();
        String body = "{\"description\": \"own\", \"items\": [{\"type\": \"gcp-compute\", \"account\": \"" + account
                + "\", \"region\": \"europe-west1\", \"offering\": \"GENERAL_PURPOSE_N2\", \"quantity\": 1, "
                + "\"term\": \"1y\", \"attributes\": {\"vcpus\": \"4\", \"memoryMb\": \"16384\"}}]}";

        String first = JSON.readTree(send("POST", server + "/api/v1/purchases", both, body).body()).path("id").asString();
        HttpResponse<String> approve = send("POST", server + "/api/v1/purchases/" + first + "/approve", both, null);
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(403);
        assertThat(JSON.readTree(approve.body()).path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");

        CliRun reject = CliRun.with(Map.of("PLEDGE_API_KEY", both), null, "purchases", "reject", first, "--reason",
                "asked by mistake", "--server", server);
        assertThat(reject.exitCode).as(reject.toString()).isZero();
        assertThat(reject.out).contains("REJECTED");
    }

    /** docs/performance.md: the figures block is what bench/summarize.py prints from the results file it names. */
    @Test
    @Order(4)
    void the_performance_figures_are_what_summarize_prints_from_their_results_file() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/performance.md"));
        String block = doc.substring(doc.indexOf("<!-- figures:start -->\n") + "<!-- figures:start -->\n".length(),
                doc.indexOf("<!-- figures:end -->"));
        String results = find(block, "Source: `([^`]+)`");
        Process python;
        try {
            python = new ProcessBuilder("python3", "bench/summarize.py", results).directory(ROOT.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeThat(e).as("python3 runs bench/summarize.py; not installed here").isNull();
            return;
        }
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(printed).isZero();
        assertThat(block).isEqualTo(printed);
    }

    /** README: "Ctrl-C (or kill <pid>) stops the server in order ... It prints pledge serve: stopped." (exit 0). */
    @Test
    @Order(9)
    void serve_stops_in_order_printing_stopped_with_exit_0() throws InterruptedException {
        ((ServeCommand) serveCommand.getSubcommands().get("serve").getCommand()).stop();
        serveThread.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(serveThread.isAlive()).isFalse();
        assertThat(serveExit.get()).as(banner()).isZero();
        assertThat(banner()).contains("pledge serve: stopped.");
        assertThat(dataDir.resolve("postgres")).isDirectory();
    }

    // ---- helpers

    private HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("has " + regex + ":\n" + text).isTrue();
        return m.group(1);
    }
}
