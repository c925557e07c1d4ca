package dev.pledge.app.web;

import dev.pledge.emulator.Emulator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three clouds' sources loaded side by side in the app. GCP's recommender is regional: the app asks for the
 * configured regions ({@code pledge.insights.gcp-regions}, here only us-east1) and those where Pledge bought or the
 * project holds a commitment, not a fixed list. An Azure account whose id is no billing scope is reported by name
 * without failing the other accounts' refresh.
 */
@WebApiTest
@TestPropertySource(properties = "pledge.insights.gcp-regions=us-east1")
class InsightAccountsTest {
    private static final Emulator EMULATOR = TestEmulator.get();

    @LocalServerPort
    int port;
    private Http http;
    private ApiFixture fixture;
    private String requester;
    private String approver;

    @BeforeEach
    void keys() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        requester = fixture.key("insight requester", "REQUESTER", "VIEWER");
        approver = fixture.key("insight approver", "APPROVER", "VIEWER");
    }

    private String account(String cloud, String externalId) {
        Http.Response r = http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", cloud,
                "externalId", externalId, "name", cloud + " " + externalId));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private static void usage(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(EMULATOR.baseUrl() + "/__pledge/usage"))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String gcpUsage(String project, String region, int vcpus) {
        return "{\"cloud\":\"gcp\",\"type\":\"gcp-compute\",\"account\":\"" + project + "\",\"region\":\""
                + region + "\",\"product\":\"GENERAL_PURPOSE_N2\",\"units\":\"" + vcpus + "\"}";
    }

    private static List<JsonNode> list(Http.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().path(field).forEach(out::add);
        return out;
    }

    @Test
    void gcp_recommendations_come_from_the_configured_regions_and_those_pledge_bought_in_and_a_bad_azure_account_fails_alone()
            throws Exception {
        String project = "reco-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String gcp = account("gcp", project);
        String notAScope = "billing-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        account("azure", notAScope);

        // Pledge buys 4 vCPUs in europe-west4 (not a configured region)
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "gcp-compute");
        item.put("account", gcp);
        item.put("region", "europe-west4");
        item.put("offering", "GENERAL_PURPOSE_N2");
        item.put("quantity", 1);
        item.put("term", "1y");
        item.put("attributes", Map.of("vcpus", "4", "memoryMb", "16384"));
        Http.Response created = http.post("/api/v1/purchases", requester, Map.of("description",
                "n2 in the netherlands", "items", List.of(item)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String purchase = created.json().path("id").asString();
        Http.Response approved = http.post("/api/v1/purchases/" + purchase + "/approve", approver, Map.of());
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(fixture.status(purchase)));

        // the project uses 12 vCPUs there (8 more to commit to), and 8 in us-central1, a region nobody named
        usage("[" + gcpUsage(project, "europe-west4", 12) + "," + gcpUsage(project, "us-central1", 8) + "]");
        Http.Response refreshed = http.post("/api/v1/recommendations/refresh", approver, Map.of());
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);

        List<String> failures = new ArrayList<>();
        refreshed.json().path("failures").forEach(f -> failures.add(f.asString()));
        assertThat(failures).filteredOn(f -> f.contains(notAScope)).isNotEmpty()
                .allSatisfy(f -> assertThat(f).contains("is not an Azure billing scope"));
        assertThat(failures).noneMatch(f -> f.contains(project));

        List<JsonNode> recs = list(http.get("/api/v1/recommendations?type=gcp-compute&account=" + gcp, requester),
                "recommendations");
        assertThat(recs).as("recommendations of %s", project).singleElement().satisfies(r -> {
            assertThat(r.path("region").asString()).isEqualTo("europe-west4");
            assertThat(r.path("attributes").path("vcpus").asString()).isEqualTo("8");
        });
        List<JsonNode> held = list(http.get("/api/v1/commitments?type=gcp-compute&account=" + gcp, requester),
                "commitments");
        assertThat(held).singleElement().satisfies(c -> {
            assertThat(c.path("region").asString()).isEqualTo("europe-west4");
            assertThat(c.path("purchase").asString()).isEqualTo(purchase);
        });
    }

    private static int marks() {
        return EMULATOR.requestCounts().stream().filter(c -> c.call().operation().equals("Recommendations.mark"))
                .mapToInt(dev.pledge.emulator.RequestCount::count).sum();
    }

    private static JsonNode emulatorGet(String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(EMULATOR.baseUrl() + "/v1/" + name)).header("Authorization", "Bearer test").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.body());
    }

    @Test
    void a_bought_gcp_recommendation_is_marked_claimed_then_succeeded_once() throws Exception {
        String project = "mark-" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String gcp = account("gcp", project);
        usage(gcpUsage(project, "us-east1", 8));
        assertThat(http.post("/api/v1/recommendations/refresh", approver, Map.of()).status()).isEqualTo(200);
        JsonNode rec = list(http.get("/api/v1/recommendations?type=gcp-compute&account=" + gcp, requester),
                "recommendations").get(0);
        String name = rec.path("cloudRecommendationId").asString();
        assertThat(emulatorGet(name).path("stateInfo").path("state").asString()).isEqualTo("ACTIVE");

        Http.Response proposed = http.post("/api/v1/recommendations/" + rec.path("id").asString() + "/propose",
                requester, Map.of());
        assertThat(proposed.status()).as(proposed.toString()).isEqualTo(201);
        String purchase = proposed.json().path("purchase").asString();
        int before = marks();
        // not bought yet: a refresh tells the cloud nothing
        assertThat(http.post("/api/v1/recommendations/refresh", approver, Map.of()).status()).isEqualTo(200);
        assertThat(marks()).isEqualTo(before);

        assertThat(http.post("/api/v1/purchases/" + purchase + "/approve", approver, Map.of()).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(fixture.status(purchase)));
        assertThat(http.post("/api/v1/recommendations/refresh", approver, Map.of()).status()).isEqualTo(200);
        // claimed with the listed etag, then succeeded with the etag the claim returned (the emulator refuses a
        // stale etag with FAILED_PRECONDITION), and the bought recommendation is no longer listed
        assertThat(marks()).isEqualTo(before + 2);
        assertThat(emulatorGet(name).path("stateInfo").path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(list(http.get("/api/v1/recommendations?type=gcp-compute&account=" + gcp, requester),
                "recommendations")).isEmpty();

        // idempotent: the next refresh sends no mark again
        assertThat(http.post("/api/v1/recommendations/refresh", approver, Map.of()).status()).isEqualTo(200);
        assertThat(marks()).isEqualTo(before + 2);
    }
}
