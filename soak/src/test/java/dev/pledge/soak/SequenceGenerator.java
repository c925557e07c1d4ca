package dev.pledge.soak;

import dev.pledge.app.execution.NewItem;
import dev.pledge.common.model.Cloud;
import dev.pledge.common.model.CommitmentType;
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
import dev.pledge.soak.FaultShapes.FaultShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Draws sequences from a seed. Everything random about a sequence (its items, rounds, events and
 * the fault counts) comes from {@code new Random(seed)}, so a sequence seed replays it. Faults are
 * aimed only at the types the sequence buys; types without a caller key (EC2, Redshift) are drawn
 * more often, since only the guard's lookup protects them.
 */
final class SequenceGenerator {
    /** Type weights: the lookup-guarded types count four and three times, RDS twice. */
    private static final List<CommitmentType> TYPE_BAG = List.of(
            CommitmentType.AWS_EC2, CommitmentType.AWS_EC2, CommitmentType.AWS_EC2, CommitmentType.AWS_EC2,
            CommitmentType.AWS_REDSHIFT, CommitmentType.AWS_REDSHIFT, CommitmentType.AWS_REDSHIFT,
            CommitmentType.AWS_RDS, CommitmentType.AWS_RDS,
            CommitmentType.AWS_ELASTICACHE, CommitmentType.AWS_MEMORYDB, CommitmentType.AWS_OPENSEARCH,
            CommitmentType.AWS_SAVINGS_PLAN, CommitmentType.AZURE_RESERVATION, CommitmentType.AZURE_SAVINGS_PLAN,
            CommitmentType.GCP_COMPUTE);
    /** Outside of every attempt window the fixed guards use (clock skew 5 min plus the longest call). */
    static final long OUTSIDE_OFFSET_SECONDS = 15 * 60;
    /** Within the configured clock-skew tolerance (pledge.cloud.clock-skew=5m). */
    static final int MAX_SKEW_SECONDS = 240;

    private final ItemCatalog catalog;
    private final List<FaultShape> menu;

    SequenceGenerator(ItemCatalog catalog, List<FaultShape> menu) {
        this.catalog = catalog;
        this.menu = menu;
    }

    /** A stand-in account id per cloud; the runner puts a fresh account of that cloud in its place. */
    static UUID placeholder(Cloud cloud) {
        return new UUID(0L, cloud.ordinal() + 1L);
    }

    ExplorerSequence generate(long seed) {
        if (isCli(seed)) {
            return generateCli(seed);
        }
        Random r = new Random(seed);
        CommitmentType primary = TYPE_BAG.get(r.nextInt(TYPE_BAG.size()));
        List<NewItem> items = new ArrayList<>();
        NewItem first = catalog.item(primary, placeholder(primary.cloud()), r);
        items.add(first);
        int count = 1 + r.nextInt(3);
        boolean siblings = r.nextDouble() < 0.7;
        for (int i = 1; i < count; i++) {
            items.add(siblings ? first : catalog.item(primary, placeholder(primary.cloud()), r));
        }
        if (r.nextDouble() < 0.2) {
            CommitmentType other = TYPE_BAG.get(r.nextInt(TYPE_BAG.size()));
            items.add(r.nextInt(items.size() + 1), catalog.item(other, placeholder(other.cloud()), r));
        }
        List<CommitmentType> types = items.stream().map(i -> CommitmentType.fromSlug("type", i.type())).distinct()
                .toList();

        int redriveRounds = 1 + r.nextInt(3);
        List<Round> rounds = new ArrayList<>();
        boolean disrupted = false;
        for (int k = 0; k <= redriveRounds; k++) {
            List<Event> events = new ArrayList<>();
            int faults = List.of(0, 1, 2, 2, 3, 3, 4).get(r.nextInt(7));
            for (int f = 0; f < faults; f++) {
                CommitmentType type = types.get(r.nextInt(types.size()));
                TypeCalls calls = TypeCalls.of(type);
                FaultShape shape = weighted(menu.stream().filter(s -> s.appliesTo().test(calls)).toList(), r);
                events.add(new Arm(shape.name(), type, shape.specs().apply(calls, r)));
            }
            if (r.nextDouble() < 0.15) {
                int item = r.nextInt(items.size());
                if (outsideBuyable(items.get(item))) {
                    events.add(new OutsidePurchase(item, r.nextBoolean() ? OUTSIDE_OFFSET_SECONDS : -OUTSIDE_OFFSET_SECONDS));
                }
            }
            if (r.nextDouble() < 0.15) {
                events.add(new Skew((r.nextBoolean() ? 1 : -1) * (30L + r.nextInt(MAX_SKEW_SECONDS - 30))));
            }
            double cancel = r.nextDouble();
            if (cancel < 0.04 && k > 0) {
                events.add(new Cancel(Moment.BEFORE_ACTION));
            } else if (cancel < 0.12) {
                events.add(new Cancel(Moment.RIGHT_AFTER_ACTION));
            } else if (cancel < 0.16) {
                events.add(new Cancel(Moment.AFTER_ROUND));
            }
            if (!disrupted && r.nextDouble() < 0.08) {
                disrupted = true;
                events.add(new Disrupt(r.nextBoolean() ? Disruption.RESTART_DATABASE : Disruption.TERMINATE_CONNECTIONS));
            }
            rounds.add(new Round(k == 0 ? Action.APPROVE : Action.REDRIVE, List.copyOf(events)));
        }
        return new ExplorerSequence(seed, List.copyOf(items), List.copyOf(rounds));
    }

