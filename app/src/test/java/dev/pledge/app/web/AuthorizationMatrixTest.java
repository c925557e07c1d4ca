package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint called by every kind of caller: no key, a revoked key, and a key with each single
 * role. Each call gets a resource of its own where the call changes it (a fresh purchase to approve,
 * a fresh key to revoke), so the answer depends on the caller alone.
 */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
    private static final List<String> CALLERS = List.of("none", "revoked", "VIEWER", "REQUESTER", "APPROVER", "ADMIN");

    @LocalServerPort
    int port;

    private ApiFixture fixture;
    private final Map<String, String> keys = new java.util.HashMap<>();
    private String account;
    private String otherRequester;

    @BeforeAll
    void keysForEveryRole() {
        fixture = new ApiFixture(new Http(port), WebApiTest.ADMIN_KEY);
        for (String role : List.of("VIEWER", "REQUESTER", "APPROVER", "ADMIN")) {
            keys.put(role, fixture.key("matrix " + role.toLowerCase(), role));
        }
        // the revoked key is an ADMIN key: only its revocation may stop it
        var revoked = fixture.keyJson("matrix revoked admin", "ADMIN");
        keys.put("revoked", revoked.path("key").asString());
        assertThat(fixture.http.delete("/api/v1/keys/" + revoked.path("id").asString(), WebApiTest.ADMIN_KEY)
                .status()).isEqualTo(204);
        account = fixture.awsAccount();
        otherRequester = fixture.key("matrix creator", "REQUESTER");
    }

    /** One endpoint: how to call it, and what each role gets. Callers without a valid key always get 401. */
    record Endpoint(String name, Function<AuthorizationMatrixTest, Call> call, Map<String, Integer> byRole,
                    int open) {
        int expected(String caller) {
            if (open > 0 && caller.equals("none")) {
                return open;
            }
            if (caller.equals("none") || caller.equals("revoked")) {
                return 401;
            }
            return byRole.getOrDefault(caller, 403);
        }
    }

    interface Call {
        Http.Response as(String key);
    }

    private static Map<String, Integer> all(int status) {
        return Map.of("VIEWER", status, "REQUESTER", status, "APPROVER", status, "ADMIN", status);
    }

    static Stream<Arguments> matrix() {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET /api/v1/accounts", t -> k -> t.http().get("/api/v1/accounts", k), all(200), 0),
                new Endpoint("GET /api/v1/accounts/{id}", t -> k -> t.http().get("/api/v1/accounts/" + t.account, k),
                        all(200), 0),
                new Endpoint("POST /api/v1/accounts", t -> k -> t.http().post("/api/v1/accounts", k, Map.of(
                        "cloud", "gcp", "externalId", "matrix-" + java.util.UUID.randomUUID(), "name", "m")),
                        Map.of("ADMIN", 201), 0),
                new Endpoint("PATCH /api/v1/accounts/{id}", t -> k -> t.http().patch("/api/v1/accounts/" + t.account,
                        k, Map.of("name", "renamed by matrix")), Map.of("ADMIN", 200), 0),
                new Endpoint("POST /api/v1/purchases", t -> k -> t.http().post("/api/v1/purchases", k,
                        ApiFixture.purchase(t.account)), Map.of("REQUESTER", 201), 0),
                new Endpoint("GET /api/v1/purchases", t -> k -> t.http().get("/api/v1/purchases", k), all(200), 0),
                new Endpoint("GET /api/v1/purchases/summary", t -> k -> t.http().get("/api/v1/purchases/summary", k),
                        all(200), 0),
                new Endpoint("GET /api/v1/purchases/{id}", t -> k -> t.http().get("/api/v1/purchases/"
                        + t.pending(), k), all(200), 0),
                new Endpoint("GET /api/v1/purchases/{id}/events", t -> k -> t.http().get("/api/v1/purchases/"
                        + t.pending() + "/events", k), all(200), 0),
                new Endpoint("POST /api/v1/purchases/{id}/approve", t -> k -> t.http().post("/api/v1/purchases/"
                        + t.pending() + "/approve", k, null), Map.of("APPROVER", 200), 0),
                new Endpoint("POST /api/v1/purchases/{id}/reject", t -> k -> t.http().post("/api/v1/purchases/"
                        + t.pending() + "/reject", k, Map.of("reason", "matrix")), Map.of("APPROVER", 200), 0),
                // not the creator: only ADMIN may cancel someone else's purchase
                new Endpoint("POST /api/v1/purchases/{id}/cancel", t -> k -> t.http().post("/api/v1/purchases/"
                        + t.pending() + "/cancel", k, null), Map.of("ADMIN", 200), 0),
                // a PENDING purchase cannot be re-driven: 409 shows the APPROVER got past authorization
                new Endpoint("POST /api/v1/purchases/{id}/redrive", t -> k -> t.http().post("/api/v1/purchases/"
                        + t.pending() + "/redrive", k, null), Map.of("APPROVER", 409), 0),
                new Endpoint("GET /api/v1/recommendations", t -> k -> t.http().get("/api/v1/recommendations", k),
                        all(200), 0),
                // an id no refresh made: 404 shows the caller got past authorization
                new Endpoint("GET /api/v1/recommendations/{id}", t -> k -> t.http().get("/api/v1/recommendations/"
                        + java.util.UUID.randomUUID(), k), all(404), 0),
                new Endpoint("POST /api/v1/recommendations/{id}/propose", t -> k -> t.http().post(
                        "/api/v1/recommendations/" + java.util.UUID.randomUUID() + "/propose", k, Map.of()),
                        Map.of("REQUESTER", 404), 0),
                new Endpoint("POST /api/v1/recommendations/refresh", t -> k -> t.http().post(
                        "/api/v1/recommendations/refresh", k, Map.of()), Map.of("ADMIN", 200, "APPROVER", 200), 0),
                new Endpoint("GET /api/v1/commitments", t -> k -> t.http().get("/api/v1/commitments", k), all(200), 0),
                new Endpoint("GET /api/v1/commitments/summary", t -> k -> t.http().get("/api/v1/commitments/summary",
                        k), all(200), 0),
                new Endpoint("POST /api/v1/keys", t -> k -> t.http().post("/api/v1/keys", k, Map.of("name",
                        "made in matrix", "owner", "matrix@example.com", "roles", List.of("VIEWER"))), Map.of("ADMIN", 201), 0),
                new Endpoint("GET /api/v1/keys", t -> k -> t.http().get("/api/v1/keys", k), Map.of("ADMIN", 200), 0),
                new Endpoint("GET /api/v1/keys/{id}", t -> k -> t.http().get("/api/v1/keys/" + t.spareKey(), k),
                        Map.of("ADMIN", 200), 0),
                new Endpoint("DELETE /api/v1/keys/{id}", t -> k -> t.http().delete("/api/v1/keys/" + t.spareKey(), k),
                        Map.of("ADMIN", 204), 0),
                new Endpoint("GET /api/v1/admin-requests", t -> k -> t.http().get("/api/v1/admin-requests", k),
                        Map.of("ADMIN", 200), 0),
                // no such request: 404 shows the ADMIN got past authorization
                new Endpoint("GET /api/v1/admin-requests/{id}", t -> k -> t.http().get("/api/v1/admin-requests/"
                        + java.util.UUID.randomUUID(), k), Map.of("ADMIN", 404), 0),
                new Endpoint("POST /api/v1/admin-requests/{id}/confirm", t -> k -> t.http().post(
                        "/api/v1/admin-requests/" + java.util.UUID.randomUUID() + "/confirm", k, null),
                        Map.of("ADMIN", 404), 0),
                new Endpoint("POST /api/v1/admin-requests/{id}/reject", t -> k -> t.http().post(
                        "/api/v1/admin-requests/" + java.util.UUID.randomUUID() + "/reject", k, null),
                        Map.of("ADMIN", 404), 0),
                new Endpoint("GET /api/v1/audit/verify", t -> k -> t.http().get("/api/v1/audit/verify", k),
                        Map.of("ADMIN", 200), 0),
                new Endpoint("GET /api/v1/audit/export", t -> k -> t.http().get("/api/v1/audit/export?after="
                        + Long.MAX_VALUE, k), Map.of("ADMIN", 200), 0),
                new Endpoint("GET /api/v1/budget", t -> k -> t.http().get("/api/v1/budget", k), all(200), 0),
                new Endpoint("GET /api/v1/accounts/{id}/budget", t -> k -> t.http().get("/api/v1/accounts/"
                        + t.account + "/budget", k), all(200), 0),
                new Endpoint("PUT /api/v1/budget", t -> k -> t.http().send("PUT", "/api/v1/budget", k,
                        "application/json", "{\"limits\":{}}", Map.of()), Map.of("ADMIN", 200), 0),
                new Endpoint("PUT /api/v1/accounts/{id}/budget", t -> k -> t.http().send("PUT", "/api/v1/accounts/"
                        + t.account + "/budget", k, "application/json", "{\"limits\":{}}", Map.of()),
                        Map.of("ADMIN", 200), 0),
                new Endpoint("GET /api/v1/plans", t -> k -> t.http().get("/api/v1/plans", k), all(200), 0),
                new Endpoint("POST /api/v1/plans", t -> k -> t.http().post("/api/v1/plans", k, Map.of("name",
                        "matrix plan", "cadence", "0 0 6 * * MON", "mode", "propose")), Map.of("ADMIN", 201), 0),
                new Endpoint("GET /api/v1/notifications?status=failed", t -> k -> t.http().get(
                        "/api/v1/notifications?status=failed", k), Map.of("ADMIN", 200), 0),
                new Endpoint("GET /api/v1/notifications", t -> k -> t.http().get("/api/v1/notifications", k),
                        Map.of("ADMIN", 200), 0),
                new Endpoint("GET /actuator/prometheus", t -> k -> t.http().get("/actuator/prometheus", k), all(200), 0),
                new Endpoint("GET /actuator/health", t -> k -> t.http().get("/actuator/health", k), all(200), 200),
                new Endpoint("GET /actuator/health/readiness", t -> k -> t.http().get("/actuator/health/readiness", k),
                        all(200), 200),
                new Endpoint("GET /actuator/health/liveness", t -> k -> t.http().get("/actuator/health/liveness", k),
                        all(200), 200),
                new Endpoint("GET /v3/api-docs", t -> k -> t.http().get("/v3/api-docs", k), all(200), 200),
                new Endpoint("GET /actuator/env (not exposed)", t -> k -> t.http().get("/actuator/env", k),
                        all(404), 0));
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (String caller : CALLERS) {
                cases.add(Arguments.of(e.name(), caller, e));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void every_endpoint_answers_each_caller_as_its_role_allows(String name, String caller, Endpoint endpoint) {
        Http.Response r = endpoint.call().apply(this).as(caller.equals("none") ? null : keys.get(caller));

        int expected = endpoint.expected(caller);
        assertThat(r.status()).as(name + " as " + caller + ": " + r).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().path("status").asInt()).isEqualTo(expected);
            assertThat(r.detail()).isNotBlank();
        }
        if (expected == 401) {
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    private Http http() {
        return fixture.http;
    }

    private String pending() {
        return fixture.pendingPurchase(otherRequester, account);
    }

    private String spareKey() {
        return fixture.keyJson("spare", "VIEWER").path("id").asString();
    }
}
