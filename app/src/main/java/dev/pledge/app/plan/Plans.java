package dev.pledge.app.plan;

import dev.pledge.app.audit.AuditEntry;
import dev.pledge.app.audit.AuditTrail;
import dev.pledge.app.budget.BudgetExceededException;
import dev.pledge.app.execution.CreatedExecution;
import dev.pledge.app.execution.ExecutionService;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.common.model.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Plans: an ADMIN creates one, another owner approves it, then each cycle (a slot of its cron cadence)
 * proposes purchases from the current recommendations in its scope, filtered, and laddered (at most a
 * share of each recommendation, at most so many items). A cycle's purchase carries the Idempotency-Key
 * {@code plan:<id>:<cycle epoch second>}: a re-run of the cycle (after a crash, or run-now twice in one
 * slot) finds the same purchase and proposes nothing new. In auto-approve mode a proposal is approved
 * once its review window has passed, unless it was rejected (or canceled) meanwhile; budgets still apply.
 */
@Service
public class Plans {
    private static final Logger log = LoggerFactory.getLogger(Plans.class);
    private static final Set<String> MODES = Set.of("propose", "auto-approve");

    private final PlanStore store;
    private final ExecutionService executions;
    private final AuditTrail audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    @Autowired
    Plans(PlanStore store, ExecutionService executions, AuditTrail audit, TransactionTemplate tx) {
        this(store, executions, audit, tx, Clock.systemUTC());
    }

