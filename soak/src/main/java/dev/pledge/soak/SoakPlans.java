package dev.pledge.soak;

import dev.pledge.app.account.AccountService;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.insight.InsightProperties;
import dev.pledge.app.insight.InsightRefresher;
import dev.pledge.app.insight.InsightStore;
import dev.pledge.app.plan.NewPlan;
import dev.pledge.app.plan.Plan;
import dev.pledge.app.plan.Plans;
import dev.pledge.common.insight.InsightRegistry;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.spi.ProviderSettings;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Plans in the soak (issue 16): the first account of each cloud "runs" steady usage in the emulator, one
 * refresh turns it into recommendations, and one auto-approve plan per cloud buys a laddered share of them
 * every cycle. Their purchases go through the same approval, budgets and faulty workers as the workload's, so
 * every check of the run covers them. Each cycle is also run a second time, which must propose nothing new.
 */
final class SoakPlans {
    static final String PLANNER = "soak-planner";
    static final String PLAN_APPROVER = "soak-plan-approver";

    private final NamedParameterJdbcTemplate jdbc;
    private final Plans plans;
    private final ExecutionService executions;
    private int refusedByBudget;
    private final List<UUID> ids = new ArrayList<>();
    private final Instant firstCycle = Instant.now().truncatedTo(ChronoUnit.DAYS);
    private int cycles;
    private int proposed;
    private int replayed;
    private int autoApproved;
    private final List<String> problems = new ArrayList<>();
    private Consumer<String> say = m -> { };

    SoakPlans(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ExecutionService executions) {
        this.jdbc = jdbc;
        this.plans = Plans.create(jdbc, tx, executions, Clock.systemUTC());
        this.executions = executions;
    }

    /** Seeds the usage, refreshes once (before any fault is armed) and creates and approves one plan per cloud. */
    String prepare(EmulatorControl control, java.net.URI emulatorUrl, Map<Cloud, List<UUID>> accounts, TransactionTemplate tx,
                   Consumer<String> say) {
        this.say = say;
        control.putUsage("[" + String.join(",",
                usage("aws", "aws-rds", SoakCatalog.externalId(Cloud.AWS, 0), "us-east-1", "db.r6g.large", "6",
                        "{\"productDescription\":\"postgresql\"}"),
                usage("aws", "aws-ec2", SoakCatalog.externalId(Cloud.AWS, 0), "us-east-1", "m5.large", "8",
                        "{\"productDescription\":\"Linux/UNIX\"}"),
                usage("azure", "azure-reservation", "/subscriptions/"
                        + SoakCatalog.externalId(Cloud.AZURE, 0).toLowerCase(Locale.ROOT), "northeurope",
                        "Standard_D4s_v3", "6", null),
                usage("gcp", "gcp-compute", SoakCatalog.externalId(Cloud.GCP, 0), "europe-west1",
                        "GENERAL_PURPOSE_N2", "32", null)) + "]");
        InsightRefresher.Summary s;
        try (InsightRegistry registry = InsightRegistry.load(ProviderSettings.emulator(emulatorUrl))) {
            s = new InsightRefresher(registry, new InsightStore(jdbc, tx), new AccountService(jdbc), defaults())
                    .refreshAll(p -> { });
        }
        if (s.failed() > 0) {
            problems.add("the plans' refresh failed for " + s.failed() + " of " + s.sources() + " sources: "
                    + s.failures());
        }
        for (Cloud cloud : Cloud.values()) {
            List<UUID> of = accounts.getOrDefault(cloud, List.of());
            if (of.isEmpty()) {
                continue;
            }
            Plan plan = plans.create(new NewPlan("soak " + cloud.slug() + " ladder", List.of(of.get(0)), null, null,
                    "0 0 6 * * *", BigDecimal.valueOf(50), 3, null, null, null, "auto-approve", 1), PLANNER);
            plans.approve(plan.id(), PLAN_APPROVER);
            ids.add(plan.id());
        }
        return s.recommendations() + " recommendation(s) from the seeded usage, " + ids.size() + " auto-approve plan(s)";
    }

    private static String usage(String cloud, String type, String account, String region, String product,
                                String units, String attributes) {
        return "{\"cloud\":\"" + cloud + "\",\"type\":\"" + type + "\",\"account\":\"" + account + "\",\"region\":\""
                + region + "\",\"product\":\"" + product + "\",\"units\":\"" + units + "\""
                + (attributes == null ? "" : ",\"attributes\":" + attributes) + "}";
    }

    private static InsightProperties defaults() {
        return new InsightProperties(Duration.ofHours(24), 4, 3, Duration.ofMillis(200), "1y", "no-upfront", "30d",
                List.of("us-east-1"), 7, List.of("europe-west1"));
    }

    /**
     * Runs the next cycle of every plan, runs it again (a re-run must find the same purchase), and lets the review
     * window pass: auto-approval approves what nobody rejected, under the budgets. Returns the purchases proposed.
     */
    List<UUID> cycle() {
        Instant slot = firstCycle.plus(Duration.ofDays(cycles));
        cycles++;
        List<UUID> out = new ArrayList<>();
        for (UUID plan : ids) {
            Plans.CycleResult first = plans.runCycle(plan, slot, "schedule");
            Plans.CycleResult again = plans.runCycle(plan, slot, "schedule");
            say.accept("plan " + plan + " cycle " + slot + ": " + first.detail() + "; re-run: " + again.detail());
            if (first.purchase() != null) {
                proposed++;
                out.add(first.purchase());
            }
            if (first.purchase() != null && (!again.replayed() || !first.purchase().equals(again.purchase()))) {
                problems.add("plan " + plan + " cycle " + slot + " re-run proposed " + again.purchase()
                        + " after " + first.purchase() + " (" + again.detail() + ")");
            } else if (first.purchase() != null) {
                replayed++;
            }
        }
        autoApproved += plans.autoApprove(Instant.now().plus(Duration.ofHours(2)));
        // a proposal the budget refused waits for a person; in the soak the planner's owner withdraws it
        for (UUID refused : jdbc.getJdbcTemplate().queryForList("""
                SELECT p.execution_id FROM plan_proposals p JOIN executions e ON e.id = p.execution_id
                WHERE p.auto_result LIKE 'not approved%' AND e.status = 'PENDING_APPROVAL'""", UUID.class)) {
            executions.cancel(refused, PLANNER);
            refusedByBudget++;
            say.accept("plan proposal " + refused + " refused by a budget: canceled");
        }
        return out;
    }

    /** A plan cycle row that points at two purchases, or two cycles of one plan sharing a purchase. */
    List<String> problems() {
        List<String> out = new ArrayList<>(problems);
        Integer shared = jdbc.getJdbcTemplate().queryForObject("""
                SELECT count(*) FROM (SELECT execution_id FROM plan_cycles WHERE execution_id IS NOT NULL
                GROUP BY execution_id HAVING count(*) > 1) d""", Integer.class);
        if (shared != null && shared > 0) {
            out.add(shared + " purchase(s) belong to several plan cycles");
        }
        return out;
    }

    Map<String, Integer> figures() {
        return Map.of("plans", ids.size(), "cycles", cycles, "proposed", proposed, "replayed", replayed,
                "auto_approved", autoApproved, "budget_refused", refusedByBudget);
    }
}
