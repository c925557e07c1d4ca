package dev.pledge.app.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 through the API: quotes shown on a purchase, budgets set by ADMIN, approvals refused with 409
 * {@code urn:pledge:problem:budget-exceeded} when they would pass a limit, under real concurrency on real
 * PostgreSQL, and reservations given back. The org budget is shared by the whole context: removed after
 * each test.
 */
@WebApiTest
class BudgetApiTest {
    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate sql;

    private Http http;
    private ApiFixture fixture;
    private String requester;
    private String approver;

    @BeforeEach
    void keys() {
        http = new Http(port);
        fixture = new ApiFixture(http, WebApiTest.ADMIN_KEY);
        requester = fixture.key("budget requester", "REQUESTER", "VIEWER");
        approver = fixture.key("budget approver", "APPROVER", "VIEWER");
    }

    @AfterEach
    void noOrgBudget() {
        Http.Response r = http.send("PUT", "/api/v1/budget", WebApiTest.ADMIN_KEY, "application/json",
                "{\"limits\":{}}", Map.of());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private Http.Response put(String path, String key, Map<String, Object> limits) {
        return http.send("PUT", path, key, "application/json", Http.json(Map.of("limits", limits)), Map.of());
    }

    private JsonNode create(String account, Instant notBefore) {
        Map<String, Object> body = new LinkedHashMap<>(ApiFixture.purchase(account));
        if (notBefore != null) {
            body.put("notBefore", notBefore.toString());
        }
        Http.Response r = http.post("/api/v1/purchases", requester, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    private BigDecimal reserved(String account) {
        return sql.queryForObject("SELECT coalesce(sum(reserved), 0) FROM budget_usage WHERE scope = ?",
                BigDecimal.class, account);
    }

    @Test
    void the_quote_is_shown_on_the_purchase_per_item_and_summed_per_currency() {
        String account = fixture.awsAccount();

        JsonNode created = create(account, null);

        JsonNode price = created.path("items").path(0).path("price");
        assertThat(price.path("source").asString()).isEqualTo("cloud");
        assertThat(price.path("currency").asString()).isEqualTo("USD");
        assertThat(price.path("termMonths").asInt()).isEqualTo(12);
        BigDecimal hourly = price.path("hourly").decimalValue();
        assertThat(hourly.signum()).isPositive();
        assertThat(price.path("monthly").decimalValue()).isEqualByComparingTo(hourly.multiply(BigDecimal.valueOf(730)));
        assertThat(price.path("total").decimalValue()).isEqualByComparingTo(price.path("upfront").decimalValue()
                .add(price.path("monthly").decimalValue().multiply(BigDecimal.valueOf(12))));
        JsonNode shown = http.get("/api/v1/purchases/" + created.path("id").asString(), approver).json();
        assertThat(shown.path("totals").path("USD").path("total").decimalValue())
                .isEqualByComparingTo(price.path("total").decimalValue());
    }

    @Test
    void setting_a_budget_needs_admin_and_names_a_bad_field() {
        String account = fixture.awsAccount();
        assertThat(put("/api/v1/accounts/" + account + "/budget", approver, Map.of("USD", 10)).status()).isEqualTo(403);
        Http.Response bad = put("/api/v1/accounts/" + account + "/budget", WebApiTest.ADMIN_KEY, Map.of("usd", 10));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asString()).isEqualTo("limits");
        Http.Response negative = put("/api/v1/budget", WebApiTest.ADMIN_KEY, Map.of("USD", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().path("field").asString()).isEqualTo("limits.USD");
        Http.Response ok = put("/api/v1/accounts/" + account + "/budget", WebApiTest.ADMIN_KEY,
                Map.of("USD", new BigDecimal("1234.5")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("currencies").path(0).path("limit").decimalValue()).isEqualByComparingTo("1234.5");
        assertThat(sql.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'BUDGET_SET' AND detail LIKE ?",
                Integer.class, "account:" + account + "%")).isEqualTo(1);
    }

    @Test
    void an_approval_over_the_budget_is_refused_with_the_problem_and_a_cancel_gives_the_reservation_back() {
        String account = fixture.awsAccount();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        JsonNode first = create(account, later);
        JsonNode second = create(account, later);
        BigDecimal total = first.path("totals").path("USD").path("total").decimalValue();
        put("/api/v1/accounts/" + account + "/budget", WebApiTest.ADMIN_KEY, Map.of("USD", total.multiply(new BigDecimal("1.5"))));

        Http.Response approved = http.post("/api/v1/purchases/" + first.path("id").asString() + "/approve", approver, null);
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(reserved(account)).isEqualByComparingTo(total);

        Http.Response refused = http.post("/api/v1/purchases/" + second.path("id").asString() + "/approve", approver, null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        JsonNode problem = refused.json();
        assertThat(problem.path("type").asString()).isEqualTo("urn:pledge:problem:budget-exceeded");
        assertThat(problem.path("budget").asString()).isEqualTo("account:" + account);
        assertThat(problem.path("asked").decimalValue()).isEqualByComparingTo(total);
        assertThat(problem.path("reserved").decimalValue()).isEqualByComparingTo(total);
        assertThat(problem.path("remaining").decimalValue()).isEqualByComparingTo(total.multiply(new BigDecimal("0.5")));
        assertThat(fixture.status(second.path("id").asString())).isEqualTo("PENDING_APPROVAL");

        Http.Response canceled = http.post("/api/v1/purchases/" + first.path("id").asString() + "/cancel", requester, null);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(reserved(account)).isZero();
        Http.Response now = http.post("/api/v1/purchases/" + second.path("id").asString() + "/approve", approver, null);
        assertThat(now.status()).as(now.toString()).isEqualTo(200);
        http.post("/api/v1/purchases/" + second.path("id").asString() + "/cancel", requester, null);
    }

    @Test
    void thirty_two_concurrent_approvals_over_four_accounts_never_pass_any_budget() throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(fixture.awsAccount());
        }
        List<String> purchases = new ArrayList<>();
        Map<String, String> accountOf = new HashMap<>();
        BigDecimal total = null;
        for (int i = 0; i < 32; i++) {
            JsonNode p = create(accounts.get(i % 4), null);
            purchases.add(p.path("id").asString());
            accountOf.put(p.path("id").asString(), accounts.get(i % 4));
            total = p.path("totals").path("USD").path("total").decimalValue();
        }
        // each account fits 5 of its 8, the organisation 18 of the 20 the accounts would allow
        BigDecimal perAccount = total.multiply(new BigDecimal("5.5"));
        BigDecimal org = total.multiply(new BigDecimal("18.5"));
        for (String a : accounts) {
            put("/api/v1/accounts/" + a + "/budget", WebApiTest.ADMIN_KEY, Map.of("USD", perAccount));
        }
        put("/api/v1/budget", WebApiTest.ADMIN_KEY, Map.of("USD", org.add(orgUsedSoFar())));

        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (String id : purchases) {
            answers.add(pool.submit(() -> {
                start.await();
                return http.post("/api/v1/purchases/" + id + "/approve", approver, null);
            }));
        }
        start.countDown();
        Map<String, Integer> approvedPerAccount = new HashMap<>();
        List<String> approved = new ArrayList<>();
        for (int i = 0; i < purchases.size(); i++) {
            Http.Response r = answers.get(i).get(60, TimeUnit.SECONDS);
            if (r.status() == 200) {
                approved.add(purchases.get(i));
                approvedPerAccount.merge(accountOf.get(purchases.get(i)), 1, Integer::sum);
            } else {
                assertThat(r.status()).as(r.toString()).isEqualTo(409);
                assertThat(r.json().path("type").asString()).isEqualTo("urn:pledge:problem:budget-exceeded");
                assertThat(r.json().path("budget").asString()).matches("org|account:.*");
                assertThat(r.json().has("remaining")).isTrue();
            }
        }
        pool.shutdown();

        assertThat(approved).hasSize(18);
        assertThat(approvedPerAccount.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
        // the engine buys what was approved; bought plus still reserved never passes a limit
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (approved.stream().anyMatch(id -> !fixture.status(id).equals("SUCCEEDED")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(approved).allSatisfy(id -> assertThat(fixture.status(id)).isEqualTo("SUCCEEDED"));
        for (String a : accounts) {
            Map<String, Object> u = sql.queryForMap("SELECT spent, reserved FROM budget_usage WHERE scope = ?", a);
            assertThat((BigDecimal) u.get("spent")).isEqualByComparingTo(total.multiply(BigDecimal.valueOf(
                    approvedPerAccount.getOrDefault(a, 0))));
            assertThat(((BigDecimal) u.get("spent")).add((BigDecimal) u.get("reserved"))).isLessThanOrEqualTo(perAccount);
        }
        assertThat(sql.queryForObject("""
                SELECT count(*) FROM budgets b JOIN budget_usage u ON u.scope = b.scope AND u.currency = b.currency
                WHERE u.spent + u.reserved > b.monthly_limit""", Integer.class)).isZero();
    }

    /** What earlier tests of this context left counted against the org key this month (it is shared). */
    private BigDecimal orgUsedSoFar() {
        return sql.queryForObject("SELECT coalesce(sum(spent + reserved), 0) FROM budget_usage WHERE scope = 'org'",
                BigDecimal.class);
    }
}
