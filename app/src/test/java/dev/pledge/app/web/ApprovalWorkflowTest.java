package dev.pledge.app.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Four-eyes approval, double approval, and approvals racing rejections and cancels on real threads. */
@WebApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalWorkflowTest {
    private static final int ROUNDS = 12;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String account;
    private String requester;
    private String approverA;
    private String approverB;
    private String approverAId;
    private String selfApprover;

    @BeforeAll
    void keys() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        account = fixture.awsAccount();
        requester = fixture.key("workflow requester", "REQUESTER");
        JsonNode a = fixture.keyJson("workflow approver a", "APPROVER");
        approverA = a.path("key").asString();
        approverAId = a.path("id").asString();
        approverB = fixture.key("workflow approver b", "APPROVER");
        selfApprover = fixture.key("requests and approves", "REQUESTER", "APPROVER");
    }

    @Test
    void the_key_that_created_a_purchase_cannot_approve_it_and_nothing_changes() {
        String id = fixture.pendingPurchase(selfApprover, account);

        Http.Response r = http.post("/api/v1/purchases/" + id + "/approve", selfApprover, null);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:four-eyes");
        assertThat(r.detail()).contains("four-eyes").contains(id);
        assertThat(dbStatus(id)).isEqualTo("PENDING_APPROVAL");
        assertThat(actions(id)).containsExactly("CREATE");
    }

    @Test
    void a_second_approval_is_409_naming_who_approved_first() {
        String id = fixture.pendingPurchase(requester, account);
        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approverA, null).status()).isEqualTo(200);

        Http.Response second = http.post("/api/v1/purchases/" + id + "/approve", approverB, null);

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("type").asString()).isEqualTo("urn:pledge:problem:status-conflict");
        assertThat(second.detail()).contains("already approved by key:" + approverAId);
        assertThat(actions(id).stream().filter("APPROVE"::equals)).hasSize(1);
        assertThat(sql.queryForObject("SELECT approved_by FROM executions WHERE id = CAST(? AS uuid)", String.class,
                id)).isEqualTo("key:" + approverAId);
    }

    @Test
    void two_approvers_racing_on_threads_exactly_one_approves() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = fixture.pendingPurchase(requester, account);

            List<Integer> statuses = race(() -> http.post("/api/v1/purchases/" + id + "/approve", approverA, null),
                    () -> http.post("/api/v1/purchases/" + id + "/approve", approverB, null));

            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 409);
            assertThat(actions(id).stream().filter("APPROVE"::equals)).hasSize(1);
        }
    }

    @Test
    void approve_and_reject_racing_on_threads_exactly_one_wins_and_the_status_says_which() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = fixture.pendingPurchase(requester, account);

            List<Integer> statuses = race(() -> http.post("/api/v1/purchases/" + id + "/approve", approverA, null),
                    () -> http.post("/api/v1/purchases/" + id + "/reject", approverB,
                            java.util.Map.of("reason", "race")));

            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 409);
            List<String> decisions = actions(id).stream().filter(a -> a.equals("APPROVE") || a.equals("REJECT"))
                    .toList();
            assertThat(decisions).hasSize(1);
            if (statuses.get(0) == 200) {
                assertThat(decisions).containsExactly("APPROVE");
                assertThat(dbStatus(id)).isNotEqualTo("REJECTED");
            } else {
                assertThat(decisions).containsExactly("REJECT");
                assertThat(dbStatus(id)).isEqualTo("REJECTED");
            }
        }
    }

    /**
     * Cancel is allowed until a worker starts the purchase, so an approval that wins can still be
     * canceled. What must hold: the first to move the purchase out of PENDING_APPROVAL wins it; a cancel
     * refused (409) means the purchase runs to SUCCEEDED; a cancel accepted means nothing was bought;
     * never both.
     */
    @Test
    void approve_and_cancel_racing_on_threads_never_both_buy_and_cancel() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            String id = fixture.pendingPurchase(requester, account);

            List<Integer> statuses = race(() -> http.post("/api/v1/purchases/" + id + "/approve", approverA, null),
                    () -> http.post("/api/v1/purchases/" + id + "/cancel", requester, null));
            int approve = statuses.get(0);
            int cancel = statuses.get(1);

            assertThat(List.of(approve, cancel)).as("round " + round).doesNotContain(500).contains(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> isSettled(dbStatus(id)));
            String finalStatus = dbStatus(id);
            List<String> actions = actions(id);
            if (cancel == 200) {
                assertThat(finalStatus).isEqualTo("CANCELED");
                assertThat(boughtItems(id)).isZero();
                assertThat(actions).doesNotContain("CLAIM");
                seen.add(approve == 200 ? "approved, then canceled before it started" : "canceled first");
            } else {
                assertThat(cancel).isEqualTo(409);
                assertThat(approve).isEqualTo(200);
                assertThat(finalStatus).isEqualTo("SUCCEEDED");
                assertThat(boughtItems(id)).isEqualTo(1);
                seen.add("approved and started first");
            }
            if (approve == 409) {
                assertThat(actions).containsExactly("CREATE", "CANCEL");
            }
        }
        assertThat(seen).isNotEmpty();
    }

    @Test
    void only_the_creator_or_an_admin_may_cancel_and_not_once_it_has_run() {
        String id = fixture.pendingPurchase(requester, account);
        String otherRequester = fixture.key("another requester", "REQUESTER");

        Http.Response stranger = http.post("/api/v1/purchases/" + id + "/cancel", otherRequester, null);
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.detail()).contains("only the key that created");
        assertThat(dbStatus(id)).isEqualTo("PENDING_APPROVAL");

        Http.Response creator = http.post("/api/v1/purchases/" + id + "/cancel", requester, null);
        assertThat(creator.status()).isEqualTo(200);
        assertThat(creator.json().path("status").asString()).isEqualTo("CANCELED");

        String byAdmin = fixture.pendingPurchase(requester, account);
        assertThat(http.post("/api/v1/purchases/" + byAdmin + "/cancel", WebApiTest.ADMIN_KEY, null).status())
                .isEqualTo(200);

        String ran = fixture.pendingPurchase(requester, account);
        http.post("/api/v1/purchases/" + ran + "/approve", approverA, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> dbStatus(ran).equals("SUCCEEDED"));
        Http.Response late = http.post("/api/v1/purchases/" + ran + "/cancel", requester, null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("currentStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(late.detail()).contains("before a worker starts it");
    }

    @Test
    void an_approved_purchase_waiting_for_its_not_before_can_still_be_canceled_and_nothing_is_bought() {
        java.util.Map<String, Object> body = ApiFixture.purchase(account);
        body.put("notBefore", java.time.Instant.now().plus(Duration.ofHours(1)).toString());
        Http.Response created = http.post("/api/v1/purchases", requester, body);
        String id = created.json().path("id").asString();
        assertThat(created.json().path("notBefore").asString()).isNotBlank();

        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approverA, null).json().path("status")
                .asString()).isEqualTo("APPROVED");
        Http.Response canceled = http.post("/api/v1/purchases/" + id + "/cancel", requester, null);

        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.json().path("status").asString()).isEqualTo("CANCELED");
        assertThat(actions(id)).containsExactly("CREATE", "APPROVE", "CANCEL");
        assertThat(boughtItems(id)).isZero();
    }

    @Test
    void a_rejection_keeps_its_reason_and_its_actor() {
        String id = fixture.pendingPurchase(requester, account);

        Http.Response r = http.post("/api/v1/purchases/" + id + "/reject", approverA,
                java.util.Map.of("reason", "we have enough RDS capacity"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asString()).isEqualTo("REJECTED");
        assertThat(r.json().path("rejectReason").asString()).isEqualTo("we have enough RDS capacity");
        assertThat(r.json().path("rejectedBy").asString()).isEqualTo("key:" + approverAId);
        JsonNode last = http.get("/api/v1/purchases/" + id + "/events", requester).json().path("events").get(1);
        assertThat(last.path("action").asString()).isEqualTo("REJECT");
        assertThat(last.path("actor").asString()).isEqualTo("key:" + approverAId);
        assertThat(last.path("detail").asString()).isEqualTo("we have enough RDS capacity");
        assertThat(http.post("/api/v1/purchases/" + id + "/approve", approverB, null).status()).isEqualTo(409);
    }

    @Test
    void a_redrive_of_a_purchase_that_has_not_failed_is_refused_saying_why() {
        String id = fixture.pendingPurchase(requester, account);

        Http.Response r = http.post("/api/v1/purchases/" + id + "/redrive", approverA, null);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("currentStatus").asString()).isEqualTo("PENDING_APPROVAL");
        assertThat(r.detail()).contains("FAILED or PARTIALLY_SUCCEEDED");
        assertThat(dbStatus(id)).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void a_purchase_that_does_not_exist_is_404_on_every_action() {
        String missing = "/api/v1/purchases/00000000-0000-4000-8000-000000000404";
        assertThat(http.get(missing, requester).status()).isEqualTo(404);
        assertThat(http.get(missing + "/events", requester).status()).isEqualTo(404);
        assertThat(http.post(missing + "/approve", approverA, null).status()).isEqualTo(404);
        assertThat(http.post(missing + "/reject", approverA, java.util.Map.of("reason", "x")).status())
                .isEqualTo(404);
        assertThat(http.post(missing + "/cancel", WebApiTest.ADMIN_KEY, null).status()).isEqualTo(404);
        Http.Response r = http.post(missing + "/redrive", approverA, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:not-found");
    }

    @Test
    void the_list_pages_with_a_cursor_and_filters_by_account_and_status() {
        String own = fixture.awsAccount();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(fixture.pendingPurchase(requester, own));
        }
        http.post("/api/v1/purchases/" + created.get(0) + "/cancel", requester, null);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/api/v1/purchases?account=" + own + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), requester).json();
            page.path("purchases").forEach(p -> listed.add(p.path("id").asString()));
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null
                    : page.path("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(listed).containsExactlyElementsOf(newestFirst);
        JsonNode canceled = http.get("/api/v1/purchases?account=" + own + "&status=CANCELED", requester).json();
        assertThat(canceled.path("purchases").valueStream().map(p -> p.path("id").asString()).toList())
                .containsExactly(created.get(0));
        JsonNode summary = http.get("/api/v1/purchases/summary", requester).json();
        long total = sql.queryForObject("SELECT count(*) FROM executions", Long.class);
        assertThat(summary.path("total").asLong()).isEqualTo(total);
        assertThat(summary.path("counts").path("CANCELED").asLong()).isEqualTo(
                sql.queryForObject("SELECT count(*) FROM executions WHERE status = 'CANCELED'", Long.class));
    }

    private static boolean isSettled(String status) {
        return Set.of("SUCCEEDED", "CANCELED", "FAILED", "PARTIALLY_SUCCEEDED").contains(status);
    }

    /** Runs both calls at once (released together by a barrier); their HTTP statuses, in order. */
    private static List<Integer> race(Callable<Http.Response> first, Callable<Http.Response> second)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Http.Response> a = threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return first.call();
            });
            Future<Http.Response> b = threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return second.call();
            });
            return List.of(a.get(30, TimeUnit.SECONDS).status(), b.get(30, TimeUnit.SECONDS).status());
        } finally {
            threads.shutdownNow();
        }
    }

    private String dbStatus(String id) {
        return sql.queryForObject("SELECT status FROM executions WHERE id = CAST(? AS uuid)", String.class, id);
    }

    private long boughtItems(String id) {
        return sql.queryForObject("SELECT count(*) FROM items WHERE execution_id = CAST(? AS uuid) AND status = "
                + "'BOUGHT'", Long.class, id);
    }

    private List<String> actions(String id) {
        return sql.queryForList("SELECT action FROM audit_events WHERE execution_id = CAST(? AS uuid) ORDER BY id",
                String.class, id);
    }
}
