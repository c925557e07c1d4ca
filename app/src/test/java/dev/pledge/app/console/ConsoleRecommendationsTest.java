package dev.pledge.app.console;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionDetail;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.recommendation.CurrentRecommendations;
import dev.pledge.app.recommendation.RecommendationView;
import dev.pledge.app.testing.SharedEmulator;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Recommendations and Commitments pages over HTTP against real PostgreSQL and the emulator: usage seeded in
 * the emulated cloud, a refresh started with the console's button (an approver's), a Propose by a requester that
 * creates the purchase she owns (twice: one purchase), a Propose by a person without the role refused with
 * nothing written, a superseded recommendation refused with nothing written, the bought commitment listed
 * with a link to its purchase, and a recommendation for what was just bought proposed only with a reason.
 */
@ConsoleAppTest
class ConsoleRecommendationsTest {
    @LocalServerPort
    int port;
    @Autowired
    AccountService accounts;
    @Autowired
    ExecutionService executions;
    @Autowired
    CurrentRecommendations recommendations;
    @Autowired
    BackgroundRefresh refresh;
    @Autowired
    NamedParameterJdbcTemplate jdbc;

    /** The emulated cloud's usage of one account: what its recommendations are computed from. */
    static void usage(String externalId, int units) throws Exception {
        String body = "{\"cloud\":\"aws\",\"type\":\"aws-rds\",\"account\":\"" + externalId + "\",\"region\":\"us-east-1\","
                + "\"product\":\"db.r6g.large\",\"units\":\"" + units + "\",\"attributes\":{\"productDescription\":\"postgresql\"}}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(SharedEmulator.get().baseUrl() + "/__pledge/usage"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static String externalId() {
        return String.valueOf(100_000_000_000L + ThreadLocalRandom.current().nextLong(899_999_999_999L));
    }

    private ConsoleHttp person(String email, String group) {
        ConsoleHttp http = new ConsoleHttp(port);
        assertThat(http.signInWithSso(email, "{\"email\": \"" + email + "\", \"groups\": [\"" + group + "\"]}")
                .statusCode()).isEqualTo(302);
        http.get("/console");
        return http;
    }

    /** Presses Refresh as {@code approver} and waits for the page to say it finished. */
    private void refreshThroughTheConsole(ConsoleHttp approver) {
        // a refresh another test started may still run: this one must start after the usage was seeded
        await().atMost(Duration.ofSeconds(60)).until(() -> !refresh.state().running());
        approver.get("/console/recommendations");
        HttpResponse<String> pressed = approver.post("/console/recommendations/refresh", Map.of());
        assertThat(pressed.statusCode()).as(pressed.body()).isEqualTo(302);
        assertThat(ConsoleHttp.location(pressed)).endsWith("/console/recommendations");
        assertThat(approver.get("/console/recommendations").body()).contains("Refresh started");
        await().atMost(Duration.ofSeconds(60)).until(() -> approver.get("/console/recommendations/refresh").body()
                .contains("data-state=\"finished\""));
        assertThat(approver.get("/console/recommendations/refresh").body()).contains("source(s) refreshed")
                .contains("id=\"refresh-reload\"");
    }

    private int purchasesBy(String person) {
        return jdbc.queryForObject("SELECT count(*) FROM executions WHERE created_by = :p",
                new MapSqlParameterSource("p", person), Integer.class);
    }

    private int proposalsOf(UUID recommendation) {
        return jdbc.queryForObject("SELECT count(*) FROM recommendation_proposals WHERE recommendation_id = :r",
                new MapSqlParameterSource("r", recommendation), Integer.class);
    }