    /** Every CLI_EVERY-th generated sequence of a run is a CLI sequence ({@link #cliSeed}). */
    static final int CLI_EVERY = 4;
    /** The top 16 bits of a CLI sequence's seed (so that a printed seed replays as a CLI sequence). */
    private static final long CLI_TAG = 0xC11EL;
    /** Shapes a CLI sequence draws from: those of issue 14's defect 1 and its neighbours (no slow answer: the
     * CLI's call timeout is 5 s, so it would only be slow). */
    static final List<String> CLI_SHAPES = List.of("lost-answer", "commit-then-throttle", "refused-offering-lookup",
            "refused-guard-lookup", "guard-lookup-failure", "5xx-before-commit", "reset-before-commit", "throttle",
            "tag-failure", "refused-purchase");
    /** Type weights of CLI sequences: EC2 and Redshift (no caller key: only the journal protects a re-run) most. */
    private static final List<CommitmentType> CLI_TYPE_BAG = List.of(
            CommitmentType.AWS_EC2, CommitmentType.AWS_EC2, CommitmentType.AWS_EC2, CommitmentType.AWS_EC2,
            CommitmentType.AWS_REDSHIFT, CommitmentType.AWS_REDSHIFT, CommitmentType.AWS_REDSHIFT,
            CommitmentType.AWS_RDS, CommitmentType.AWS_ELASTICACHE, CommitmentType.AWS_MEMORYDB,
            CommitmentType.AWS_OPENSEARCH, CommitmentType.AWS_SAVINGS_PLAN, CommitmentType.AZURE_RESERVATION,
            CommitmentType.AZURE_SAVINGS_PLAN, CommitmentType.GCP_COMPUTE);

    /** The seed of a CLI sequence made from {@code seed}: its top 16 bits say so. */
    static long cliSeed(long seed) {
        return (seed & 0x0000_FFFF_FFFF_FFFFL) | (CLI_TAG << 48);
    }

    static boolean isCli(long seed) {
        return (seed >>> 48) == CLI_TAG;
    }

    /** The seed of run {@code seed}'s sequence {@code index}: every {@link #CLI_EVERY}-th one a CLI sequence. */
    static long runSequenceSeed(long seed, int index) {
        long s = sequenceSeed(seed, index);
        return index % CLI_EVERY == 0 ? cliSeed(s) : s;
    }

    /**
     * A CLI sequence: one commitment bought with {@code pledge buy --yes --token T} in a fresh account. Round 0 is
     * the first run (usually with its purchase answer lost, or committed then throttled; sometimes two runs at
     * once); then 1-3 re-runs with the same token, some of them several runs at once; faults armed before any
     * run, those not used staying armed for the next.
     */
    ExplorerSequence generateCli(long seed) {
        Random r = new Random(seed);
        CommitmentType type = CLI_TYPE_BAG.get(r.nextInt(CLI_TYPE_BAG.size()));
        NewItem item = catalog.item(type, placeholder(type.cloud()), r);
        TypeCalls calls = TypeCalls.of(type);
        List<FaultShape> shapes = menu.stream().filter(s -> CLI_SHAPES.contains(s.name()) && s.appliesTo().test(calls))
                .toList();
        List<Round> rounds = new ArrayList<>();
        int reruns = 1 + r.nextInt(3);
        for (int k = 0; k <= reruns; k++) {
            List<Event> events = new ArrayList<>();
            if (k == 0) {
                double first = r.nextDouble();
                String lead = first < 0.55 ? "lost-answer" : first < 0.8 ? "commit-then-throttle" : null;
                FaultShape shape = lead == null ? null : shapes.stream().filter(s -> s.name().equals(lead))
                        .findFirst().orElse(null);
                if (shape != null) {
                    events.add(new Arm(shape.name(), type, shape.specs().apply(calls, r)));
                }
            }
            int faults = List.of(0, 0, 1, 1, 2).get(r.nextInt(5));
            for (int f = 0; f < faults; f++) {
                FaultShape shape = weighted(shapes, r);
                events.add(new Arm(shape.name(), type, shape.specs().apply(calls, r)));
            }
            if (r.nextDouble() < (k == 0 ? 0.25 : 0.4)) {
                events.add(new ExplorerSequence.Concurrent(2 + r.nextInt(2), 600 + 100L * r.nextInt(5)));
            }
            rounds.add(new Round(Action.CLI_RUN, List.copyOf(events)));
        }
        return new ExplorerSequence(seed, List.of(item), List.copyOf(rounds));
    }

    private static FaultShape weighted(List<FaultShape> shapes, Random r) {
        int total = shapes.stream().mapToInt(FaultShape::weight).sum();
        int pick = r.nextInt(total);
        for (FaultShape s : shapes) {
            pick -= s.weight();
            if (pick < 0) {
                return s;
            }
        }
        throw new IllegalStateException("no fault shape to draw from");
    }

    /** Outside purchases are seeded for the AWS reservation types (a person buying in the console). */
    static boolean outsideBuyable(NewItem item) {
        CommitmentType t = CommitmentType.fromSlug("type", item.type());
        return t.cloud() == Cloud.AWS && t != CommitmentType.AWS_SAVINGS_PLAN;
    }

    /** The seed of sequence {@code index} of a run with master seed {@code seed} (SplitMix64). */
    static long sequenceSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
