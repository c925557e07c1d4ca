package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API keys through the API: shown once, listed masked, revocable, with a last-used time. */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyApiTest {
    @LocalServerPort
    int port;

    private Http http;

    @BeforeAll
    void client() {
        http = new Http(port);
    }

    @Test
    void a_new_key_is_shown_once_and_never_again() {
        Http.Response created = http.post("/api/v1/keys", WebApiTest.ADMIN_KEY, Map.of("name", "shown once", "owner", "shown-once@example.com",
                "roles", List.of("viewer", "REQUESTER")));
        String secret = created.json().path("key").asString();
        String id = created.json().path("id").asString();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(created.header("Location")).endsWith("/api/v1/keys/" + id);
        assertThat(created.json().path("roles").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("VIEWER", "REQUESTER");
        Http.Response one = http.get("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY);
        Http.Response all = http.get("/api/v1/keys", WebApiTest.ADMIN_KEY);
        assertThat(one.text()).doesNotContain(secret);
        assertThat(all.text()).doesNotContain(secret);
        assertThat(one.json().has("key")).isFalse();
        assertThat(one.json().path("prefix").asString()).isEqualTo(secret.substring(0, 8) + "…");
    }

    @Test
    void a_key_records_when_it_was_last_used() {
        JsonNode created = http.post("/api/v1/keys", WebApiTest.ADMIN_KEY, Map.of("name", "used", "owner", "used@example.com",
                "roles", List.of("VIEWER"))).json();
        String id = created.path("id").asString();
        assertThat(http.get("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).json().has("lastUsedAt")).isFalse();

        assertThat(http.get("/api/v1/purchases/summary", created.path("key").asString()).status()).isEqualTo(200);

        assertThat(http.get("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).json().path("lastUsedAt").asString())
                .isNotBlank();
    }

    @Test
    void a_revoked_key_is_refused_from_the_next_request_on() {
        JsonNode created = http.post("/api/v1/keys", WebApiTest.ADMIN_KEY, Map.of("name", "to revoke", "owner", "to-revoke@example.com",
                "roles", List.of("VIEWER"))).json();
        String secret = created.path("key").asString();
        String id = created.path("id").asString();
        assertThat(http.get("/api/v1/accounts", secret).status()).isEqualTo(200);

        assertThat(http.delete("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).status()).isEqualTo(204);

        Http.Response refused = http.get("/api/v1/accounts", secret);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.detail()).contains(secret.substring(0, 8)).doesNotContain(secret);
        assertThat(http.get("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).json().path("revokedBy").asString())
                .startsWith("key:");
        assertThat(http.delete("/api/v1/keys/" + id, WebApiTest.ADMIN_KEY).status()).isEqualTo(204);
        assertThat(http.delete("/api/v1/keys/00000000-0000-4000-8000-000000000404", WebApiTest.ADMIN_KEY)
                .status()).isEqualTo(404);
    }

    @Test
    void the_key_may_also_come_in_x_api_key_but_not_in_another_authorization_scheme() {
        Http.Response viaHeader = http.send("GET", "/api/v1/accounts", null, null, null,
                Map.of("X-API-Key", WebApiTest.ADMIN_KEY));
        Http.Response basic = http.send("GET", "/api/v1/accounts", null, null, null,
                Map.of("Authorization", "Basic YWRtaW46YWRtaW4="));

        assertThat(viaHeader.status()).isEqualTo(200);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.detail()).contains("Bearer");
    }

    @Test
    void the_api_documents_and_health_are_open_and_describe_the_endpoints() {
        Http.Response docs = http.get("/v3/api-docs", null);
        Http.Response ui = http.get("/swagger-ui/index.html", null);
        Http.Response readiness = http.get("/actuator/health/readiness", null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").propertyNames()).contains("/api/v1/purchases",
                "/api/v1/purchases/{id}/approve", "/api/v1/keys", "/api/v1/accounts");
        assertThat(docs.json().path("components").path("securitySchemes").path("apiKey").path("scheme").asString())
                .isEqualTo("bearer");
        assertThat(docs.json().path("paths").path("/api/v1/purchases/{id}/approve").path("post").path("summary")
                .asString()).contains("APPROVER", "another owner than the creator's");
        assertThat(docs.json().path("paths").path("/api/v1/purchases").path("get").path("parameters").valueStream()
                .map(p -> p.path("name").asString()).toList()).containsExactlyInAnyOrder("status", "cloud", "account",
                "createdFrom", "createdBefore", "limit", "cursor");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
    }
}
