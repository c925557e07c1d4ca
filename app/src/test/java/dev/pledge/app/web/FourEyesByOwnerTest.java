package dev.pledge.app.web;

import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.Emulator;
import dev.pledge.emulator.FaultSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Four-eyes is a matter of people: approve and re-drive are refused when the approver's owner is the
 * creator's owner, whichever keys they use (issue 19 finding 1; issue 14 defect 11).
 */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FourEyesByOwnerTest {
    private static final Emulator EMULATOR = TestEmulator.get();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String account;

    @BeforeAll
    void setUp() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        account = fixture.awsAccount();
    }

    @AfterEach
    void clearFaults() {
        EMULATOR.clearFaults();
    }

    @Test
    void the_key_that_created_a_purchase_cannot_redrive_it_after_it_failed() {
        String self = fixture.key("redrives its own", "REQUESTER", "APPROVER");
        String other = fixture.key("another approver", "APPROVER");
        String id = failedPurchase(self, other);

        Http.Response r = http.post("/api/v1/purchases/" + id + "/redrive", self, null);

        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");
        assertThat(fixture.status(id)).isEqualTo("FAILED");
        assertThat(actions(id)).doesNotContain("REDRIVE");
    }

    @Test
    void two_keys_of_one_owner_cannot_approve_or_redrive_each_others_purchases_but_another_person_can() {
        String owner = "carol-" + System.nanoTime() + "@example.com";
        String carolRequests = fixture.ownedKeyJson("carol requests", owner, "REQUESTER").path("key").asString();
        String carolApproves = fixture.ownedKeyJson("carol approves", owner, "APPROVER").path("key").asString();
        String dave = fixture.ownedKeyJson("dave approves", "dave-" + System.nanoTime() + "@example.com", "APPROVER")
                .path("key").asString();

        String pending = fixture.pendingPurchase(carolRequests, account);
        Http.Response approve = http.post("/api/v1/purchases/" + pending + "/approve", carolApproves, null);
        assertThat(approve.status()).as(approve.toString()).isEqualTo(403);
        assertThat(approve.json().path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");
        assertThat(approve.detail()).contains(owner).contains(pending);
        assertThat(fixture.status(pending)).isEqualTo("PENDING_APPROVAL");

        String failed = failedPurchase(carolRequests, dave);
        Http.Response redrive = http.post("/api/v1/purchases/" + failed + "/redrive", carolApproves, null);
        assertThat(redrive.status()).as(redrive.toString()).isEqualTo(403);
        assertThat(fixture.status(failed)).isEqualTo("FAILED");
        assertThat(actions(failed)).doesNotContain("REDRIVE");

        Http.Response byDave = http.post("/api/v1/purchases/" + failed + "/redrive", dave, null);
        assertThat(byDave.status()).as(byDave.toString()).isEqualTo(200);
        assertThat(http.post("/api/v1/purchases/" + pending + "/approve", dave, null).status()).isEqualTo(200);
    }

    @Test
    void every_admin_action_writes_an_audit_row_naming_its_actor_and_owner() {
        long before = sql.queryForObject("SELECT coalesce(max(id), 0) FROM audit_events", Long.class);
        String adminOwner = "erin-" + System.nanoTime() + "@example.com";
        tools.jackson.databind.JsonNode adminKey = fixture.ownedKeyJson("erin admin", adminOwner, "ADMIN");
        String admin = adminKey.path("key").asString();
        String adminActor = "key:" + adminKey.path("id").asString();

        Http.Response key = http.post("/api/v1/keys", admin, java.util.Map.of("name", "made by erin", "owner",
                "frank@example.com", "roles", List.of("VIEWER")));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        assertThat(key.json().path("owner").asString()).isEqualTo("frank@example.com");
        Http.Response revoke = http.delete("/api/v1/keys/" + key.json().path("id").asString(), admin);
        assertThat(revoke.status()).isEqualTo(204);
        Http.Response registered = http.post("/api/v1/accounts", admin, java.util.Map.of("cloud", "gcp",
                "externalId", "audit-" + System.nanoTime(), "name", "audited"));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        Http.Response changed = http.patch("/api/v1/accounts/" + registered.json().path("id").asString(), admin,
                java.util.Map.of("enabled", false));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        List<java.util.Map<String, Object>> rows = sql.queryForList("SELECT actor, actor_owner, action, detail "
                + "FROM audit_events WHERE id > ? AND actor = ? ORDER BY id", before, adminActor);
        assertThat(rows).extracting(r -> r.get("action"))
                .containsExactly("KEY_CREATE", "KEY_REVOKE", "ACCOUNT_REGISTER", "ACCOUNT_UPDATE");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("actor_owner")).isEqualTo(adminOwner));
        assertThat((String) rows.get(0).get("detail")).contains("frank@example.com").contains("VIEWER");
        // the bootstrap admin that made erin's key is in the trail too
        assertThat(sql.queryForObject("SELECT actor_owner FROM audit_events WHERE id > ? AND action = 'KEY_CREATE' "
                + "ORDER BY id LIMIT 1", String.class, before)).isEqualTo("bootstrap-admin");
    }

    /** A purchase created by {@code requester}, approved by {@code approver}, FAILED by a permanent fault. */
    String failedPurchase(String requester, String approver) {
        String id = fixture.pendingPurchase(requester, account);
        EMULATOR.inject(FaultSpec.error(Cloud.AWS, "aws-rds", "PurchaseReservedDBInstancesOffering", 1000, 400,
                "InvalidParameterCombination"));
        Http.Response approved = http.post("/api/v1/purchases/" + id + "/approve", approver, null);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> fixture.status(id).equals("FAILED"));
        EMULATOR.clearFaults();
        return id;
    }

    List<String> actions(String id) {
        return sql.queryForList("SELECT action FROM audit_events WHERE execution_id = CAST(? AS uuid) ORDER BY id",
                String.class, id);
    }
}
