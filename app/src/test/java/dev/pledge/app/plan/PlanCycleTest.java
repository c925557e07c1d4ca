package dev.pledge.app.plan;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.AccountService;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.testing.PostgresExtension;
import dev.pledge.app.testing.TestSchema;
import dev.pledge.common.model.Cloud;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16: plan cycles on real PostgreSQL, with a settable clock. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCycleTest {
    private static final AtomicLong ACCOUNTS = new AtomicLong(700_000_000_000L);
    private JdbcTemplate sql;
    private NamedParameterJdbcTemplate jdbc;
    private ExecutionService executions;
    private AccountService accounts;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T06:00:00Z"));
    private Plans plans;

    @BeforeAll
    void start(TestSchema db) {
        sql = db.jdbc();
        jdbc = new NamedParameterJdbcTemplate(db.dataSource());
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        executions = ExecutionService.create(jdbc, tx, null);
        accounts = new AccountService(jdbc);
        plans = Plans.create(jdbc, tx, executions, clock);
    }

    private Account account() {
        String external = String.valueOf(ACCOUNTS.incrementAndGet());
        return accounts.create(new NewAccount(Cloud.AWS, external, "plan test " + external, Map.of()));
    }

    /** A current recommendation generation for the account with these (offering, quantity, monthly savings). */
    private void recommend(Account account, Object[]... recs) {
        Long generation = sql.queryForObject("""
                INSERT INTO insight_generations (kind, account_id, type, status, finished_at)
                VALUES ('recommendations', ?, 'aws-rds', 'COMPLETE', now()) RETURNING id""", Long.class, account.id());
        for (Object[] r : recs) {
            sql.update("""
                    INSERT INTO recommendations (generation_id, account_id, cloud, type, region, offering, quantity, term,
                        payment, attributes, currency, monthly_savings, upfront_cost, monthly_recurring_cost,
                        break_even_months, lookback)
                    VALUES (?, ?, 'aws', 'aws-rds', 'us-east-1', ?, ?, '1y', 'no-upfront', '{}', 'USD', ?, 0, 100, ?, '7d')""",
                    generation, account.id(), r[0], r[1], new BigDecimal(r[2].toString()),
                    new BigDecimal(r.length > 3 ? r[3].toString() : "1"));
        }
        sql.update("""
                INSERT INTO insight_sources (kind, account_id, type, current_generation, refreshed_at, last_attempt_at)
                VALUES ('recommendations', ?, 'aws-rds', ?, now(), now())
                ON CONFLICT (kind, account_id, type) DO UPDATE SET current_generation = excluded.current_generation""",
                account.id(), generation);
    }

    private Plan activePlan(Account account, BigDecimal percent, Integer maxItems, String mode, Integer reviewHours) {
        Plan p = plans.create(new NewPlan("plan for " + account.externalId(), List.of(account.id()), List.of(),
                List.of(), "0 0 6 * * MON", percent, maxItems, null, null, null, mode, reviewHours), "admin-one");
        return plans.approve(p.id(), "admin-two");
    }

    private int purchasesBy(Plan plan) {
        return sql.queryForObject("SELECT count(*) FROM executions WHERE created_by = ?", Integer.class,
                "plan:" + plan.id());
    }

    private List<Map<String, Object>> items(UUID purchase) {
        return sql.queryForList("SELECT offering, quantity FROM items WHERE execution_id = ? ORDER BY position", purchase);
    }

    @Test
    void a_plan_runs_only_after_another_owner_approved_it() {
        Account account = account();
        recommend(account, new Object[]{"db.r6g.large", 4, 50});
        Plan p = plans.create(new NewPlan("unapproved", List.of(account.id()), null, null, "0 0 6 * * MON", null,
                null, null, null, null, "propose", null), "admin-one");

        assertThat(plans.runCycle(p.id(), clock.instant(), "schedule").purchase()).isNull();
        assertThatThrownBy(() -> plans.approve(p.id(), "admin-one")).isInstanceOf(PlanRefusedException.class)
                .hasMessageContaining("another owner");
        Plan approved = plans.approve(p.id(), "admin-two");
        assertThat(approved.status()).isEqualTo("ACTIVE");
        assertThat(approved.nextRunAt()).isEqualTo(Instant.parse("2026-12-14T06:00:00Z"));
        assertThat(sql.queryForObject("SELECT count(*) FROM audit_events WHERE action IN ('PLAN_CREATE', 'PLAN_APPROVE')"
                + " AND detail LIKE ?", Integer.class, "plan " + p.id() + "%")).isEqualTo(2);
    }

    @Test
    void a_cycle_re_run_proposes_nothing_new() {
        Account account = account();
        recommend(account, new Object[]{"db.r6g.large", 4, 50});
        Plan plan = activePlan(account, null, null, "propose", null);
        Instant cycle = Instant.parse("2026-12-07T06:00:00Z");

        Plans.CycleResult first = plans.runCycle(plan.id(), cycle, "schedule");
        // a crash after the purchase was written, then the same cycle again; then run-now in the same slot
        recommend(account, new Object[]{"db.r6g.large", 6, 70});
        Plans.CycleResult again = plans.runCycle(plan.id(), cycle, "schedule");
        clock.set(cycle.plus(Duration.ofHours(2)));
        Plans.CycleResult now = plans.runNow(plan.id(), "admin-two");

        assertThat(first.purchase()).isNotNull();
        assertThat(first.replayed()).isFalse();
        assertThat(again.purchase()).isEqualTo(first.purchase());
        assertThat(again.replayed()).isTrue();
        assertThat(now.cycle()).isEqualTo(cycle);
        assertThat(now.purchase()).isEqualTo(first.purchase());
        assertThat(purchasesBy(plan)).isEqualTo(1);
        assertThat(items(first.purchase())).containsExactly(Map.of("offering", "db.r6g.large", "quantity", 4));
        assertThat(sql.queryForObject("SELECT runs FROM plan_cycles WHERE plan_id = ? AND cycle = ?", Integer.class,
                plan.id(), java.sql.Timestamp.from(cycle))).isEqualTo(3);
        assertThat(sql.queryForObject("SELECT idempotency_key FROM executions WHERE id = ?", String.class,
                first.purchase())).isEqualTo("plan:" + plan.id() + ":" + cycle.getEpochSecond());
        // the proposal was announced once, in the cycle's transaction, for all three runs (issue 17)
        assertThat(sql.queryForList("SELECT payload->>'purchase' FROM notifications WHERE event = 'plan-proposal'"
                + " AND payload->>'plan' = ?", String.class, plan.id().toString()))
                .containsExactly(first.purchase().toString());
        // the next slot is a new cycle
        assertThat(plans.runCycle(plan.id(), cycle.plus(Duration.ofDays(7)), "schedule").replayed()).isFalse();
        assertThat(purchasesBy(plan)).isEqualTo(2);
        assertThat(sql.queryForObject("SELECT count(*) FROM notifications WHERE event = 'plan-proposal'"
                + " AND payload->>'plan' = ?", Integer.class, plan.id().toString())).isEqualTo(2);
    }

    @Test
    void the_ladder_proposes_at_most_its_share_and_its_number_of_items_per_cycle() {
        Account account = account();
        recommend(account, new Object[]{"db.r6g.large", 10, 90}, new Object[]{"db.r6g.xlarge", 7, 60},
                new Object[]{"db.t4g.small", 2, 10});
        Plan plan = activePlan(account, new BigDecimal("30"), 2, "propose", null);

        Plans.CycleResult r = plans.runCycle(plan.id(), Instant.parse("2026-12-07T06:00:00Z"), "schedule");

        // 30 % of 10 = 3, of 7 = 2 (rounded down); the third is past the two-item ladder
        assertThat(items(r.purchase())).containsExactly(Map.of("offering", "db.r6g.large", "quantity", 3),
                Map.of("offering", "db.r6g.xlarge", "quantity", 2));
    }

    @Test
    void the_ladder_scales_a_gcp_commitment_by_its_resources_not_its_quantity() {
        // a GCP committed-use recommendation is one commitment (quantity 1) sized by vcpus and memoryMb: 50 % of
        // quantity 1 rounds to nothing, so before the fix a GCP plan with a ladder proposed nothing, ever
        String external = "plan-test-" + ACCOUNTS.incrementAndGet();
        Account account = accounts.create(new NewAccount(Cloud.GCP, external, "plan test " + external, Map.of()));
        Long generation = sql.queryForObject("""
                INSERT INTO insight_generations (kind, account_id, type, status, finished_at)
                VALUES ('recommendations', ?, 'gcp-compute', 'COMPLETE', now()) RETURNING id""", Long.class,
                account.id());
        sql.update("""
                INSERT INTO recommendations (generation_id, account_id, cloud, type, region, offering, quantity, term,
                    payment, attributes, currency, monthly_savings, upfront_cost, monthly_recurring_cost,
                    break_even_months, lookback)
                VALUES (?, ?, 'gcp', 'gcp-compute', 'europe-west1', 'GENERAL_PURPOSE_N2', 1, '1y', NULL,
                    '{"vcpus": "33", "memoryMb": "135168"}', 'USD', 400, 0, 900, 0, '30d')""",
                generation, account.id());
        sql.update("""
                INSERT INTO insight_sources (kind, account_id, type, current_generation, refreshed_at, last_attempt_at)
                VALUES ('recommendations', ?, 'gcp-compute', ?, now(), now())""", account.id(), generation);
        Plan plan = activePlan(account, new BigDecimal("50"), null, "propose", null);

        Plans.CycleResult r = plans.runCycle(plan.id(), Instant.parse("2026-12-07T06:00:00Z"), "schedule");

        assertThat(r.purchase()).as(r.detail()).isNotNull();
        // half of 33 vCPUs rounds down to 16; memory keeps the recommendation's ratio per vCPU (4096 MB), so a
        // ladder step is a commitment shaped like the recommended one
        assertThat(sql.queryForList("SELECT quantity, attributes::text AS a FROM items WHERE execution_id = ?",
                r.purchase())).singleElement().satisfies(i -> {
                    assertThat(i.get("quantity")).isEqualTo(1);
                    assertThat(i.get("a").toString()).contains("\"vcpus\": \"16\"").contains("\"memoryMb\": \"65536\"");
                });
    }

    @Test
    void filters_drop_recommendations_below_the_minimum_savings_or_above_the_break_even() {
        Account account = account();
        // monthly commitment 100: savings 50 -> 33 %, savings 10 -> 9 %; break-even 1 and 20 months
        recommend(account, new Object[]{"db.r6g.large", 4, 50, 1}, new Object[]{"db.r6g.xlarge", 4, 10, 1},
                new Object[]{"db.m6g.large", 4, 80, 20});
        Plan p = plans.create(new NewPlan("filtered", List.of(account.id()), List.of("aws-rds"), List.of("us-east-1"),
                "0 0 6 * * MON", null, null, new BigDecimal("20"), new BigDecimal("12"), null, "propose", null),
                "admin-one");
        plans.approve(p.id(), "admin-two");

        Plans.CycleResult r = plans.runCycle(p.id(), Instant.parse("2026-12-07T06:00:00Z"), "schedule");

        assertThat(items(r.purchase())).containsExactly(Map.of("offering", "db.r6g.large", "quantity", 4));
    }

    @Test
    void auto_approve_fires_only_after_the_review_window_and_never_when_someone_rejected() {
        Account account = account();
        recommend(account, new Object[]{"db.r6g.large", 4, 50});
        Plan plan = activePlan(account, null, null, "auto-approve", 4);
        Account other = account();
        recommend(other, new Object[]{"db.r6g.large", 2, 50});
        Plan rejectedPlan = activePlan(other, null, null, "auto-approve", 4);
        Instant t0 = Instant.parse("2026-12-07T06:00:00Z");
        clock.set(t0);
        UUID kept = plans.runCycle(plan.id(), t0, "schedule").purchase();
        UUID rejected = plans.runCycle(rejectedPlan.id(), t0, "schedule").purchase();
        assertThat(executions.reject(rejected, "reviewer", "not this quarter").moved()).isTrue();

        plans.autoApprove(t0.plus(Duration.ofHours(4)).minusSeconds(1));
        assertThat(status(kept)).isEqualTo("PENDING_APPROVAL");

        plans.autoApprove(t0.plus(Duration.ofHours(4)));
        assertThat(status(kept)).isEqualTo("APPROVED");
        assertThat(sql.queryForObject("SELECT approved_by FROM executions WHERE id = ?", String.class, kept))
                .isEqualTo("plan-approval:admin-two");
        assertThat(status(rejected)).isEqualTo("REJECTED");
        plans.autoApprove(t0.plus(Duration.ofDays(2)));
        assertThat(status(rejected)).isEqualTo("REJECTED");
        assertThat(sql.queryForObject("SELECT auto_result FROM plan_proposals WHERE execution_id = ?", String.class,
                rejected)).startsWith("not approved");
    }

    @Test
    void a_paused_plan_proposes_nothing_and_approves_nothing() {
        Account account = account();
        recommend(account, new Object[]{"db.r6g.large", 4, 50});
        Plan plan = activePlan(account, null, null, "auto-approve", 1);
        Instant t0 = Instant.parse("2026-12-07T06:00:00Z");
        clock.set(t0);
        UUID proposed = plans.runCycle(plan.id(), t0, "schedule").purchase();
        plans.pause(plan.id(), "admin-two");

        Plans.CycleResult paused = plans.runCycle(plan.id(), t0.plus(Duration.ofDays(7)), "schedule");
        clock.set(t0.plus(Duration.ofDays(30)));
        plans.runDue();
        plans.autoApprove(t0.plus(Duration.ofDays(30)));

        assertThat(paused.purchase()).isNull();
        assertThat(paused.detail()).contains("PAUSED");
        assertThat(purchasesBy(plan)).isEqualTo(1);
        assertThat(status(proposed)).isEqualTo("PENDING_APPROVAL");
        assertThatThrownBy(() -> plans.runNow(plan.id(), "admin-two")).isInstanceOf(PlanRefusedException.class);

        Plan resumed = plans.resume(plan.id(), "admin-two");
        assertThat(resumed.nextRunAt()).isAfter(clock.instant());
        plans.autoApprove(clock.instant());
        assertThat(status(proposed)).isEqualTo("APPROVED");
    }

    @Test
    void a_bad_plan_is_refused_naming_the_field() {
        assertThatThrownBy(() -> plans.create(new NewPlan("x", null, null, null, "every monday", null, null, null,
                null, null, "propose", null), "admin")).hasMessageContaining("cadence");
        assertThatThrownBy(() -> plans.create(new NewPlan("x", null, null, null, "0 0 6 * * MON", new BigDecimal("0"),
                null, null, null, null, "propose", null), "admin")).hasMessageContaining("ladderPercent");
        assertThatThrownBy(() -> plans.create(new NewPlan("x", null, null, null, "0 0 6 * * MON", null, null, null,
                null, null, "auto-approve", null), "admin")).hasMessageContaining("reviewHours");
    }

    private String status(UUID id) {
        return sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id);
    }

    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
