package dev.pledge.soak;

import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.CommitmentType;
import dev.pledge.emulator.FaultSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated sequence: the items of one purchase and its rounds. Round 0 approves; every later
 * round re-drives (when the execution can be re-driven). Each round's events happen around its
 * action: faults armed, a commitment bought outside Pledge, clock skew, before it; a cancel before,
 * right after or once the round finished; a database disruption while an item is being bought.
 */
record ExplorerSequence(long seed, List<NewItem> items, List<Round> rounds) {

    /**
     * APPROVE and REDRIVE act on the engine's execution; CLI_RUN runs {@code pledge buy --yes --token T} in-process
     * (a CLI sequence: one item, every round a run, or several at once, with the same token and journal).
     */
    enum Action { APPROVE, REDRIVE, CLI_RUN }

    record Round(Action action, List<Event> events) {
        Round without(Event e) {
            List<Event> rest = new ArrayList<>(events);
            rest.remove(e);
            return new Round(action, List.copyOf(rest));
        }
    }

    sealed interface Event permits Arm, OutsidePurchase, Skew, Cancel, Disrupt, Concurrent {
        String describe(List<NewItem> items);
    }

    /** Arms a fault shape's emulator faults for a type. */
    record Arm(String shape, CommitmentType type, List<FaultSpec> faults) implements Event {
        public String describe(List<NewItem> items) {
            return shape + " [" + faults.stream().map(FaultShapes::describe).collect(Collectors.joining(", ")) + "]";
        }
    }

    /**
     * A person buys, outside Pledge, exactly what item {@code item} asks for, in its account; the
     * cloud reports it as started {@code startOffsetSeconds} from now (outside every attempt's window).
     */
    record OutsidePurchase(int item, long startOffsetSeconds) implements Event {
        public String describe(List<NewItem> items) {
            NewItem i = items.get(item);
            return "outside purchase matching item " + item + " (" + i.type() + " " + i.quantity() + " x " + i.offering()
                    + ", started " + (startOffsetSeconds >= 0 ? "+" : "") + startOffsetSeconds + " s)";
        }
    }

    /** The cloud's clock runs {@code seconds} ahead of (or behind) Pledge's from now until the sequence settles. */
    record Skew(long seconds) implements Event {
        public String describe(List<NewItem> items) {
            return "cloud clock skew " + (seconds >= 0 ? "+" : "") + seconds + " s";
        }
    }

    enum Moment { BEFORE_ACTION, RIGHT_AFTER_ACTION, AFTER_ROUND }

    record Cancel(Moment moment) implements Event {
        public String describe(List<NewItem> items) {
            return "cancel " + moment.name().toLowerCase().replace('_', ' ');
        }
    }

    enum Disruption { TERMINATE_CONNECTIONS, RESTART_DATABASE }

    /** While an item is PURCHASING: the workers' connections are cut, or PostgreSQL is down for longer than the lease. */
    record Disrupt(Disruption kind) implements Event {
        public String describe(List<NewItem> items) {
            return kind == Disruption.RESTART_DATABASE ? "database restart mid-purchase (down longer than the lease)"
                    : "pg_terminate_backend of the workers' connections mid-purchase";
        }
    }

    /**
     * CLI sequences: the round's run is {@code runs} runs with the same token started at once on their own
     * threads (their purchase answers slowed by {@code slowMs} so that they overlap).
     */
    record Concurrent(int runs, long slowMs) implements Event {
        public String describe(List<NewItem> items) {
            return runs + " runs at once with the same token (threads; purchase answers slowed " + slowMs + " ms)";
        }
    }

    boolean cli() {
        return !rounds.isEmpty() && rounds.get(0).action() == Action.CLI_RUN;
    }

    int events() {
        return rounds.stream().mapToInt(r -> r.events().size()).sum();
    }

    /** The sequence as a person reads it. */
    String describe() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            NewItem it = items.get(i);
            String same = "";
            for (int j = 0; j < i; j++) {
                if (sameOffering(items.get(j), it)) {
                    same = " (same offering and count as item " + j + ")";
                    break;
                }
            }
            s.append("  item ").append(i).append(": ").append(it.type()).append(' ').append(it.region()).append(' ')
                    .append(it.quantity()).append(" x ").append(it.offering()).append(' ').append(it.term())
                    .append(it.payment() == null ? "" : " " + it.payment()).append(same).append('\n');
        }
        for (int r = 0; r < rounds.size(); r++) {
            Round round = rounds.get(r);
            s.append("  round ").append(r).append(": ").append(round.action().name().toLowerCase());
            for (Event e : round.events()) {
                s.append("\n    - ").append(e.describe(items));
            }
            s.append('\n');
        }
        return s.toString();
    }

    static boolean sameOffering(NewItem a, NewItem b) {
        return a.type().equals(b.type()) && a.region().equals(b.region()) && a.offering().equals(b.offering())
                && a.quantity() == b.quantity() && java.util.Objects.equals(a.term(), b.term())
                && java.util.Objects.equals(a.payment(), b.payment());
    }
}