    Plans(PlanStore store, ExecutionService executions, AuditTrail audit, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.executions = executions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** For callers outside Spring (tests, the soak). */
    public static Plans create(org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate jdbc,
                               TransactionTemplate tx, ExecutionService executions, Clock clock) {
        return new Plans(new PlanStore(jdbc), executions, new AuditTrail(jdbc), tx, clock);
    }

    public Plan create(NewPlan p, String actor) {
        NewPlan checked = check(p);
        return tx.execute(s -> {
            UUID id = store.insert(checked, actor);
            audit(actor, "PLAN_CREATE", id, "'" + checked.name() + "' " + checked.mode() + ", cadence "
                    + checked.cadence());
            return store.find(id).orElseThrow();
        });
    }

    public Optional<Plan> find(UUID id) {
        return store.find(id);
    }

    public List<Plan> list() {
        return store.list();
    }

    public List<Map<String, Object>> history(UUID id) {
        return store.history(id);
    }

    /** Another owner than the creator's approves a plan (the plan's own second pair of eyes): it becomes ACTIVE. */
    public Plan approve(UUID id, String actor) {
        Plan plan = store.find(id).orElseThrow(() -> new PlanRefusedException(404, "no plan " + id));
        String owner = store.ownerOf(actor);
        if (store.ownerOf(plan.createdBy()).equals(owner)) {
            throw new PlanRefusedException(403, "plan " + id + " was created by " + owner
                    + "; another owner must approve it (four-eyes compares people, not keys)");
        }
        return moveTo(id, List.of("PENDING_APPROVAL"), "ACTIVE", "approved_by = :actor, approved_at = now(), "
                + "next_run_at = :next", actor, "PLAN_APPROVE", next(plan.cadence(), clock.instant()));
    }

    public Plan pause(UUID id, String actor) {
        return moveTo(id, List.of("ACTIVE"), "PAUSED", null, actor, "PLAN_PAUSE", null);
    }

    public Plan resume(UUID id, String actor) {
        Plan plan = store.find(id).orElseThrow(() -> new PlanRefusedException(404, "no plan " + id));
        return moveTo(id, List.of("PAUSED"), "ACTIVE", "next_run_at = :next", actor, "PLAN_RESUME",
                next(plan.cadence(), clock.instant()));
    }

    private Plan moveTo(UUID id, List<String> from, String to, String set, String actor, String action, Instant next) {
        return tx.execute(s -> {
            MapSqlParameterSource params = new MapSqlParameterSource("actor", actor)
                    .addValue("next", next == null ? null : java.sql.Timestamp.from(next));
            Plan moved = store.move(id, from, to, set, params).orElseThrow(() -> store.find(id)
                    .<PlanRefusedException>map(p -> new PlanRefusedException(409, action.toLowerCase()
                            .replace("plan_", "") + " needs status " + String.join(" or ", from) + "; plan " + id
                            + " is " + p.status()))
                    .orElseGet(() -> new PlanRefusedException(404, "no plan " + id)));
            audit(actor, action, id, "now " + to);
            return moved;
        });
    }

    /** What one cycle did. */
    public record CycleResult(Instant cycle, UUID purchase, boolean replayed, int items, String detail) {
    }

    /** Run-now: the current cycle (the latest slot of the cadence at or before now). */
    public CycleResult runNow(UUID id, String actor) {
        Plan plan = store.find(id).orElseThrow(() -> new PlanRefusedException(404, "no plan " + id));
        if (!"ACTIVE".equals(plan.status())) {
            throw new PlanRefusedException(409, "run-now needs an ACTIVE plan; plan " + id + " is " + plan.status());
        }
        CycleResult r = runCycle(id, currentSlot(plan.cadence(), clock.instant()), "run-now");
        audit(actor, "PLAN_RUN_NOW", id, "cycle " + r.cycle() + ": " + r.detail());
        return r;
    }

    /**
     * Runs one cycle of a plan: proposes the laddered, filtered recommendations as one purchase keyed by
     * (plan, cycle). A plan that is not ACTIVE proposes nothing.
     */
    public CycleResult runCycle(UUID id, Instant cycle, String trigger) {
        Instant slot = cycle.truncatedTo(ChronoUnit.SECONDS);
        return tx.execute(s -> {
            store.lockPlan(id);
            Plan plan = store.find(id).orElseThrow(() -> new PlanRefusedException(404, "no plan " + id));
            if (!"ACTIVE".equals(plan.status())) {
                return new CycleResult(slot, null, false, 0, "plan is " + plan.status() + ": nothing proposed");
            }
            String key = idempotencyKey(id, slot);
            List<PlanStore.Candidate> proposed = proposal(plan);
            List<String> dropped = new ArrayList<>();
            CreatedExecution created = null;
            while (!proposed.isEmpty() && created == null) {
                try {
                    created = executions.create(new NewExecution(actor(plan), "plan '" + plan.name() + "' cycle "
                            + slot, null, proposed.stream().map(Plans::item).toList(), key, sha256(key)));
                } catch (ValidationException e) {
                    // a renewal the executor cannot buy as held (e.g. a retired offering) is left out, not the cycle
                    int bad = badItem(e.field());
                    if (bad < 0 || proposed.get(bad).renews() == null) {
                        throw e;
                    }
                    dropped.add(proposed.get(bad).renews() + " (" + e.getMessage() + ")");
                    proposed = new ArrayList<>(proposed);
                    proposed.remove(bad);
                }
            }
            if (created == null) {
                String detail = "nothing to propose" + (dropped.isEmpty() ? "" : "; renewals left out: " + dropped);
                store.recordCycle(id, slot, trigger, null, 0, detail);
                return new CycleResult(slot, null, false, 0, detail);
            }
            UUID purchase = created.detail().execution().id();
            int renewals = 0;
            for (PlanStore.Candidate c : proposed) {
                if (c.renews() != null && !created.replayed()) {
                    store.recordRenewal(id, c.renews(), slot, purchase);
                    renewals++;
                }
            }
            int count = created.detail().items().size();
            String detail = created.replayed() ? "cycle already proposed purchase " + purchase + "; nothing new"
                    : "proposed purchase " + purchase + " with " + count + " item(s)"
                    + (renewals == 0 ? "" : ", " + renewals + " of them renewals")
                    + (dropped.isEmpty() ? "" : "; renewals left out: " + dropped);
            store.recordCycle(id, slot, trigger, purchase, count, detail);
            store.recordProposal(purchase, id, slot, plan.autoApprove()
                    ? clock.instant().plus(Duration.ofHours(plan.reviewHours())) : null);
            audit(actor(plan), "PLAN_CYCLE", id, "cycle " + slot + " (" + trigger + "): " + detail);
            log.info("plan {} cycle {}: {}", id, slot, detail);
            return new CycleResult(slot, purchase, created.replayed(), count, detail);
        });
    }

    /** The scheduled run: every ACTIVE plan whose next run has come runs that cycle, then gets its next. */
    public int runDue() {
        int ran = 0;
        for (Plan plan : store.list()) {
            if (!"ACTIVE".equals(plan.status()) || plan.nextRunAt() == null
                    || plan.nextRunAt().isAfter(clock.instant())) {
                continue;
            }
            try {
                runCycle(plan.id(), plan.nextRunAt(), "schedule");
                ran++;
            } catch (RuntimeException e) {
                log.warn("plan {} cycle {} failed: {}", plan.id(), plan.nextRunAt(), e.toString());
            }
            store.setNextRun(plan.id(), next(plan.cadence(), clock.instant()));
        }
        return ran;
    }

    /**
     * Auto-approve mode: approves every proposal whose review window has passed at {@code now} and is still
     * waiting for approval; a rejected or canceled one stays as it is, and a budget refusal is recorded.
     */
    public int autoApprove(Instant now) {
        int approved = 0;
        for (PlanStore.Due due : store.dueForApproval(now)) {
            Plan plan = store.find(due.plan()).orElseThrow();
            if (!"ACTIVE".equals(plan.status())) {
                continue;
            }
            String result;
            try {
                TransitionResult r = executions.approve(due.execution(), "plan-approval:" + plan.approvedBy());
                result = r.moved() ? "APPROVED" : "not approved: " + r;
                approved += r.moved() ? 1 : 0;
            } catch (BudgetExceededException e) {
                result = "not approved: " + e.getMessage();
            }
            store.autoResult(due.execution(), result);
            audit("plan:" + plan.id(), "PLAN_AUTO_APPROVE", plan.id(), "purchase " + due.execution() + ": " + result);
        }
        return approved;
    }

    /**
     * What one cycle proposes: renewals of commitments ending within {@code renewWithinDays} first, then
     * recommendations through the filters and the ladder; at most {@code ladderMaxItems} in all.
     */
    List<PlanStore.Candidate> proposal(Plan plan) {
        List<PlanStore.Candidate> items = new ArrayList<>();
        if (plan.renewWithinDays() != null) {
            for (PlanStore.Candidate c : store.renewals(plan, clock.instant().plus(Duration.ofDays(plan.renewWithinDays())))) {
                if (plan.ladderMaxItems() != null && items.size() >= plan.ladderMaxItems()) {
                    return items;
                }
                items.add(c);
            }
        }
        for (PlanStore.Candidate c : store.recommendations(plan)) {
            if (plan.ladderMaxItems() != null && items.size() >= plan.ladderMaxItems()) {
                break;
            }
            if (!passes(plan, c)) {
                continue;
            }
            BigDecimal share = plan.ladderPercent() == null ? BigDecimal.ONE : plan.ladderPercent().movePointLeft(2);
            Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
            int quantity = c.quantity();
            if (c.hourlyCommitment() != null) {
                BigDecimal hourly = c.hourlyCommitment().multiply(share).setScale(3, RoundingMode.DOWN);
                if (hourly.signum() <= 0) {
                    continue;
                }
                attributes.put("hourlyCommitment", hourly.stripTrailingZeros().toPlainString());
            } else if (attributes.containsKey(VCPUS)) {
                // one commitment sized by its resources (GCP): the ladder takes its share of the vCPUs and keeps
                // the recommended memory per vCPU, so each step is shaped like the recommended commitment
                if (!scaleResources(attributes, share)) {
                    continue;
                }
            } else {
                quantity = BigDecimal.valueOf(c.quantity()).multiply(share).setScale(0, RoundingMode.DOWN).intValue();
                if (quantity < 1) {
                    continue;
                }
            }
            items.add(new PlanStore.Candidate(c.id(), c.account(), c.type(), c.region(), c.offering(), quantity,
                    attributes.containsKey("hourlyCommitment") ? new BigDecimal(attributes.get("hourlyCommitment"))
                            : null, c.term(), c.payment(), attributes, c.monthlySavings(), c.upfrontCost(),
                    c.monthlyRecurringCost(), c.breakEvenMonths(), null));
        }
        return items;
    }

    private static final String VCPUS = "vcpus";

    /** Scales vcpus (down, at least one) and memoryMb / localSsdGb in proportion; false when nothing is left. */
    static boolean scaleResources(Map<String, String> attributes, BigDecimal share) {
        long vcpus;
        try {
            vcpus = Long.parseLong(attributes.get(VCPUS).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        long part = BigDecimal.valueOf(vcpus).multiply(share).setScale(0, RoundingMode.DOWN).longValue();
        if (part < 1 || vcpus < 1) {
            return false;
        }
        attributes.put(VCPUS, String.valueOf(part));
        for (String resource : List.of("memoryMb", "localSsdGb")) {
            String v = attributes.get(resource);
            if (v == null) {
                continue;
            }
            try {
                long scaled = BigDecimal.valueOf(Long.parseLong(v.trim())).multiply(BigDecimal.valueOf(part))
                        .divide(BigDecimal.valueOf(vcpus), 0, RoundingMode.DOWN).longValue();
                if (scaled < 1) {
                    return false;
                }
                attributes.put(resource, String.valueOf(scaled));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static NewItem item(PlanStore.Candidate c) {
        Map<String, String> attributes = new LinkedHashMap<>(c.attributes());
        if (c.hourlyCommitment() != null) {
            attributes.put("hourlyCommitment", c.hourlyCommitment().stripTrailingZeros().toPlainString());
        }
        return new NewItem(c.account(), c.type(), c.region(), c.offering(), c.quantity(), c.term(), c.payment(),
                attributes);
    }

    /** The position in {@code items[3].offering}, or -1. */
    private static int badItem(String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^items\\[(\\d+)]").matcher(field == null ? "" : field);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Minimum savings (percent of what the usage costs on demand) and maximum break-even. */
    static boolean passes(Plan plan, PlanStore.Candidate c) {
        if (plan.maxBreakEvenMonths() != null && c.breakEvenMonths() != null
                && c.breakEvenMonths().compareTo(plan.maxBreakEvenMonths()) > 0) {
            return false;
        }
        if (plan.minSavingsPercent() != null) {
            int months = c.term().startsWith("3") ? 36 : c.term().startsWith("5") ? 60 : 12;
            BigDecimal commitmentMonthly = nz(c.monthlyRecurringCost()).add(nz(c.upfrontCost())
                    .divide(BigDecimal.valueOf(months), MathContext.DECIMAL64));
            BigDecimal onDemand = nz(c.monthlySavings()).add(commitmentMonthly);
            if (onDemand.signum() <= 0) {
                return false;
            }
            BigDecimal percent = nz(c.monthlySavings()).multiply(BigDecimal.valueOf(100))
                    .divide(onDemand, MathContext.DECIMAL64);
            return percent.compareTo(plan.minSavingsPercent()) >= 0;
        }
        return true;
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    /** The Idempotency-Key of a cycle's purchase: derived from (plan id, cycle) only. */
    public static String idempotencyKey(UUID plan, Instant cycle) {
        return "plan:" + plan + ":" + cycle.getEpochSecond();
    }

    static String actor(Plan plan) {
        return "plan:" + plan.id();
    }

    static Instant next(String cadence, Instant after) {
        ZonedDateTime n = CronExpression.parse(cadence).next(after.atZone(ZoneOffset.UTC));
        return n == null ? null : n.toInstant();
    }

    /** The latest slot of the cadence at or before {@code now} (now itself when there is none in a year). */
    static Instant currentSlot(String cadence, Instant now) {
        CronExpression cron = CronExpression.parse(cadence);
        for (Duration back : List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32), Duration.ofDays(400))) {
            ZonedDateTime t = cron.next(now.minus(back).atZone(ZoneOffset.UTC));
            ZonedDateTime last = null;
            while (t != null && !t.toInstant().isAfter(now)) {
                last = t;
                t = cron.next(t);
            }
            if (last != null) {
                return last.toInstant();
            }
        }
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    static NewPlan check(NewPlan p) {
        if (p == null) {
            throw new ValidationException("body", "is required");
        }
        if (p.name() == null || p.name().isBlank() || p.name().length() > 200) {
            throw new ValidationException("name", "is required, 1-200 characters");
        }
        if (p.cadence() == null) {
            throw new ValidationException("cadence", "is required: a cron expression (second minute hour day month"
                    + " weekday, UTC), e.g. \"0 0 6 * * MON\"");
        }
        try {
            CronExpression.parse(p.cadence());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("cadence", "'" + p.cadence() + "' is not a cron expression (second minute"
                    + " hour day month weekday): " + e.getMessage());
        }
        String mode = p.mode() == null ? "propose" : p.mode();
        if (!MODES.contains(mode)) {
            throw new ValidationException("mode", "must be propose or auto-approve, was " + p.mode());
        }
        if ("auto-approve".equals(mode) && (p.reviewHours() == null || p.reviewHours() < 1 || p.reviewHours() > 720)) {
            throw new ValidationException("reviewHours", "auto-approve needs a review window of 1-720 hours");
        }
        if ("propose".equals(mode) && p.reviewHours() != null) {
            throw new ValidationException("reviewHours", "only auto-approve plans have a review window");
        }
        if (p.ladderPercent() != null && (p.ladderPercent().signum() <= 0
                || p.ladderPercent().compareTo(BigDecimal.valueOf(100)) > 0)) {
            throw new ValidationException("ladderPercent", "must be greater than 0 and at most 100");
        }
        if (p.ladderMaxItems() != null && (p.ladderMaxItems() < 1 || p.ladderMaxItems() > 200)) {
            throw new ValidationException("ladderMaxItems", "must be 1-200");
        }
        if (p.minSavingsPercent() != null && (p.minSavingsPercent().signum() < 0
                || p.minSavingsPercent().compareTo(BigDecimal.valueOf(100)) > 0)) {
            throw new ValidationException("minSavingsPercent", "must be 0-100");
        }
        if (p.maxBreakEvenMonths() != null && p.maxBreakEvenMonths().signum() < 0) {
            throw new ValidationException("maxBreakEvenMonths", "must be 0 or more");
        }
        if (p.renewWithinDays() != null && (p.renewWithinDays() < 1 || p.renewWithinDays() > 366)) {
            throw new ValidationException("renewWithinDays", "must be 1-366");
        }
        return new NewPlan(p.name().trim(), p.accounts() == null ? List.of() : p.accounts(),
                p.types() == null ? List.of() : p.types(), p.regions() == null ? List.of() : p.regions(),
                p.cadence(), p.ladderPercent(), p.ladderMaxItems(), p.minSavingsPercent(), p.maxBreakEvenMonths(),
                p.renewWithinDays(), mode, p.reviewHours());
    }

    private void audit(String actor, String action, UUID plan, String detail) {
        audit.append(new AuditEntry(actor, action, null, null, null, null, null, "plan " + plan + ": " + detail));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
