package dev.pledge.app.engine;

import dev.pledge.app.account.Account;
import dev.pledge.app.budget.BudgetExceededException;
import dev.pledge.app.budget.Budgets;
import dev.pledge.app.execution.FourEyesException;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.app.budget.BudgetStore;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.price.ItemQuote;
import dev.pledge.app.price.PriceStore;
import dev.pledge.app.price.PurchaseProperties;
import dev.pledge.app.price.PurchaseQuotes;
import dev.pledge.app.testing.EmulatorTestCloud;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import dev.pledge.emulator.CallKind;
import dev.pledge.emulator.Offering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16: the quote stored at creation is the approved price; the executor (real AWS SDK against the
 * emulator) re-quotes right before buying and buys only at or below it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriceCeilingTest {
    private static final String TYPE = "aws-rds";
    private EmulatorTestCloud cloud;
    private EngineFixture f;
    private PriceStore prices;

    @BeforeAll
    void start(TestSchema db) {
        cloud = new EmulatorTestCloud();
        f = new EngineFixture(db, cloud.executors(), EngineFixture.steady());
        prices = new PriceStore(f.jdbc);
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    private Budgets budgets;

    private ExecutionService service(BigDecimal tolerance) {
        PurchaseQuotes quotes = new PurchaseQuotes(f.executors, prices, f.jdbc, new PurchaseProperties(tolerance));
        budgets = new Budgets(new BudgetStore(f.jdbc), f.accounts, f.audit, f.tx);
        return ExecutionService.create(f.jdbc, f.tx, f.executors, List.of(quotes, budgets));
    }

    /** A fresh offering of its own (a product no other test buys), so its price can change freely. */
    private Offering offering(String product, String upfront, String hourly) {
        Offering o = new Offering(Cloud.AWS, TYPE, "us-east-1", Offering.stableId(TYPE, "us-east-1", product, "1y",
                "all-upfront"), product, "1y", "all-upfront", "postgresql", "USD", new BigDecimal(upfront),
                new BigDecimal(hourly), Map.of());
        cloud.emulator().client().addOffering(o);
        return o;
    }

    private Offering withPrice(Offering o, String upfront) {
        Offering changed = new Offering(o.cloud(), o.type(), o.region(), o.offeringId(), o.product(), o.term(),
                o.payment(), o.description(), o.currency(), new BigDecimal(upfront), o.hourly(), o.attributes());
        // the emulator's control API replaces an offering with the same id
        cloud.emulator().client().addOffering(changed);
        return changed;
    }

    private UUID create(ExecutionService service, Account account, Offering o, int quantity) {
        NewItem item = new NewItem(account.id(), TYPE, "us-east-1", o.product(), quantity, "1y", "all-upfront",
                Map.of("productDescription", "postgresql"));
        return service.create(NewExecution.of("requester", "price test", List.of(item))).detail().execution().id();
    }

    private ExecutionRun.End runNext(UUID expected) throws InterruptedException {
        ClaimedExecution c = f.store.claim("price-worker", Duration.ofSeconds(30)).orElseThrow();
        assertThat(c.id()).isEqualTo(expected);
        return f.run(c).run();
    }

    private int purchases() {
        return cloud.emulator().client().requestCount(Cloud.AWS, TYPE, CallKind.PURCHASE);
    }

    @Test
    void the_quote_is_stored_at_creation_with_upfront_recurring_and_total_over_the_term() {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "quote");
        Offering o = offering("db.quote1.large", "1000.50", "0.010");

        UUID id = create(service, account, o, 3);

        ItemQuote q = prices.quotes(id).get(0);
        assertThat(q.source()).isEqualTo("cloud");
        assertThat(q.currency()).isEqualTo("USD");
        assertThat(q.upfront()).isEqualByComparingTo("3001.50");
        assertThat(q.hourly()).isEqualByComparingTo("0.030");
        assertThat(q.monthly()).isEqualByComparingTo("21.90");
        assertThat(q.termMonths()).isEqualTo(12);
        assertThat(q.total()).isEqualByComparingTo("3264.30");
        assertThat(q.offeringId()).isEqualTo(o.offeringId());
        assertThat(PriceStore.totals(prices.quotes(id).values()).get("USD").get("total"))
                .isEqualByComparingTo("3264.30");
    }

    @Test
    void a_price_rise_between_approval_and_purchase_fails_the_item_price_changed_and_buys_nothing()
            throws InterruptedException {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "price rise");
        Offering o = offering("db.rise1.large", "1000", "0");
        UUID id = create(service, account, o, 2);
        assertThat(service.approve(id, "approver").moved()).isTrue();
        withPrice(o, "1000.01");
        int before = purchases();

        assertThat(runNext(id)).isEqualTo(ExecutionRun.End.FINISHED);

        assertThat(f.status(id)).isEqualTo("FAILED");
        Map<String, Object> item = f.sql.queryForMap("SELECT status, failure_kind, error FROM items WHERE execution_id = ?", id);
        assertThat(item.get("failure_kind")).isEqualTo("PRICE_CHANGED");
        assertThat((String) item.get("error")).contains("2000.02").contains("nothing was bought");
        assertThat(purchases()).as("purchase requests the emulator received").isEqualTo(before);
        assertThat(cloud.commitments(account)).isZero();
    }

    @Test
    void an_item_failed_price_changed_gives_its_budget_reservation_back_and_a_bought_one_spends_it()
            throws InterruptedException {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "budget release");
        budgets.set(account.id(), Map.of("USD", new BigDecimal("5000")), "admin");
        Offering o = offering("db.release1.large", "1000", "0");
        UUID failing = create(service, account, o, 2);
        service.approve(failing, "approver");
        assertThat(usage(account)).containsExactly("2000", "0");
        withPrice(o, "1200");

        runNext(failing);

        assertThat(f.sql.queryForObject("SELECT failure_kind FROM items WHERE execution_id = ?", String.class, failing))
                .isEqualTo("PRICE_CHANGED");
        assertThat(usage(account)).containsExactly("0", "0");
        UUID bought = create(service, account, o, 3);
        service.approve(bought, "approver");
        runNext(bought);
        assertThat(f.status(bought)).isEqualTo("SUCCEEDED");
        assertThat(usage(account)).containsExactly("0", "3600");
    }

    @Test
    void a_budget_with_no_room_for_a_refused_item_still_lets_a_re_drive_settle_an_item_whose_answer_was_lost()
            throws InterruptedException {
        // a lost answer (item 0, may have bought: its reservation stays), a refusal (item 1, nothing bought: its
        // reservation comes back), another purchase takes that room, then the operator re-drives: before the fix
        // the whole re-drive was refused by the budget, so item 0 stayed "may have bought" while the cloud held it
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "budget redrive");
        budgets.set(account.id(), Map.of("USD", new BigDecimal("2000")), "admin");
        Offering first = offering("db.redrive1.large", "1000", "0");
        Offering second = offering("db.redrive2.large", "1000", "0");
        Map<String, String> pg = Map.of("productDescription", "postgresql");
        UUID id = service.create(NewExecution.of("requester", "budget re-drive", List.of(
                new NewItem(account.id(), TYPE, "us-east-1", first.product(), 1, "1y", "all-upfront", pg),
                new NewItem(account.id(), TYPE, "us-east-1", second.product(), 1, "1y", "all-upfront", pg))))
                .detail().execution().id();
        assertThat(service.approve(id, "approver").moved()).isTrue();
        cloud.loseNextPurchaseResponse();
        cloud.rejectNextPurchase();
        runNext(id);
        assertThat(f.sql.queryForList("SELECT failure_kind FROM items WHERE execution_id = ? ORDER BY position",
                String.class, id)).containsExactly("OUTCOME_UNKNOWN", "REJECTED");
        assertThat(usage(account)).containsExactly("1000", "0");
        UUID other = create(service, account, first, 1);
        assertThat(service.approve(other, "approver").moved()).isTrue();
        assertThat(usage(account)).containsExactly("2000", "0");
        int before = purchases();

        boolean moved;
        try {
            moved = service.redrive(id, "operator").moved();
        } finally {
            service.cancel(other, "requester"); // out of the queue: the re-drive has been decided
        }
        assertThat(moved).as("the re-drive goes ahead for the unanswered item").isTrue();
        runNext(id);

        List<Map<String, Object>> items = f.sql.queryForList(
                "SELECT status, outcome, failure_kind, error FROM items WHERE execution_id = ? ORDER BY position", id);
        assertThat(items.get(0)).containsEntry("status", "BOUGHT").containsEntry("outcome", "ALREADY_OWNED");
        assertThat(items.get(1)).containsEntry("status", "FAILED").containsEntry("failure_kind", "REJECTED");
        assertThat((String) items.get(1).get("error")).contains("budget").contains("nothing was bought")
                .contains("re-drive again");
        assertThat(purchases()).as("no purchase sent for the item the budget held back").isEqualTo(before);
        assertThat(f.status(id)).isEqualTo("PARTIALLY_SUCCEEDED");
        // item 0's reservation is spent; the canceled purchase gave its own back
        assertThat(usage(account)).containsExactly("0", "1000");
        // with no unanswered item left, a re-drive that needs room the budget does not have is refused whole
        UUID third = create(service, account, second, 1);
        assertThat(service.approve(third, "approver").moved()).isTrue();
        try {
            assertThatThrownBy(() -> service.redrive(id, "operator")).isInstanceOf(BudgetExceededException.class);
            assertThat(f.status(id)).isEqualTo("PARTIALLY_SUCCEEDED");
        } finally {
            service.cancel(third, "requester");
        }
    }

    @Test
    void above_the_second_approval_amount_a_purchase_needs_two_people_besides_its_creator() throws Exception {
        PurchaseQuotes quotes = new PurchaseQuotes(f.executors, prices, f.jdbc, new PurchaseProperties(BigDecimal.ZERO,
                Map.of("USD", new BigDecimal("1500"))));
        ExecutionService service = ExecutionService.create(f.jdbc, f.tx, f.executors, List.of(quotes));
        Account account = f.account(cloud, "second approval");
        Offering o = offering("db.second1.large", "1000", "0");
        UUID small = create(service, account, o, 1);
        UUID large = create(service, account, o, 2);

        // 1000 is not above 1500: one approval moves it
        assertThat(service.approve(small, "approver")).isInstanceOf(TransitionResult.Moved.class);
        service.cancel(small, "requester");
        // 2000 is: the first approval is recorded and the purchase waits for a second person
        assertThat(service.approve(large, "approver")).isInstanceOf(TransitionResult.FirstApproval.class);
        assertThat(f.status(large)).isEqualTo("PENDING_APPROVAL");
        assertThat(f.store.claim("second-worker", Duration.ofSeconds(30))).as("nothing to run yet").isEmpty();
        assertThat(service.approvals(large)).isEqualTo(new ExecutionService.Approvals(2, List.of("approver")));
        assertThatThrownBy(() -> service.approve(large, "approver")).isInstanceOf(FourEyesException.class)
                .hasMessageContaining("already approved");
        assertThatThrownBy(() -> service.approve(large, "requester")).isInstanceOf(FourEyesException.class);
        assertThat(f.status(large)).isEqualTo("PENDING_APPROVAL");

        assertThat(service.approve(large, "second-approver")).isInstanceOf(TransitionResult.Moved.class);
        assertThat(runNext(large)).isEqualTo(ExecutionRun.End.FINISHED);
        assertThat(f.status(large)).isEqualTo("SUCCEEDED");
        assertThat(f.sql.queryForList("SELECT action FROM audit_events WHERE execution_id = ? AND action LIKE 'APPROVE%'"
                + " ORDER BY id", String.class, large)).containsExactly("APPROVE_FIRST", "APPROVE");
    }

    @Test
    void concurrent_approvals_by_different_people_give_one_first_and_one_second_approval() throws Exception {
        PurchaseQuotes quotes = new PurchaseQuotes(f.executors, prices, f.jdbc, new PurchaseProperties(BigDecimal.ZERO,
                Map.of("USD", new BigDecimal("1500"))));
        ExecutionService service = ExecutionService.create(f.jdbc, f.tx, f.executors, List.of(quotes));
        Account account = f.account(cloud, "second approval race");
        UUID id = create(service, account, offering("db.second2.large", "1000", "0"), 2);
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<TransitionResult>> results = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String approver = "approver-" + t;
            results.add(pool.submit(() -> {
                start.await();
                return service.approve(id, approver);
            }));
        }
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (var r : results) {
            kinds.merge(r.get().getClass().getSimpleName(), 1, Integer::sum);
        }
        pool.shutdown();
        assertThat(kinds).containsEntry("FirstApproval", 1).containsEntry("Moved", 1)
                .containsEntry("OtherStatus", threads - 2);
        assertThat(f.sql.queryForObject("SELECT count(*) FROM execution_approvals WHERE execution_id = ?",
                Integer.class, id)).isEqualTo(2);
        assertThat(runNext(id)).isEqualTo(ExecutionRun.End.FINISHED);
    }

    @Test
    void crossing_80_and_100_percent_of_a_budget_writes_one_notification_each_in_the_approval_transaction() {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "budget thresholds");
        budgets.set(account.id(), Map.of("USD", new BigDecimal("2000")), "admin");
        Offering o = offering("db.threshold1.large", "100", "0");
        service.approve(create(service, account, o, 10), "approver"); // 1000: 50 %
        assertThat(thresholdNotifications(account)).isEmpty();

        // a refused approval (2000 asked) rolls back: nothing announced
        UUID tooBig = create(service, account, o, 20);
        assertThatThrownBy(() -> service.approve(tooBig, "approver")).isInstanceOf(BudgetExceededException.class);
        assertThat(thresholdNotifications(account)).isEmpty();

        service.approve(create(service, account, o, 7), "approver"); // 1700: 85 %
        service.approve(create(service, account, o, 1), "approver"); // 1800: still past 80 % only
        assertThat(thresholdNotifications(account)).containsExactly("80");
        service.approve(create(service, account, o, 2), "approver"); // 2000: 100 %
        assertThat(thresholdNotifications(account)).containsExactly("80", "100");
        Map<String, Object> hundred = f.sql.queryForMap("SELECT payload::text AS p FROM notifications"
                + " WHERE event = 'budget-threshold' AND dedupe_key LIKE ?", "budget:" + account.id() + ":USD:%:100");
        assertThat(hundred.get("p").toString()).contains("\"limit\": 2000").contains("\"reserved\": 2000")
                .contains("\"usedPercent\": 100").contains("account budget thresholds");

        // next month counts again (a new budget_usage row for the month, as the first approval then writes)
        f.sql.update("INSERT INTO budget_usage (scope, currency, month, reserved) VALUES (?, 'USD', "
                + "date_trunc('month', now() AT TIME ZONE 'UTC')::date + interval '1 month', 1700)",
                account.id().toString());
        assertThat(thresholdNotifications(account)).containsExactly("80", "100", "80");
        // the queue: cancel what this test approved, so other tests' workers find only their own
        cancelApproved(service, account);
    }

    @Test
    void concurrent_approvals_crossing_80_percent_announce_it_once() throws Exception {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "budget race");
        budgets.set(account.id(), Map.of("USD", new BigDecimal("1000")), "admin");
        Offering o = offering("db.threshold2.large", "100", "0");
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(create(service, account, o, 1));
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(ids.size());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(ids.size());
        List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
        for (UUID id : ids) {
            results.add(pool.submit(() -> {
                start.await();
                return service.approve(id, "approver").moved();
            }));
        }
        for (var r : results) {
            assertThat(r.get()).isTrue();
        }
        pool.shutdown();
        assertThat(thresholdNotifications(account)).containsExactly("80");
        cancelApproved(service, account);
    }

    private void cancelApproved(ExecutionService service, Account account) {
        for (UUID id : f.sql.queryForList("SELECT DISTINCT e.id FROM executions e JOIN items i ON i.execution_id = e.id"
                + " WHERE e.status IN ('APPROVED', 'PENDING_APPROVAL') AND i.account_id = ?", UUID.class, account.id())) {
            service.cancel(id, "requester");
        }
    }

    private List<String> thresholdNotifications(Account account) {
        return f.sql.queryForList("SELECT payload->>'threshold' FROM notifications WHERE event = 'budget-threshold'"
                + " AND dedupe_key LIKE ? ORDER BY occurred_at, payload->>'month', (payload->>'threshold')::int",
                String.class, "budget:" + account.id() + ":%");
    }

    /** Reserved and spent of the account's budget this month. */
    private List<String> usage(Account account) {
        return f.sql.queryForObject("SELECT reserved, spent FROM budget_usage WHERE scope = ?",
                (rs, n) -> List.of(rs.getBigDecimal(1), rs.getBigDecimal(2)), account.id().toString()).stream()
                .map(v -> v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString()).toList();
    }

    @Test
    void a_re_drive_after_a_price_rise_still_refuses_the_new_price() throws InterruptedException {
        ExecutionService service = service(BigDecimal.ZERO);
        Account account = f.account(cloud, "price redrive");
        Offering o = offering("db.rise2.large", "500", "0");
        UUID id = create(service, account, o, 1);
        service.approve(id, "approver");
        withPrice(o, "600");
        runNext(id);
        assertThat(service.redrive(id, "approver").moved()).isTrue();

        runNext(id);

        // the first attempt ended PRICE_CHANGED (it did not buy), so the re-drive's refusal is PRICE_CHANGED too
        Map<String, Object> item = f.sql.queryForMap("SELECT failure_kind, error FROM items WHERE execution_id = ?", id);
        assertThat(item.get("failure_kind")).isEqualTo("PRICE_CHANGED");
        assertThat((String) item.get("error")).contains("price rose to USD 600").contains("approved at most USD 500");
        assertThat(f.sql.queryForList("SELECT result FROM item_attempts WHERE execution_id = ? ORDER BY attempt",
                String.class, id)).containsExactly("PRICE_CHANGED", "PRICE_CHANGED");
        assertThat(cloud.commitments(account)).isZero();
    }

    @Test
    void a_price_within_the_tolerance_or_lower_is_bought() throws InterruptedException {
        ExecutionService service = service(new BigDecimal("5"));
        Account account = f.account(cloud, "tolerance");
        budgets.set(account.id(), Map.of("USD", new BigDecimal("1050")), "admin");
        Offering o = offering("db.tol1.large", "1000", "0");
        UUID id = create(service, account, o, 1);
        service.approve(id, "approver");
        // the budget reserves the ceiling (quote + 5 %), the most the executor may pay
        assertThat(usage(account)).containsExactly("1050", "0");
        withPrice(o, "1049.99");
        int before = purchases();

        runNext(id);

        assertThat(f.status(id)).isEqualTo("SUCCEEDED");
        assertThat(purchases()).isEqualTo(before + 1);
        assertThat(cloud.commitments(account)).isEqualTo(1);
        assertThat(usage(account)).containsExactly("0", "1050");
    }

    @Test
    void above_the_tolerance_nothing_is_bought() throws InterruptedException {
        ExecutionService service = service(new BigDecimal("5"));
        Account account = f.account(cloud, "tolerance above");
        Offering o = offering("db.tol2.large", "1000", "0");
        UUID id = create(service, account, o, 1);
        service.approve(id, "approver");
        withPrice(o, "1050.01");

        runNext(id);

        assertThat(f.sql.queryForObject("SELECT failure_kind FROM items WHERE execution_id = ?", String.class, id))
                .isEqualTo("PRICE_CHANGED");
        assertThat(cloud.commitments(account)).isZero();
    }
}
