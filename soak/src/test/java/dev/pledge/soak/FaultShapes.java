package dev.pledge.soak;

import dev.pledge.emulator.FaultKind;
import dev.pledge.emulator.FaultSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The faults the sequence explorer draws from, each a named shape that turns into the emulator's
 * {@link FaultSpec}s for one commitment type. A new emulator fault kind plugs in as one line in
 * {@link #menu}: {@code whenEmulatorHas("slug", ...)} adds the shape only when the emulator on the
 * class path knows the slug, so this file compiles and runs before and after it lands.
 */
final class FaultShapes {

    /** One kind of fault, for the types it applies to. */
    record FaultShape(String name, int weight, Predicate<TypeCalls> appliesTo,
                      BiFunction<TypeCalls, Random, List<FaultSpec>> specs) {
    }

    /** The shapes issue 14 names (its sequences are built from them) are drawn twice as often. */
    static final java.util.Set<String> NAMED = java.util.Set.of("lost-answer", "5xx-before-commit",
            "commit-then-throttle", "tag-failure", "refused-offering-lookup");

    /** Longer than the explorer's pledge.cloud.call-timeout: the purchase commits, its answer comes too late. */
    static final long SLOW_ANSWER_MS = 2_500;

    private FaultShapes() {
    }

    /**
     * Every shape, in a fixed order (the order is part of what a seed means).
     *
     * @param maxAttempts the executors' pledge.cloud.max-attempts: tries of a retried SDK call
     */
    static List<FaultShape> menu(int maxAttempts) {
        List<FaultShape> m = new ArrayList<>();
        Predicate<TypeCalls> all = c -> true;
        // the answer to a purchase that committed is lost
        m.add(new FaultShape("lost-answer", 2, all, (c, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.purchase(), FaultKind.RESET_AFTER_COMMIT, 1))));
        // a 5xx before anything is committed (nothing bought, but the client cannot know)
        m.add(new FaultShape("5xx-before-commit", 2, all, (c, r) -> List.of(FaultSpec.error(c.type().cloud(),
                c.type().slug(), c.purchase(), 1, pick(r, 500, 502, 503), null))));
        m.add(new FaultShape("reset-before-commit", 1, all, (c, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.purchase(), FaultKind.RESET_BEFORE_COMMIT, 1))));
        // any call of the type is throttled once or twice
        m.add(new FaultShape("throttle", 1, all, (c, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), null, FaultKind.THROTTLE, 1 + r.nextInt(2)))));
        // the first try commits and its answer is lost; the SDK's retries are throttled
        m.add(new FaultShape("commit-then-throttle", 2, all, (c, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.purchase(), FaultKind.RESET_AFTER_COMMIT, 1),
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.purchase(), FaultKind.THROTTLE,
                        Math.max(1, maxAttempts - 1)))));
        // tagging after the purchase fails for N calls (3 tag attempts of up to maxAttempts tries each)
        m.add(new FaultShape("tag-failure", 2, c -> c.tag() != null, (c, r) -> List.of(FaultSpec.error(c.type().cloud(),
                c.type().slug(), c.tag(), pick(r, 3, 3 * maxAttempts, 20), pick(r, 403, 500),
                null))));
        // the offering lookup (before buying, or in a guard that compares offerings) is refused
        m.add(new FaultShape("refused-offering-lookup", 2, c -> c.offeringLookup() != null, (c, r) -> List.of(
                FaultSpec.error(c.type().cloud(), c.type().slug(), c.offeringLookup(), 1 + r.nextInt(2), 403,
                        c.refusalCode()))));
        // the guard's own lookup is refused
        m.add(new FaultShape("refused-guard-lookup", 1, all, (c, r) -> List.of(FaultSpec.error(c.type().cloud(),
                c.type().slug(), c.guardLookup(), 1, 403, c.refusalCode()))));
        m.add(new FaultShape("guard-lookup-failure", 1, all, (c, r) -> List.of(FaultSpec.error(c.type().cloud(),
                c.type().slug(), c.guardLookup(), 1 + r.nextInt(2), pick(r, 500, 503), null))));
        // the cloud refuses the purchase itself: nothing bought, and saying so is right
        m.add(new FaultShape("refused-purchase", 1, all, (c, r) -> List.of(FaultSpec.error(c.type().cloud(),
                c.type().slug(), c.purchase(), 1, 400, null))));
        // a lagging describe at the guard: only a caller key can save the purchase (not EC2, Redshift)
        m.add(new FaultShape("stale-guard", 1, c -> !c.lookupGuarded(), (c, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.guardLookup(), FaultKind.STALE_READ, 1))));
        // the purchase commits at once and answers after the client gave up
        m.add(new FaultShape("slow-answer", 1, all, (c, r) -> List.of(
                FaultSpec.delay(c.type().cloud(), c.type().slug(), c.purchase(), 1, SLOW_ANSWER_MS))));

        // Plug points for the shapes being added to the emulator (issue 14, item 14), one line each:
        whenEmulatorHas(m, "commit-then-throttle", "commit-then-throttle-one-call", all, (c, k, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.purchase(), k, 1)));
        whenEmulatorHas(m, "tag-failure", "tag-failure-native", c -> c.tag() != null, (c, k, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.tag(), k, pick(r, 3, 9, 20))));
        whenEmulatorHas(m, "refused-lookup", "refused-lookup-native", all, (c, k, r) -> List.of(
                FaultSpec.of(c.type().cloud(), c.type().slug(), c.offeringLookup() != null ? c.offeringLookup()
                        : c.guardLookup(), k, 1)));
        // time-advancing Azure/GCP operations are an offering attribute, not a fault: add a shape that
        // posts the offering with it here once the emulator documents the attribute's name.
        return List.copyOf(m);
    }

    interface KindSpecs {
        List<FaultSpec> specs(TypeCalls calls, FaultKind kind, Random random);
    }

    /** Adds a shape built on the emulator's fault kind {@code slug} when (and only when) the emulator has it. */
    static void whenEmulatorHas(List<FaultShape> menu, String slug, String name, Predicate<TypeCalls> appliesTo,
                                KindSpecs specs) {
        emulatorKind(slug).ifPresent(k -> menu.add(new FaultShape(name, 2, appliesTo,
                (c, r) -> specs.specs(c, k, r))));
    }

    static Optional<FaultKind> emulatorKind(String slug) {
        try {
            return Optional.of(FaultKind.fromSlug(slug));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static int pick(Random random, int... values) {
        return values[random.nextInt(values.length)];
    }

    /** A fault in one line: {@code reset-after-commit aws-rds PurchaseReservedDBInstancesOffering x1}. */
    static String describe(FaultSpec f) {
        StringBuilder s = new StringBuilder(f.fault().slug());
        if (f.fault() == FaultKind.ERROR) {
            s.append(' ').append(f.status()).append(f.code() == null ? "" : " " + f.code());
        }
        if (f.fault() == FaultKind.DELAY) {
            s.append(' ').append(f.delayMs()).append("ms");
        }
        s.append(" on ").append(f.type()).append(' ').append(f.operation() == null ? "(any call)" : f.operation())
                .append(" x").append(f.times());
        return s.toString();
    }
}
