package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** pledge.api.admin-four-eyes=true: an admin action waits until an ADMIN of another owner confirms it. */
@WebApiTest
@TestPropertySource(properties = "pledge.api.admin-four-eyes=true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminFourEyesTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private String grace;
    private String graceSecondKey;
    private String heidi;
    private String heidiActor;

    @Autowired
    dev.pledge.app.security.ApiKeyService keys;

    /** Two administrators exist before admin four-eyes is turned on (as the README tells the operator). */
    @BeforeAll
    void twoAdministrators() {
        http = new Http(port);
        grace = seedAdmin("grace admin", "grace@example.com");
        graceSecondKey = seedAdmin("grace second", "grace@example.com");
        heidi = seedAdmin("heidi admin", "heidi@example.com");
        heidiActor = "key:" + sql.queryForObject("SELECT id FROM api_keys WHERE name = 'heidi admin'", String.class);
    }

    private String seedAdmin(String name, String owner) {
        return keys.create(name, owner, List.of(dev.pledge.app.security.Role.ADMIN), "test").secret();
    }

    @Test
    void an_admin_action_stays_pending_until_an_admin_of_another_owner_confirms_it() {
        Http.Response pending = http.post("/api/v1/accounts", grace, Map.of("cloud", "aws", "externalId",
                "444455556666", "name", "needs two", "credentials", Map.of("externalId", "Sx9-Qv7-Lm2-Zt4")));
        assertThat(pending.status()).as(pending.toString()).isEqualTo(202);
        assertThat(pending.json().path("status").asString()).isEqualTo("PENDING");
        assertThat(pending.json().path("action").asString()).isEqualTo("ACCOUNT_REGISTER");
        assertThat(pending.text()).doesNotContain("Sx9-");
        String id = pending.json().path("id").asString();
        assertThat(accountExists("444455556666")).isFalse();
        assertThat(sql.queryForObject("SELECT payload::text FROM admin_requests WHERE id = CAST(? AS uuid)",
                String.class, id)).doesNotContain("Sx9-Qv7");

        Http.Response sameKey = http.post("/api/v1/admin-requests/" + id + "/confirm", grace, null);
        Http.Response sameOwner = http.post("/api/v1/admin-requests/" + id + "/confirm", graceSecondKey, null);
        assertThat(sameKey.status()).isEqualTo(403);
        assertThat(sameOwner.status()).as(sameOwner.toString()).isEqualTo(403);
        assertThat(sameOwner.json().path("type").asString()).isEqualTo("urn:pledge:problem:admin-four-eyes");
        assertThat(accountExists("444455556666")).isFalse();

        Http.Response confirmed = http.post("/api/v1/admin-requests/" + id + "/confirm", heidi, null);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(201);
        assertThat(confirmed.json().path("credentials").path("fields").get(0).asString()).isEqualTo("externalId");
        assertThat(accountExists("444455556666")).isTrue();
        assertThat(http.get("/api/v1/admin-requests/" + id, heidi).json().path("status").asString())
                .isEqualTo("CONFIRMED");
        assertThat(http.post("/api/v1/admin-requests/" + id + "/confirm", heidi, null).status()).isEqualTo(409);
        assertThat(sql.queryForList("SELECT action FROM audit_events WHERE action IN ('ADMIN_REQUEST', "
                + "'ACCOUNT_REGISTER', 'ADMIN_CONFIRM') AND detail LIKE ? ORDER BY id", String.class, "%" + id + "%"))
                .containsExactly("ADMIN_REQUEST", "ACCOUNT_REGISTER", "ADMIN_CONFIRM");
        assertThat(sql.queryForObject("SELECT actor FROM audit_events WHERE action = 'ACCOUNT_REGISTER' AND detail "
                + "LIKE ?", String.class, "%" + id + "%")).isEqualTo(heidiActor);
    }

    @Test
    void a_key_revocation_waits_too_and_a_rejected_request_changes_nothing() {
        Http.Response made = http.post("/api/v1/keys", grace, Map.of("name", "viewer", "owner", "ivan@example.com",
                "roles", List.of("VIEWER")));
        assertThat(made.status()).isEqualTo(202);
        JsonNode key = http.post("/api/v1/admin-requests/" + made.json().path("id").asString() + "/confirm", heidi,
                null).json();
        String keyId = key.path("id").asString();
        assertThat(http.get("/api/v1/accounts", key.path("key").asString()).status()).isEqualTo(200);

        Http.Response revoke = http.delete("/api/v1/keys/" + keyId, grace);
        assertThat(revoke.status()).isEqualTo(202);
        assertThat(http.get("/api/v1/accounts", key.path("key").asString()).status()).isEqualTo(200);
        Http.Response rejected = http.post("/api/v1/admin-requests/" + revoke.json().path("id").asString()
                + "/reject", heidi, null);
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("status").asString()).isEqualTo("REJECTED");
        assertThat(http.post("/api/v1/admin-requests/" + revoke.json().path("id").asString() + "/confirm", heidi,
                null).status()).isEqualTo(409);
        assertThat(http.get("/api/v1/accounts", key.path("key").asString()).status()).isEqualTo(200);
    }

    private boolean accountExists(String externalId) {
        return Boolean.TRUE.equals(sql.queryForObject("SELECT EXISTS (SELECT 1 FROM accounts WHERE external_id = ?)",
                Boolean.class, externalId));
    }
}
