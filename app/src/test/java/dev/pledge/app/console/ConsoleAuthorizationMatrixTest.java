package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.security.ApiKeyService;
import dev.pledge.app.security.Role;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every console route called by every kind of caller: nobody signed in, a person signed in at the
 * identity provider without any Pledge role, and a person with each single role. Nobody signed in is
 * sent to the sign-in page (302) for every page and action; a person reaches nothing beyond their roles
 * (403). Each call that changes something gets a resource of its own (a fresh purchase by somebody else).
 */
@ConsoleAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAuthorizationMatrixTest {
    private static final List<String> CALLERS = List.of("none", "no-role", "VIEWER", "REQUESTER", "APPROVER", "ADMIN");

    @LocalServerPort
    int port;
    @Autowired
    ApiKeyService keys;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;
    @Autowired
    BackgroundRefresh refresh;

    private final Map<String, String> secrets = new HashMap<>();
    private UUID account;

    @BeforeAll
    void keysForEveryRole() {
        for (Role r : Role.values()) {
            secrets.put(r.name(), keys.create("console matrix " + r.name().toLowerCase(java.util.Locale.ROOT), "console matrix " + r.name().toLowerCase(java.util.Locale.ROOT),
                    EnumSet.of(r), "test").secret());
        }
        String externalId = String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
        account = accounts.create(new NewAccount(Cloud.AWS, externalId, "matrix", null)).id();
    }

    /** A signed-in (or not) session for the caller. */
    private ConsoleHttp as(String caller) {
        ConsoleHttp http = new ConsoleHttp(port);
        switch (caller) {
            case "none" -> http.get("/console/sign-in");
            case "no-role" -> assertThat(http.signInWithSso("norole-" + UUID.randomUUID(),
                    "{\"email\": \"nobody-" + UUID.randomUUID() + "@example.com\", \"groups\": [\"other-team\"]}")
                    .statusCode()).isEqualTo(302);
            default -> assertThat(http.signInWithKey(secrets.get(caller)).statusCode()).isEqualTo(302);
        }
        // the CSRF token of the signed-in session (sign-in starts a new one): every page's sign-out form has it
        http.get(caller.equals("none") ? "/console/sign-in" : "/console");
        return http;
    }

    private final List<UUID> created = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The purchases left waiting would crowd the other tests' Home pages (and the README's screenshot). */
    @org.junit.jupiter.api.AfterAll
    void cancelWhatIsLeft() {
        for (UUID id : created) {
            executions.cancel(id, "test:cleanup");
        }
        // the refreshes the matrix started must not overlap the next test's
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !refresh.state().running());
    }

    private String pending() {
        return remember(executions.create(NewExecution.of("someone-else@example.com", "matrix purchase", List.of(
                new NewItem(account, "aws-rds", "us-east-1", "db.r6g.large", 1, "1y", "no-upfront",
                        Map.of("productDescription", "postgresql"))))).detail().execution().id()).toString();
    }

    private UUID remember(UUID id) {
        created.add(id);
        return id;
    }

    record Route(String name, BiFunction<ConsoleAuthorizationMatrixTest, ConsoleHttp, HttpResponse<String>> call,
                 Map<String, Integer> byRole) {
        int expected(String caller) {
            if (caller.equals("none")) {
                return 302;
            }
            return byRole.getOrDefault(caller, 403);
        }
    }

    private static Map<String, Integer> anyRole(int status) {
        return Map.of("VIEWER", status, "REQUESTER", status, "APPROVER", status, "ADMIN", status);
    }

    private static Map<String, String> newPurchase(UUID account) {
        return Map.of("action", "quote", "account", account.toString(), "type", "aws-rds", "region", "us-east-1",
                "offering", "db.r6g.large", "quantity", "1", "term", "1y", "payment", "no-upfront",
                "attributes", "productDescription=postgresql");
    }

    static Stream<Arguments> matrix() {
        List<Route> routes = List.of(
                new Route("GET /console", (t, h) -> h.get("/console"), anyRole(200)),
                new Route("GET /console/purchases", (t, h) -> h.get("/console/purchases"), anyRole(200)),
                new Route("GET /console/purchases/{id}", (t, h) -> h.get("/console/purchases/" + t.pending()),
                        anyRole(200)),
                new Route("GET /console/purchases/{id}/live", (t, h) -> h.get("/console/purchases/" + t.pending()
                        + "/live"), anyRole(200)),
                new Route("GET /console/running", (t, h) -> h.get("/console/running"), anyRole(200)),
                new Route("GET /console/purchases/new", (t, h) -> h.get("/console/purchases/new"),
                        Map.of("REQUESTER", 200)),
                new Route("POST /console/purchases/new (dry run)", (t, h) -> h.post("/console/purchases/new",
                        newPurchase(t.account)), Map.of("REQUESTER", 200)),
                new Route("POST /console/purchases/{id}/approve", (t, h) -> h.post("/console/purchases/"
                        + t.pending() + "/approve", Map.of()), Map.of("APPROVER", 302)),
                new Route("POST /console/purchases/{id}/reject", (t, h) -> h.post("/console/purchases/"
                        + t.pending() + "/reject", Map.of("reason", "matrix")), Map.of("APPROVER", 302)),
                // a pending purchase cannot be re-driven: 409 shows the APPROVER got past authorization
                new Route("POST /console/purchases/{id}/redrive", (t, h) -> h.post("/console/purchases/"
                        + t.pending() + "/redrive", Map.of()), Map.of("APPROVER", 409)),
                // somebody else's purchase: only ADMIN may cancel it
                new Route("POST /console/purchases/{id}/cancel", (t, h) -> h.post("/console/purchases/"
                        + t.pending() + "/cancel", Map.of()), Map.of("ADMIN", 302)),
                new Route("GET /console/recommendations", (t, h) -> h.get("/console/recommendations"), anyRole(200)),
                new Route("GET /console/recommendations/refresh", (t, h) -> h.get("/console/recommendations/refresh"),
                        anyRole(200)),
                new Route("GET /console/commitments", (t, h) -> h.get("/console/commitments"), anyRole(200)),
                // no such recommendation: 404 shows the REQUESTER got past authorization and nothing was written
                new Route("POST /console/recommendations/{id}/propose", (t, h) -> h.post("/console/recommendations/"
                        + UUID.randomUUID() + "/propose", Map.of()), Map.of("REQUESTER", 404)),
                // starts a refresh in the background (or finds one running): 302 back to the page either way
                new Route("POST /console/recommendations/refresh", (t, h) -> h.post("/console/recommendations/refresh",
                        Map.of()), Map.of("ADMIN", 302, "APPROVER", 302)),
                new Route("GET /console/admin", (t, h) -> h.get("/console/admin"), Map.of("ADMIN", 200)),
                new Route("POST /console/admin/keys", (t, h) -> h.post("/console/admin/keys",
                        Map.of("name", "made in console matrix", "owner", "matrix@example.com", "roles", "VIEWER")), Map.of("ADMIN", 200)),
                new Route("POST /console/admin/keys/{id}/revoke", (t, h) -> h.post("/console/admin/keys/"
                        + t.keys.create("spare", "spare", EnumSet.of(Role.VIEWER), "test").key().id() + "/revoke", Map.of()),
                        Map.of("ADMIN", 302)),
                new Route("POST /console/admin/accounts", (t, h) -> h.post("/console/admin/accounts",
                        Map.of("cloud", "gcp", "externalId", "matrix-" + UUID.randomUUID(), "name", "m")),
                        Map.of("ADMIN", 302)),
                new Route("POST /console/admin/accounts/{id}/disable", (t, h) -> h.post("/console/admin/accounts/"
                        + t.accounts.create(new NewAccount(Cloud.GCP, "matrix-" + UUID.randomUUID(), "d", null)).id()
                        + "/disable", Map.of()), Map.of("ADMIN", 302)));
        List<Arguments> cases = new ArrayList<>();
        for (Route r : routes) {
            for (String caller : CALLERS) {
                cases.add(Arguments.of(r.name(), caller, r));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void every_console_route_answers_each_caller_as_its_roles_allow(String name, String caller, Route route) {
        ConsoleHttp http = as(caller);
        HttpResponse<String> r = route.call().apply(this, http);
        int expected = route.expected(caller);
        assertThat(r.statusCode()).as(name + " as " + caller + ": " + r.body()).isEqualTo(expected);
        if (caller.equals("none")) {
            assertThat(ConsoleHttp.location(r)).endsWith("/console/sign-in");
        }
        if (expected == 403) {
            // refused by the role rules (Not allowed) or, for cancel, by the controller's check of the person
            assertThat(r.body()).containsAnyOf("Not allowed", "Refused: only the person who requested");
        }
    }
}
