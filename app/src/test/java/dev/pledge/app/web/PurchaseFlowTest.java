package dev.pledge.app.web;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole flow through the API, with the real AWS executors (real SDK clients over HTTP) buying
 * RDS reserved DB instances from the project's emulator: create, approve with a second key, bought;
 * and a purchase failed by an injected permanent fault, re-driven once the fault is cleared.
 */
@WebApiTest
@ExtendWith(OutputCaptureExtension.class)
class PurchaseFlowTest {
    private static final String TYPE = "aws-rds";
    private static final String REGION = "us-east-1";
    private static final String PURCHASE = "PurchaseReservedDBInstancesOffering";
    private static final Emulator EMULATOR = TestEmulator.get();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String requester;
    private String approver;
    private String approverId;
    private String requesterId;
    private String requesterOwner;
    private String approverOwner;

    @AfterEach
    void clearFaults() {
        EMULATOR.clearFaults();
    }

    @BeforeEach
    void keys() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        JsonNode r = fixture.keyJson("flow requester", "REQUESTER", "VIEWER");
        requester = r.path("key").asString();
        requesterId = r.path("id").asString();
        requesterOwner = r.path("owner").asString();
        JsonNode a = fixture.keyJson("flow approver", "APPROVER", "VIEWER");
        approver = a.path("key").asString();
        approverId = a.path("id").asString();
        approverOwner = a.path("owner").asString();
    }

    @Test
    void a_purchase_approved_by_a_second_key_is_bought_once_and_every_step_is_in_the_audit_trail(CapturedOutput logs) {
        String externalId = String.valueOf(200_000_000_000L + System.nanoTime() % 100_000_000_000L);
        String account = account(externalId);

        Http.Response created = http.post("/api/v1/purchases", requester, body(account, 2));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(created.header("Location")).endsWith("/api/v1/purchases/" + id);
        assertThat(created.json().path("status").asString()).isEqualTo("PENDING_APPROVAL");
        assertThat(created.json().path("createdBy").asString()).isEqualTo("key:" + requesterId);

        Http.Response approved = http.post("/api/v1/purchases/" + id + "/approve", approver, null);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("approvedBy").asString()).isEqualTo("key:" + approverId);
        // people, not keys: each actor of the view is named by the key's owner and the key's name
        JsonNode people = http.get("/api/v1/purchases/" + id, requester).json().path("people");
        assertThat(people.path("key:" + requesterId).path("person").asString()).isEqualTo(requesterOwner);
        assertThat(people.path("key:" + requesterId).path("key").asString()).isEqualTo("flow requester");
        assertThat(people.path("key:" + approverId).path("person").asString()).isEqualTo(approverOwner);
        JsonNode listed = http.get("/api/v1/purchases?limit=200", requester).json().path("purchases");
        assertThat(listed.valueStream().filter(p -> id.equals(p.path("id").asString())).findFirst().orElseThrow()
                .path("people").path("key:" + requesterId).path("person").asString()).isEqualTo(requesterOwner);

        JsonNode done = awaitStatus(id, "SUCCEEDED");
        JsonNode item = done.path("items").get(0);
        assertThat(item.path("status").asString()).isEqualTo("BOUGHT");
        assertThat(item.path("outcome").asString()).isEqualTo("BOUGHT");
        List<Commitment> inCloud = EMULATOR.state().commitments(Cloud.AWS, TYPE, externalId, REGION);
        assertThat(inCloud).hasSize(1);
        assertThat(inCloud.get(0).id()).isEqualTo(item.path("commitmentId").asString());

        JsonNode events = http.get("/api/v1/purchases/" + id + "/events", requester).json().path("events");
        Map<String, String> actorByAction = new LinkedHashMap<>();
        events.forEach(e -> actorByAction.putIfAbsent(e.path("action").asString(), e.path("actor").asString()));
        assertThat(actorByAction.keySet()).containsExactly("CREATE", "APPROVE", "CLAIM", "ITEM_ATTEMPT",
                "ITEM_OUTCOME", "FINISH");
        assertThat(actorByAction.get("CREATE")).isEqualTo("key:" + requesterId);
        assertThat(actorByAction.get("APPROVE")).isEqualTo("key:" + approverId);
        assertThat(actorByAction.get("CLAIM")).startsWith("worker:");
        events.forEach(e -> {
            assertThat(e.path("actor").asString()).isNotBlank();
            assertThat(e.path("at").asString()).isNotBlank();
            assertThat(e.path("token").asString()).hasSize(9).endsWith("…");
        });
        String token = sql.queryForObject("SELECT execution_token FROM executions WHERE id = CAST(? AS uuid)",
                String.class, id);
        assertThat(created.text() + approved.text() + events).doesNotContain(token);
        assertThat(logs.getAll()).contains(id).doesNotContain(token).doesNotContain(requester)
                .doesNotContain(approver);
    }

    @Test
    void a_purchase_failed_by_a_permanent_fault_is_redriven_once_the_fault_is_cleared_and_owns_one_commitment_per_item() {
        String externalId = String.valueOf(300_000_000_000L + System.nanoTime() % 100_000_000_000L);
        String account = account(externalId);
        Map<String, Object> twoItems = body(account, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> second = new LinkedHashMap<>(((List<Map<String, Object>>) twoItems.get("items")).get(0));
        second.put("quantity", 3);
        twoItems.put("items", List.of(((List<?>) twoItems.get("items")).get(0), second));
        String id = http.post("/api/v1/purchases", requester, twoItems).json().path("id").asString();
        EMULATOR.inject(FaultSpec.error(Cloud.AWS, TYPE, PURCHASE, 1000, 400, "InvalidParameterCombination"));

        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approver, null).status()).isEqualTo(200);
        JsonNode failed = awaitStatus(id, "FAILED");
        assertThat(failed.path("items").valueStream().map(i -> i.path("status").asString()).toList())
                .containsExactly("FAILED", "FAILED");
        assertThat(failed.path("items").get(0).path("error").asString()).contains("InvalidParameterCombination");
        assertThat(EMULATOR.state().commitments(Cloud.AWS, TYPE, externalId, REGION)).isEmpty();

        EMULATOR.clearFaults();
        Http.Response redriven = http.post("/api/v1/purchases/" + id + "/redrive", approver, null);
        assertThat(redriven.status()).as(redriven.toString()).isEqualTo(200);
        assertThat(redriven.json().path("attempt").asInt()).isEqualTo(2);

        JsonNode done = awaitStatus(id, "SUCCEEDED");
        Set<String> itemCommitments = done.path("items").valueStream().map(i -> i.path("commitmentId").asString())
                .collect(Collectors.toSet());
        List<Commitment> inCloud = EMULATOR.state().commitments(Cloud.AWS, TYPE, externalId, REGION);
        assertThat(inCloud).hasSize(2);
        assertThat(inCloud.stream().map(Commitment::id).collect(Collectors.toSet())).isEqualTo(itemCommitments);
        assertThat(http.get("/api/v1/purchases/" + id + "/events", requester).json().path("events").valueStream()
                .filter(e -> e.path("action").asString().equals("REDRIVE")).map(e -> e.path("actor").asString())
                .toList()).containsExactly("key:" + approverId);

        Http.Response again = http.post("/api/v1/purchases/" + id + "/redrive", approver, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.detail()).contains("FAILED or PARTIALLY_SUCCEEDED").contains("SUCCEEDED");
        assertThat(EMULATOR.state().commitments(Cloud.AWS, TYPE, externalId, REGION)).hasSize(2);
    }

    @Test
    void prometheus_shows_executions_by_status_purchases_by_outcome_and_approval_to_start_latency() {
        String account = account(String.valueOf(500_000_000_000L + System.nanoTime() % 100_000_000_000L));
        String id = http.post("/api/v1/purchases", requester, body(account, 1)).json().path("id").asString();
        http.post("/api/v1/purchases/" + id + "/approve", approver, null);
        awaitStatus(id, "SUCCEEDED");

        Http.Response metrics = http.get("/actuator/prometheus", requester);

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).containsPattern("pledge_executions\\{[^}]*status=\"SUCCEEDED\"[^}]*} [1-9]")
                .containsPattern("pledge_purchases_total\\{[^}]*outcome=\"[A-Za-z_]+\"")
                .contains("pledge_execution_approval_to_start_seconds_count");
    }

    private String account(String externalId) {
        Http.Response r = http.post("/api/v1/accounts", WebApiTest.ADMIN_KEY, Map.of("cloud", "aws", "externalId",
                externalId, "name", "flow " + externalId));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private static Map<String, Object> body(String account, int quantity) {
        Offering offering = EMULATOR.state().offerings(Cloud.AWS, TYPE, REGION).stream()
                .filter(o -> "1y".equals(o.term()) && "no-upfront".equals(o.payment())).findFirst().orElseThrow();
        Map<String, Object> item = new LinkedHashMap<>(ApiFixture.rdsItem(account));
        item.put("offering", offering.product());
        item.put("quantity", quantity);
        if (!offering.description().isBlank()) {
            item.put("attributes", Map.of("productDescription", offering.description()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "RDS for the flow test");
        body.put("items", List.of(item));
        return body;
    }

    private JsonNode awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(
                () -> fixture.status(id).equals(status) || isFinishedOtherwise(id, status));
        JsonNode p = http.get("/api/v1/purchases/" + id, WebApiTest.ADMIN_KEY).json();
        assertThat(p.path("status").asString()).as(p.toString()).isEqualTo(status);
        return p;
    }

    private boolean isFinishedOtherwise(String id, String wanted) {
        String s = fixture.status(id);
        return !s.equals(wanted) && Set.of("SUCCEEDED", "FAILED", "PARTIALLY_SUCCEEDED", "CANCELED").contains(s);
    }
}
