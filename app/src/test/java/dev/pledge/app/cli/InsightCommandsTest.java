package dev.pledge.app.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pledge recommendations} and {@code pledge commitments} against {@code pledge serve} in demo mode (embedded
 * PostgreSQL, the built-in emulator): usage in the emulated cloud, a refresh with the approver's key, the
 * recommendation listed and shown, proposed twice (one purchase), approved, bought, refreshed; the inventory lists
 * the commitment with its purchase and expiry; what is left is flagged recently bought and needs --override.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsightCommandsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private ServeCommandTest.RunningServe serve;
    private ServeCommandTest.Banner banner;

    @BeforeAll
    void start(@TempDir Path dir) {
        ServeCommand.handleSignals = false;
        serve = ServeCommandTest.RunningServe.start(dir);
        banner = serve.banner();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.stop();
        }
        ServeCommand.handleSignals = true;
    }

    private CliRun as(String key, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(banner.url());
        return CliRun.with(Map.of("PLEDGE_API_KEY", key), null, all.toArray(String[]::new));
    }

    private CliRun ok(String key, String... args) {
        CliRun r = as(key, args);
        assertThat(r.exitCode).as(String.join(" ", args) + "\n" + r).isZero();
        return r;
    }

    private void usage(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(banner.emulator() + "/__pledge/usage"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode m5Recommendation() {
        JsonNode page = JSON.readTree(ok(banner.requester(), "recommendations", "list", "--type", "aws-rds",
                "--account", "111122223333", "-o", "json").out);
        for (JsonNode r : page.path("recommendations")) {
            if (r.path("offering").asString().equals("db.m5.large")) {
                return r;
            }
        }
        return null;
    }

    @Test
    void usage_refresh_list_show_propose_twice_approve_bought_refresh_and_the_commitment_is_listed() throws Exception {
        usage("{\"cloud\":\"aws\",\"type\":\"aws-rds\",\"account\":\"111122223333\",\"region\":\"us-east-1\","
                + "\"product\":\"db.m5.large\",\"units\":\"3\",\"attributes\":{\"productDescription\":\"postgresql\"}}");

        CliRun refresh = ok(banner.approver(), "recommendations", "refresh");
        assertThat(refresh.err).contains("Refreshing inventory and recommendations of every enabled account");
        assertThat(refresh.out).containsPattern("Refreshed (\\d+) of \\1 sources in [\\d.]+ s; recommendations: \\d+, "
                + "commitments held: \\d+\\.");
        CliRun refused = as(banner.requester(), "recommendations", "refresh");
        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err).contains("Not allowed (403)", "ADMIN or APPROVER");

        JsonNode rec = m5Recommendation();
        assertThat(rec).as("a db.m5.large recommendation").isNotNull();
        assertThat(rec.path("quantity").asInt()).isEqualTo(3);
        String id = rec.path("id").asString();

        CliRun table = ok(banner.requester(), "recommendations", "list", "--cloud", "aws");
        assertThat(table.out).contains("SAVINGS/MONTH", "BREAK-EVEN");
        assertThat(table.out.lines().filter(l -> l.startsWith(id)).findFirst()).hasValueSatisfying(line ->
                assertThat(line).contains("aws-rds", "111122223333", "us-east-1", "db.m5.large", "1y")
                        .containsPattern("USD \\d+\\.\\d\\d"));
        CliRun show = ok(banner.requester(), "recommendations", "show", id);
        assertThat(show.out).contains("  offering     db.m5.large", "  quantity     3", "  account      111122223333")
                .containsPattern("savings +USD \\d+\\.\\d\\d a month");
        CliRun missing = as(banner.requester(), "recommendations", "show", "7d0c1f0e-0000-4000-8000-000000000000");
        assertThat(missing.exitCode).as(missing.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(missing.err).contains("Not found (404)");

        CliRun proposed = ok(banner.requester(), "recommendations", "propose", id, "--count", "2");
        Matcher m = Pattern.compile("Proposed purchase (\\S+): PENDING_APPROVAL\\.").matcher(proposed.out);
        assertThat(m.find()).as(proposed.toString()).isTrue();
        String purchase = m.group(1);
        assertThat(proposed.out).contains("pledge purchases approve " + purchase).containsPattern(
                "0 +aws-rds +\\S+ +us-east-1 +db.m5.large +2 +1y");
        CliRun again = ok(banner.requester(), "recommendations", "propose", id, "--count", "2");
        assertThat(again.out).contains("Already proposed as purchase " + purchase);
        CliRun againJson = ok(banner.requester(), "recommendations", "propose", id, "-o", "json");
        assertThat(JSON.readTree(againJson.out).path("purchase").asString()).isEqualTo(purchase);
        assertThat(JSON.readTree(againJson.out).path("replayed").asBoolean()).isTrue();

        ok(banner.approver(), "purchases", "approve", purchase);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> JSON.readTree(
                ok(banner.approver(), "purchases", "show", purchase, "-o", "json").out).path("status").asString()
                .equals("SUCCEEDED"));

        ok(banner.approver(), "recommendations", "refresh");
        JsonNode held = JSON.readTree(ok(banner.requester(), "commitments", "--ours", "--type", "aws-rds", "-o",
                "json").out);
        assertThat(held.path("commitments")).singleElement().satisfies(c -> {
            assertThat(c.path("purchase").asString()).isEqualTo(purchase);
            assertThat(c.path("quantity").asInt()).isEqualTo(2);
            assertThat(c.path("end").asString()).isNotBlank();
        });
        CliRun text = ok(banner.requester(), "commitments", "--ours", "--expiring", "400d", "--account",
                "111122223333");
        assertThat(text.out).contains("PURCHASE", "END").containsPattern(
                "aws-rds +111122223333 +us-east-1 +db.m5.large +2 +1y .* " + purchase);
        assertThat(ok(banner.requester(), "commitments", "--ours", "--expiring", "30d").out)
                .contains("No commitments held.");
        assertThat(ok(banner.requester(), "commitments", "--summary").out).contains("EXPIRING 30D")
                .containsPattern("aws +aws-rds +\\d+");

        // one of three left: recommended again, flagged, and proposing it needs --override
        JsonNode rest = m5Recommendation();
        assertThat(rest.path("quantity").asInt()).isEqualTo(1);
        assertThat(rest.path("recentlyBought").asBoolean()).isTrue();
        CliRun flagged = as(banner.requester(), "recommendations", "propose", rest.path("id").asString());
        assertThat(flagged.exitCode).as(flagged.toString()).isEqualTo(ExitCode.REFUSED);
        assertThat(flagged.err).contains("Refused (409)", "add --override --reason '<why>'");
        CliRun overridden = ok(banner.requester(), "recommendations", "propose", rest.path("id").asString(),
                "--override", "--reason", "a new cluster");
        assertThat(overridden.out).contains("Proposed purchase ").doesNotContain(purchase + ":");
    }
}
