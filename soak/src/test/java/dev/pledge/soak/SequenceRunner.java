package dev.pledge.soak;

import dev.pledge.app.account.Account;
import dev.pledge.app.account.NewAccount;
import dev.pledge.app.execution.ExecutionStatus;
import dev.pledge.app.execution.NewExecution;
import dev.pledge.app.execution.NewItem;
import dev.pledge.app.execution.TransitionResult;
import dev.pledge.common.idempotency.ExecutionToken;
import dev.pledge.common.idempotency.ItemToken;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.emulator.Commitment;
import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;
import dev.pledge.emulator.Offering;
import dev.pledge.soak.ExplorerInvariants.Finding;
import dev.pledge.soak.ExplorerInvariants.ItemState;
import dev.pledge.soak.ExplorerInvariants.Stage;
import dev.pledge.soak.ExplorerSequence.Action;
import dev.pledge.soak.ExplorerSequence.Arm;
import dev.pledge.soak.ExplorerSequence.Cancel;
import dev.pledge.soak.ExplorerSequence.Disrupt;
import dev.pledge.soak.ExplorerSequence.Disruption;
import dev.pledge.soak.ExplorerSequence.Event;
import dev.pledge.soak.ExplorerSequence.Moment;
import dev.pledge.soak.ExplorerSequence.OutsidePurchase;
import dev.pledge.soak.ExplorerSequence.Round;
import dev.pledge.soak.ExplorerSequence.Skew;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays one sequence against the world: fresh accounts, one execution, its rounds with their events,
 * then settles it (faults cleared, clock skew gone, re-drives until it is final, at most
 * {@link #SETTLE_REDRIVES}) and checks the invariants after every round and once settled.
 */
final class SequenceRunner {
    static final String REQUESTER = "explorer-requester";
    static final String APPROVER = "explorer-approver";
    static final String OPERATOR = "explorer-operator";
    static final int SETTLE_REDRIVES = 6;
    static final Duration ROUND_DEADLINE = Duration.ofSeconds(40);
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "REJECTED",
            "CANCELED", "EXPIRED", "PENDING_APPROVAL");

    /** What a sequence did and what it broke. */
    record Result(ExplorerSequence sequence, List<String> trace, List<Finding> findings) {
        boolean failed() {
            return !findings.isEmpty();
        }

        Set<String> categories() {
            Set<String> c = new LinkedHashSet<>();
            findings.forEach(f -> c.add(f.category()));
            return c;
        }
    }

    private final ExplorerWorld world;
    private final CliSequenceRunner cli;

    SequenceRunner(ExplorerWorld world) {
        this.world = world;
        this.cli = new CliSequenceRunner(world);
    }

    Result run(ExplorerSequence s) throws InterruptedException {
        if (s.cli()) {
            return cli.run(s);
        }
        List<String> trace = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        world.emulator.clearFaults();
        world.skewCloudClock(Duration.ZERO);
        Random random = new Random(s.seed() ^ 0x0075_1DEL);
        Map<Cloud, Account> accounts = new EnumMap<>(Cloud.class);
        List<NewItem> items = new ArrayList<>();
        for (NewItem template : s.items()) {
            Cloud cloud = CommitmentType.fromSlug("type", template.type()).cloud();
            Account account = accounts.computeIfAbsent(cloud, this::newAccount);
            items.add(new NewItem(account.id(), template.type(), template.region(), template.offering(),
                    template.quantity(), template.term(), template.payment(), template.attributes()));
        }
        UUID id = retrying(() -> world.executions.create(NewExecution.of(REQUESTER, "explorer sequence "
                + Long.toHexString(s.seed()), items)).detail().execution().id());
        Set<String> outside = new HashSet<>();
        for (int r = 0; r < s.rounds().size(); r++) {
            Round round = s.rounds().get(r);
            for (Event e : round.events()) {
                if (e instanceof Arm arm) {
                    arm.faults().forEach(world.emulator::inject);
                } else if (e instanceof OutsidePurchase o) {
                    outside.add(buyOutside(items.get(o.item()), accounts, o.startOffsetSeconds(), random));
                } else if (e instanceof Skew k) {
                    world.skewCloudClock(Duration.ofSeconds(k.seconds()));
                } else if (e instanceof Cancel c && c.moment() == Moment.BEFORE_ACTION) {
                    trace.add("round " + r + ": cancel before action -> " + cancel(id));
                }
            }
            Disrupt disrupt = round.events().stream().filter(Disrupt.class::isInstance).map(Disrupt.class::cast)
                    .findFirst().orElse(null);
            if (disrupt != null) {
                // a slower answer keeps the purchase in flight long enough to cut the database under it
                CommitmentType t = CommitmentType.fromSlug("type", items.get(0).type());
                world.emulator.inject(FaultSpec.delay(t.cloud(), t.slug(), TypeCalls.of(t).purchase(), 1, 1_000));
            }
            String acted = act(round.action(), id);
            if (round.events().contains(new Cancel(Moment.RIGHT_AFTER_ACTION))) {
                acted += "; cancel right after -> " + cancel(id);
            }
            if (disrupt != null) {
                acted += "; " + disrupt(disrupt.kind(), id);
            }
            String status = awaitFinal(id, ROUND_DEADLINE);
            if (round.events().contains(new Cancel(Moment.AFTER_ROUND))) {
                acted += "; cancel after the round -> " + cancel(id);
                status = status(id);
            }
            List<ItemState> states = items(id);
            trace.add("round " + r + ": " + acted + " -> " + status + " " + summary(states));
            for (Finding f : ExplorerInvariants.check(states, commitments(accounts), outside, status, Stage.ROUND)) {
                findings.add(new Finding(f.category(), "after round " + r + ": " + f.message()));
            }
        }

        world.emulator.clearFaults();
        world.skewCloudClock(Duration.ZERO);
        String status = awaitFinal(id, ROUND_DEADLINE);
        for (int n = 0; n < SETTLE_REDRIVES && ExecutionStatus.REDRIVABLE.contains(ExecutionStatus.valueOf(status)); n++) {
            String acted = act(Action.REDRIVE, id);
            status = awaitFinal(id, ROUND_DEADLINE);
            trace.add("settle " + n + ": " + acted + " -> " + status + " " + summary(items(id)));
        }
        List<ItemState> states = items(id);
        trace.add("settled: " + status + " " + summary(states));
        for (Finding f : ExplorerInvariants.check(states, commitments(accounts), outside, status, Stage.SETTLED)) {
            if (!findings.contains(new Finding(f.category(), f.message()))) {
                findings.add(new Finding(f.category(), "settled: " + f.message()));
            }
        }
        return new Result(s, trace, dedupe(findings));
    }

    /** A finding seen after several rounds is reported once, at its first sighting. */
    private static List<Finding> dedupe(List<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Finding f : findings) {
            String key = f.category() + f.message().replaceFirst("^(after round \\d+|settled): ", "");
            if (seen.add(key)) {
                out.add(f);
            }
        }
        return out;
    }

    private Account newAccount(Cloud cloud) {
        int n = ACCOUNTS.incrementAndGet();
        String external = switch (cloud) {
            case AWS -> String.format("8%011d", n);
            case AZURE -> String.format("e7e70000-0000-4000-8000-%012d", n);
            case GCP -> "explore-project-" + n;
        };
        try {
            return retrying(() -> world.accounts.create(new NewAccount(cloud, external, "explorer " + external,
                    Map.of())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String act(Action action, UUID id) throws InterruptedException {
        TransitionResult r = retrying(() -> action == Action.APPROVE ? world.executions.approve(id, APPROVER)
                : world.executions.redrive(id, OPERATOR));
        return action.name().toLowerCase() + (r.moved() ? "" : " (refused: " + r + ")");
    }

    private String cancel(UUID id) throws InterruptedException {
        TransitionResult r = retrying(() -> world.executions.cancel(id, OPERATOR));
        return r.moved() ? "CANCELED" : "refused";
    }

    private String disrupt(Disruption kind, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean purchasing = false;
        while (!purchasing && System.nanoTime() < deadline) {
            Integer n = world.sql.queryForObject("SELECT count(*) FROM items WHERE execution_id = ? AND status = "
                    + "'PURCHASING'", Integer.class, id);
            purchasing = n != null && n > 0;
            if (!purchasing) {
                Thread.sleep(10);
            }
        }
        String when = purchasing ? "mid-purchase" : "(no purchase seen in flight)";
        try {
            if (kind == Disruption.RESTART_DATABASE) {
                world.restartDatabase();
                return "database restarted " + when;
            }
            return world.terminateConnections() + " connections terminated " + when;
        } catch (java.sql.SQLException e) {
            return "disruption failed: " + e.getMessage();
        }
    }

    private String awaitFinal(UUID id, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        String status = status(id);
        while (!FINAL.contains(status) && System.nanoTime() < end) {
            Thread.sleep(10);
            status = status(id);
        }
        return status;
    }

    private String status(UUID id) throws InterruptedException {
        return retrying(() -> world.sql.queryForObject("SELECT status FROM executions WHERE id = ?", String.class, id));
    }

    private List<ItemState> items(UUID id) throws InterruptedException {
        return retrying(() -> world.sql.query("""
                SELECT i.position, i.type, i.offering, i.quantity, i.status, i.outcome, i.commitment_id,
                       i.failure_kind, i.error, e.execution_token,
                       EXISTS (SELECT 1 FROM item_attempts a WHERE a.execution_id = i.execution_id
                                 AND a.position = i.position AND a.attempt < i.attempts
                                 AND (a.result IS NULL OR a.result = 'OUTCOME_UNKNOWN')) AS earlier_unknown
                FROM items i JOIN executions e ON e.id = i.execution_id
                WHERE i.execution_id = ? ORDER BY i.position""", (rs, n) -> {
            ItemToken token = new ExecutionToken(rs.getString("execution_token")).item(rs.getInt("position"));
            return new ItemState(rs.getInt("position"), rs.getString("type"), rs.getString("offering"),
                    rs.getInt("quantity"), rs.getString("status"), rs.getString("outcome"),
                    rs.getString("commitment_id"), rs.getString("failure_kind"), rs.getString("error"), token.hex(),
                    token.uuid().toString(), rs.getBoolean("earlier_unknown"));
        }, id));
    }

    private List<Commitment> commitments(Map<Cloud, Account> accounts) {
        Set<String> ids = new HashSet<>();
        accounts.values().forEach(a -> ids.add(a.externalId()));
        // Azure records the billing scope (/subscriptions/<id>), the others the bare account or project
        return world.emulator.state().commitments(c -> c.account() != null
                && java.util.Arrays.stream(c.account().split("/")).anyMatch(ids::contains));
    }

    /** A person buys what the item asks for, in its account, outside Pledge: untagged, under no key of ours. */
    private String buyOutside(NewItem item, Map<Cloud, Account> accounts, long startOffsetSeconds, Random random) {
        CommitmentType type = CommitmentType.fromSlug("type", item.type());
        Offering offering = world.emulator.state().offerings(type.cloud(), type.slug(), item.region()).stream()
                .filter(o -> o.product().equalsIgnoreCase(item.offering()) && o.term().equals(item.term())
                        && java.util.Objects.equals(o.payment(), item.payment())
                        && (!item.attributes().containsKey("productDescription")
                        || item.attributes().get("productDescription").equals(o.description())))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no emulator offering matches " + item));
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        world.emulator.state().add(new Commitment(type.cloud(), type.slug(), accounts.get(type.cloud()).externalId(),
                item.region(), id, null, offering, item.quantity(), Map.of(),
                Instant.now().plusSeconds(startOffsetSeconds), "active", Map.of()));
        return id;
    }

    private static String summary(List<ItemState> states) {
        List<String> parts = new ArrayList<>();
        for (ItemState i : states) {
            parts.add(i.position() + ":" + i.status() + (i.outcome() != null ? "/" + i.outcome() : "")
                    + (i.failureKind() != null ? "/" + i.failureKind() : ""));
        }
        return parts.toString();
    }

    interface Step<T> {
        T run();
    }

    /** Retries a database call while PostgreSQL is away (a restart), for up to a minute. */
    private static <T> T retrying(Step<T> step) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                return step.run();
            } catch (org.springframework.dao.DataAccessException
                     | org.springframework.transaction.TransactionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
