package dev.pledge.app.web;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The closed loop through the HTTP API against the emulator: seeded usage, refresh, propose (twice: one
 * purchase), approve with another key, SUCCEEDED, refresh: the recommendation is gone and the inventory lists
 * the commitment with its expiry and its purchase. And a refresh that fails keeps the last generation, stale.
 */
@WebApiTest
class RecommendationLoopTest {
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
        requester = fixture.key("reco requester", "REQUESTER", "VIEWER");
        approver = fixture.key("reco approver", "APPROVER", "VIEWER");
    }

    @AfterEach
    void clearFaults() {
        EMULATOR.clearFaults();
    }

    private static void usage(String account, int units) throws Exception {
        String body = "{\"cloud\":\"aws\",\"type\":\"aws-rds\",\"account\":\"" + account + "\",\"region\":\"us-east-1\","
                + "\"product\":\"db.r6g.large\",\"units\":\"" + units + "\",\"attributes\":{\"productDescription\":\"postgresql\"}}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(EMULATOR.baseUrl() + "/__pledge/usage"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<JsonNode> recommendations(String account) {
        Http.Response r = http.get("/api/v1/recommendations?type=aws-rds&account=" + account, requester);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().path("recommendations").forEach(out::add);
        return out;
    }

    private void refresh() {
        Http.Response r = http.post("/api/v1/recommendations/refresh", approver, Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private String externalIdOf(String account) {
        return http.get("/api/v1/accounts/" + account, WebApiTest.ADMIN_KEY).json().path("externalId").asString();
    }

    @Test
    void usage_refresh_propose_twice_approve_bought_refresh_and_the_recommendation_is_gone() throws Exception {
        String account = fixture.awsAccount();
        String external = externalIdOf(account);
        usage(external, 3);
        refresh();

        List<JsonNode> recs = recommendations(account);
        assertThat(recs).hasSize(1);
        JsonNode rec = recs.get(0);
        assertThat(rec.path("offering").asString()).isEqualTo("db.r6g.large");
        assertThat(rec.path("quantity").asInt()).isEqualTo(3);
        assertThat(rec.path("stale").asBoolean()).isFalse();
        assertThat(rec.path("refreshedAt").asString()).isNotBlank();
        assertThat(rec.path("monthlySavings").decimalValue()).isPositive();
        String id = rec.path("id").asString();

        Http.Response first = http.post("/api/v1/recommendations/" + id + "/propose", requester, Map.of());
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Http.Response second = http.post("/api/v1/recommendations/" + id + "/propose", requester, Map.of());
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        String purchase = first.json().path("purchase").asString();
        assertThat(second.json().path("purchase").asString()).isEqualTo(purchase);
        assertThat(second.json().path("replayed").asBoolean()).isTrue();
        JsonNode item = http.get("/api/v1/purchases/" + purchase, requester).json();
        assertThat(item.path("status").asString()).isEqualTo("PENDING_APPROVAL");

        Http.Response approved = http.post("/api/v1/purchases/" + purchase + "/approve", approver, Map.of());
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(fixture.status(purchase)));

        refresh();
        assertThat(recommendations(account)).isEmpty();
        Http.Response held = http.get("/api/v1/commitments?type=aws-rds&account=" + account, requester);
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        List<JsonNode> commitments = new ArrayList<>();
        held.json().path("commitments").forEach(commitments::add);
        assertThat(commitments).singleElement().satisfies(c -> {
            assertThat(c.path("purchase").asString()).isEqualTo(purchase);
            assertThat(c.path("quantity").asInt()).isEqualTo(3);
            assertThat(c.path("end").asString()).isNotBlank();
            assertThat(c.path("term").asString()).isEqualTo("1y");
            assertThat(c.path("active").asBoolean()).isTrue();
        });
        Http.Response expiring = http.get("/api/v1/commitments?expiringWithinDays=400&account=" + account, requester);
        assertThat(expiring.json().path("commitments").size()).isEqualTo(1);
        Http.Response notYet = http.get("/api/v1/commitments?expiringWithinDays=30&account=" + account, requester);
        assertThat(notYet.json().path("commitments").size()).isZero();

        // more usage: a smaller recommendation, flagged as recently bought, needs an override
        usage(external, 5);
        refresh();
        JsonNode again = recommendations(account).get(0);
        assertThat(again.path("quantity").asInt()).isEqualTo(2);
        assertThat(again.path("recentlyBought").asBoolean()).isTrue();
        Http.Response refused = http.post("/api/v1/recommendations/" + again.path("id").asString() + "/propose",
                requester, Map.of());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.text()).contains("override");
    }

    @Test
    void a_failed_refresh_keeps_the_previous_generation_and_marks_it_stale_with_the_reason() throws Exception {
        String account = fixture.awsAccount();
        usage(externalIdOf(account), 4);
        refresh();
        String before = recommendations(account).get(0).path("id").asString();

        // every aws-rds recommendation call fails while this refresh runs: the accounts other tests of this
        // context registered are refreshed too (in any order), so a counted fault could be used up before ours
        EMULATOR.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "GetReservationPurchaseRecommendation", 1_000_000, 500,
                "InternalServerException"));
        try {
            refresh();
        } finally {
            EMULATOR.clearFaults();
        }
        List<JsonNode> after = recommendations(account);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).path("id").asString()).isEqualTo(before);
        assertThat(after.get(0).path("stale").asBoolean()).isTrue();
        assertThat(after.get(0).path("staleReason").asString()).contains("InternalServerException");

        Http.Response denied = http.post("/api/v1/recommendations/refresh", requester, Map.of());
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.text()).contains("ADMIN or APPROVER");
    }
}
