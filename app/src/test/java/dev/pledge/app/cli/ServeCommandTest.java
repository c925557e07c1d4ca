package dev.pledge.app.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pledge serve} with nothing configured, run in-process on a temporary data directory: it
 * brings its own PostgreSQL and emulator, and the walkthrough it prints buys a commitment that the
 * emulator then holds. Started twice on the same directory, it keeps its data and demo keys.
 */
class ServeCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RunningServe serve;

    @BeforeEach
    void keepTheTestJvmsSignals() {
        ServeCommand.handleSignals = false;
    }

    @AfterEach
    void stopServe() throws InterruptedException {
        if (serve != null) {
            serve.stop();
        }
        ServeCommand.handleSignals = true;
    }

    @Test
    void with_nothing_configured_the_printed_walkthrough_buys_a_commitment_the_emulator_lists(@TempDir Path dir)
            throws Exception {
        serve = RunningServe.start(dir);
        Banner banner = serve.banner();
        assertThat(banner.text).contains("embedded PostgreSQL, data in " + dir.resolve("postgres"),
                "built-in emulator at " + banner.emulator + " (demo mode)");
        assertThat(banner.text.strip()).as("the console is the first thing serve prints")
                .startsWith("Pledge console: " + banner.url + "/console");
        assertThat(consoleHomeAfterKeySignIn(banner.url, banner.approver))
                .as("the console's demo sign-in takes the printed keys").contains("Signed in as", "demo-approver");

        String body = "{\"description\": \"demo\", \"items\": [{\"type\": \"azure-reservation\", \"account\": \""
                + banner.azureAccountId + "\", \"region\": \"westeurope\", \"offering\": \"Standard_D2s_v3\", "
                + "\"quantity\": 2, \"term\": \"1y\", \"payment\": \"monthly\"}]}";
        HttpResponse<String> created = send("POST", banner.url + "/api/v1/purchases", banner.requester, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asString();

        HttpResponse<String> selfApproval = send("POST", banner.url + "/api/v1/purchases/" + id + "/approve",
                banner.requester, null);
        assertThat(selfApproval.statusCode()).as("the requester's key cannot approve").isEqualTo(403);
        HttpResponse<String> approved = send("POST", banner.url + "/api/v1/purchases/" + id + "/approve",
                banner.approver, null);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        JsonNode done = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(send("GET", banner.url + "/api/v1/purchases/" + id, banner.approver,
                        null).body()), p -> !Set.of("APPROVED", "RUNNING").contains(p.path("status").asString()));
        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String commitmentId = done.path("items").get(0).path("commitmentId").asString();

        JsonNode commitments = JSON.readTree(send("GET", banner.emulator + "/__pledge/commitments", null, null)
                .body());
        assertThat(commitments).hasSize(1);
        assertThat(commitments.get(0).path("id").asString()).isEqualTo(commitmentId);
        assertThat(commitments.get(0).path("quantity").asInt()).isEqualTo(2);

        CliRun listed = CliRun.with(Map.of("PLEDGE_API_KEY", banner.approver), null,
                "purchases", "list", "--server", banner.url);
        assertThat(listed.exitCode).as(listed.toString()).isZero();
        assertThat(listed.out).contains(id, "SUCCEEDED", "demo");
        CliRun shown = CliRun.with(Map.of("PLEDGE_API_KEY", banner.approver), null,
                "purchases", "show", id, "--server", banner.url, "--output", "json");
        assertThat(JSON.readTree(shown.out).path("items").get(0).path("commitmentId").asString())
                .isEqualTo(commitmentId);

        assertThat(serve.stop()).isZero();
        serve = null;
        assertThat(Files.getPosixFilePermissions(dir.resolve(DemoKeys.FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void a_second_start_on_the_same_directory_keeps_the_data_and_the_demo_keys(@TempDir Path dir) throws Exception {
        serve = RunningServe.start(dir);
        Banner first = serve.banner();
        String body = "{\"description\": \"kept\", \"items\": [{\"type\": \"gcp-compute\", \"account\": \""
                + first.gcpAccountId + "\", \"region\": \"europe-west1\", \"offering\": \"GENERAL_PURPOSE_N2\", "
                + "\"quantity\": 1, \"term\": \"1y\", \"attributes\": {\"vcpus\": \"4\", \"memoryMb\": \"16384\"}}]}";
        HttpResponse<String> created = send("POST", first.url + "/api/v1/purchases", first.requester, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).path("id").asString();
        assertThat(serve.stop()).isZero();

        serve = RunningServe.start(dir);
        Banner second = serve.banner();
        assertThat(second.requester).isEqualTo(first.requester);
        assertThat(second.approver).isEqualTo(first.approver);
        assertThat(second.gcpAccountId).isEqualTo(first.gcpAccountId);
        HttpResponse<String> kept = send("GET", second.url + "/api/v1/purchases/" + id, second.approver, null);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(JSON.readTree(kept.body()).path("status").asString()).isEqualTo("PENDING_APPROVAL");

        CliRun requesterApproves = CliRun.with(Map.of("PLEDGE_API_KEY", second.requester), null,
                "purchases", "approve", id, "--server", second.url);
        assertThat(requesterApproves.exitCode).as(requesterApproves.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(requesterApproves.err).contains("Not allowed (403)", "APPROVER");
        assertThat(requesterApproves.out + requesterApproves.err).doesNotContain(second.requester);

        CliRun rejected = CliRun.with(Map.of("PLEDGE_API_KEY", second.approver), null,
                "purchases", "reject", id, "--reason", "not this quarter", "--server", second.url);
        assertThat(rejected.exitCode).as(rejected.toString()).isZero();
        assertThat(rejected.out).contains("Rejected.", "REJECTED", "not this quarter");

        CliRun redrive = CliRun.with(Map.of("PLEDGE_API_KEY", second.approver), null,
                "purchases", "redrive", id, "--server", second.url);
        assertThat(redrive.exitCode).as(redrive.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(redrive.err).contains("409");
        HttpResponse<String> after = send("GET", second.url + "/api/v1/purchases/" + id, second.approver, null);
        assertThat(JSON.readTree(after.body()).path("status").asString()).isEqualTo("REJECTED");

        HttpResponse<String> another = send("POST", second.url + "/api/v1/purchases", second.requester,
                body.replace("\"kept\"", "\"another\""));
        assertThat(another.statusCode()).as(another.body()).isEqualTo(201);
        String anotherId = JSON.readTree(another.body()).path("id").asString();
        CliRun firstPage = CliRun.with(Map.of("PLEDGE_API_KEY", second.approver), null,
                "purchases", "list", "--limit", "1", "--server", second.url);
        assertThat(firstPage.out).contains(anotherId).doesNotContain(id);
        Matcher more = Pattern.compile("--cursor (\\S+)").matcher(firstPage.out);
        assertThat(more.find()).as(firstPage.out).isTrue();
        CliRun nextPage = CliRun.with(Map.of("PLEDGE_API_KEY", second.approver), null,
                "purchases", "list", "--limit", "1", "--cursor", more.group(1), "--server", second.url);
        assertThat(nextPage.exitCode).as(nextPage.toString()).isZero();
        assertThat(nextPage.out).contains(id, "REJECTED").doesNotContain(anotherId);

        CliRun missing = CliRun.with(Map.of("PLEDGE_API_KEY", second.approver), null,
                "purchases", "show", "7d0c1f0e-0000-4000-8000-000000000000", "--server", second.url);
        assertThat(missing.exitCode).isEqualTo(ExitCode.REFUSED);
        assertThat(missing.err).contains("Not found (404)");
    }

    @Test
    void with_a_configured_database_and_the_cloud_mode_forgotten_no_demo_keys_are_made_or_printed(@TempDir Path dir)
            throws Exception {
        dev.pledge.app.testing.TestSchema schema = dev.pledge.app.testing.TestDatabase.shared().newSchema("serve_real");
        try {
            serve = RunningServe.start(dir, "--spring.datasource.url=" + schema.url(),
                    "--spring.datasource.username=" + schema.user(),
                    "--spring.datasource.password=" + (schema.password() == null ? "" : schema.password()),
                    "--spring.flyway.schemas=" + schema.name(), "--spring.flyway.default-schema=" + schema.name());
            String text = serve.text();

            assertThat(text).contains("emulator at").doesNotContain("(demo mode)").doesNotContain("requester ")
                    .doesNotContain("approver ");
            assertThat(schema.jdbc().queryForList("SELECT name FROM api_keys", String.class))
                    .containsExactly("bootstrap-admin");
            assertThat(schema.jdbc().queryForObject("SELECT count(*) FROM accounts", Integer.class)).isZero();
            // the generated bootstrap key went to an owner-only file, not to this (non-terminal) output
            Path keyFile = dir.resolve("bootstrap-admin.key");
            String key = java.nio.file.Files.readString(keyFile).trim();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(text).doesNotContain(key);
        } finally {
            if (serve != null) {
                serve.stop();
                serve = null;
            }
            schema.close();
        }
    }

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

    /** Signs in to the console with the demo form (one field, apiKey, and the form's CSRF token); returns Home. */
    private static String consoleHomeAfterKeySignIn(String url, String key) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(url + "/console/sign-in")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as(page).isTrue();
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(url + "/console/sign-in/key"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apiKey=" + java.net.URLEncoder.encode(key,
                        java.nio.charset.StandardCharsets.UTF_8) + "&_csrf=" + java.net.URLEncoder.encode(csrf.group(1),
                        java.nio.charset.StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        return browser.send(HttpRequest.newBuilder(URI.create(url + "/console")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the banner says, parsed the way a reader would copy it. */
    record Banner(String text, String url, String emulator, String requester, String approver,
                  String azureAccountId, String gcpAccountId) {
        static Banner parse(String text) {
            return new Banner(text, find(text, "Pledge is running at (\\S+)"),
                    find(text, "built-in emulator at (\\S+)"), find(text, "requester\\s+(pk_\\S+)"),
                    find(text, "approver\\s+(pk_\\S+)"), find(text, "azure\\s+\\S+\\s+id (\\S+)"),
                    find(text, "gcp\\s+\\S+\\s+id (\\S+)"));
        }

        private static String find(String text, String regex) {
            Matcher m = Pattern.compile(regex).matcher(text);
            assertThat(m.find()).as("banner has " + regex + ":\n" + text).isTrue();
            return m.group(1);
        }
    }

    /** {@code pledge serve --data-dir <dir> --server.port=0} on its own thread. */
    static final class RunningServe {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final AtomicInteger exitCode = new AtomicInteger(-1);
        private CommandLine commandLine;
        private Thread thread;

        static RunningServe start(Path dir, String... arguments) {
            RunningServe s = new RunningServe();
            s.commandLine = PledgeCommand.commandLine(new CliEnvironment(Map.of(), Optional.empty(),
                    Clock.systemUTC()));
            s.commandLine.setOut(new PrintWriter(s.out, true));
            s.commandLine.setErr(new PrintWriter(s.err, true));
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve", "--data-dir",
                    dir.toString(), "--server.port=0"));
            args.addAll(java.util.List.of(arguments));
            s.thread = new Thread(() -> s.exitCode.set(s.commandLine.execute(args.toArray(String[]::new))),
                    "serve-under-test");
            s.thread.start();
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> s.text().contains("Stop with Ctrl-C") || !s.thread.isAlive());
            assertThat(s.thread.isAlive()).as("serve ended early: exit " + s.exitCode.get() + "\n" + s.text())
                    .isTrue();
            return s;
        }

        String text() {
            synchronized (out.getBuffer()) {
                return out + "\n" + err;
            }
        }

        Banner banner() {
            return Banner.parse(text());
        }

        int stop() throws InterruptedException {
            ServeCommand command = commandLine.getSubcommands().get("serve").getCommand();
            command.stop();
            thread.join(Duration.ofMinutes(1).toMillis());
            assertThat(thread.isAlive()).as("serve still running after stop").isFalse();
            return exitCode.get();
        }
    }
}