    private RecommendationView only(UUID account) {
        List<RecommendationView> rows = recommendations.list(null, "aws-rds", account, null, null);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void a_requester_proposes_and_owns_the_purchase_and_a_person_without_the_role_is_refused_with_nothing_written()
            throws Exception {
        String external = externalId();
        UUID account = accounts.create(new NewAccount(Cloud.AWS, external, "reco console", null)).id();
        usage(external, 3);
        String abe = "abe-" + UUID.randomUUID() + "@example.com";
        String rosa = "rosa-" + UUID.randomUUID() + "@example.com";
        ConsoleHttp approver = person(abe, "finops-approvers");
        ConsoleHttp requester = person(rosa, "platform-team");

        refreshThroughTheConsole(approver);
        RecommendationView rec = only(account);
        UUID id = rec.id();

        String seenByApprover = approver.get("/console/recommendations?account=" + account).body();
        assertThat(seenByApprover).contains("data-recommendation=\"" + id + "\"", "3 × db.r6g.large", "reco console ("
                + external + ")", "USD", "id=\"refresh-button\"").doesNotContain("id=\"propose-" + id + "\"");
        HttpResponse<String> forged = approver.post("/console/recommendations/" + id + "/propose", Map.of());
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(forged.body()).contains("Not allowed");
        assertThat(purchasesBy(abe)).isZero();
        assertThat(proposalsOf(id)).isZero();

        String seenByRequester = requester.get("/console/recommendations").body();
        assertThat(seenByRequester).contains("id=\"propose-" + id + "\"").doesNotContain("id=\"refresh-button\"");
        HttpResponse<String> refreshByRequester = requester.post("/console/recommendations/refresh", Map.of());
        assertThat(refreshByRequester.statusCode()).isEqualTo(403);
        HttpResponse<String> noToken = requester.postRaw("/console/recommendations/" + id + "/propose", "");
        assertThat(noToken.statusCode()).as("without a CSRF token").isEqualTo(403);
        assertThat(proposalsOf(id)).isZero();

        HttpResponse<String> proposed = requester.post("/console/recommendations/" + id + "/propose", Map.of());
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(302);
        String location = ConsoleHttp.location(proposed);
        assertThat(location).contains("/console/purchases/");
        UUID purchase = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        ExecutionDetail detail = executions.get(purchase).orElseThrow();
        assertThat(detail.execution().createdBy()).isEqualTo(rosa);
        assertThat(detail.execution().status()).isEqualTo(ExecutionStatus.PENDING_APPROVAL);
        assertThat(detail.items()).singleElement().satisfies(i -> {
            assertThat(i.request().quantity()).isEqualTo(3);
            assertThat(i.request().offering()).isEqualTo("db.r6g.large");
            assertThat(i.accountId()).isEqualTo(account);
        });
        assertThat(jdbc.queryForObject("SELECT proposed_by FROM recommendation_proposals WHERE recommendation_id = :r",
                new MapSqlParameterSource("r", id), String.class)).isEqualTo(rosa);
        String page = requester.get(location.replaceFirst("^https?://[^/]+", "")).body();
        assertThat(page).contains("Purchase proposed from the recommendation", rosa);

        HttpResponse<String> again = requester.post("/console/recommendations/" + id + "/propose", Map.of());
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(ConsoleHttp.location(again)).isEqualTo(location);
        assertThat(requester.get(location.replaceFirst("^https?://[^/]+", "")).body())
                .contains("proposed already", "nothing new was created");
        assertThat(purchasesBy(rosa)).isEqualTo(1);
        assertThat(requester.get("/console/recommendations?account=" + account).body())
                .contains("id=\"proposed-" + id + "\"").doesNotContain("id=\"propose-" + id + "\"");

        // bought, and after the next refresh the Commitments page lists it with its purchase
        assertThat(executions.approve(purchase, abe)).isNotNull();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                executions.get(purchase).orElseThrow().execution().status() == ExecutionStatus.SUCCEEDED);
        String commitment = executions.get(purchase).orElseThrow().items().get(0).commitmentId();
        refreshThroughTheConsole(approver);
        String held = requester.get("/console/commitments?account=" + account).body();
        assertThat(held).contains("data-commitment=\"" + commitment + "\"", "href=\"/console/purchases/" + purchase
                + "\"", ">1y,<", "Active");
        assertThat(requester.get("/console/commitments?account=" + account + "&expiring=30").body())
                .doesNotContain(commitment).contains("No commitment matches these filters");
        HttpResponse<String> badWindow = requester.get("/console/commitments?expiring=45");
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(badWindow.body()).contains("expiring: must be 30, 60 or 90");

        // more usage: the cloud recommends 2 more of what was just bought; proposing it needs a reason
        usage(external, 5);
        refreshThroughTheConsole(approver);
        RecommendationView more = only(account);
        assertThat(more.quantity()).isEqualTo(2);
        assertThat(more.recentlyBought()).isTrue();
        assertThat(requester.get("/console/recommendations?account=" + account).body())
                .contains("Bought recently", "id=\"reason-" + more.id() + "\"", "Propose anyway");
        HttpResponse<String> withoutReason = requester.post("/console/recommendations/" + more.id() + "/propose",
                Map.of());
        assertThat(withoutReason.statusCode()).as(withoutReason.body()).isEqualTo(409);
        assertThat(withoutReason.body()).contains("Not proposed: Pledge bought aws-rds db.r6g.large in us-east-1",
                "may buy the same capacity twice");
        assertThat(proposalsOf(more.id())).isZero();
        assertThat(purchasesBy(rosa)).isEqualTo(1);
        HttpResponse<String> anyway = requester.post("/console/recommendations/" + more.id() + "/propose",
                Map.of("override", "true", "reason", "the orders database doubles in January"));
        assertThat(anyway.statusCode()).as(anyway.body()).isEqualTo(302);
        assertThat(jdbc.queryForObject("SELECT override_reason FROM recommendation_proposals "
                + "WHERE recommendation_id = :r", new MapSqlParameterSource("r", more.id()), String.class))
                .isEqualTo("the orders database doubles in January");
        assertThat(purchasesBy(rosa)).isEqualTo(2);
    }

    @Test
    void a_superseded_or_unknown_recommendation_is_refused_on_the_page_and_nothing_is_written() throws Exception {
        String external = externalId();
        UUID account = accounts.create(new NewAccount(Cloud.AWS, external, "reco superseded", null)).id();
        String rosa = "rosa-" + UUID.randomUUID() + "@example.com";
        ConsoleHttp approver = person("abe-" + UUID.randomUUID() + "@example.com", "finops-approvers");
        ConsoleHttp requester = person(rosa, "platform-team");
        usage(external, 4);
        refreshThroughTheConsole(approver);
        UUID first = only(account).id();
        usage(external, 6);
        refreshThroughTheConsole(approver);
        UUID second = only(account).id();
        assertThat(second).isNotEqualTo(first);

        requester.get("/console/recommendations");
        HttpResponse<String> stale = requester.post("/console/recommendations/" + first + "/propose", Map.of());
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("replaced by a later refresh", "nothing was proposed")
                .contains("data-recommendation=\"" + second + "\"");
        assertThat(proposalsOf(first)).isZero();

        HttpResponse<String> unknown = requester.post("/console/recommendations/" + UUID.randomUUID() + "/propose",
                Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no recommendation");

        HttpResponse<String> noReason = requester.post("/console/recommendations/" + second + "/propose",
                Map.of("override", "true", "reason", " "));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("reason: is required");
        assertThat(proposalsOf(second)).isZero();
        assertThat(purchasesBy(rosa)).isZero();

        HttpResponse<String> badFilter = requester.get("/console/recommendations?account=not-an-id");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("account: must be the id of a registered account");
    }
}
