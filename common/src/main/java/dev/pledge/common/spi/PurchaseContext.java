package dev.pledge.common.spi;

import dev.pledge.common.idempotency.ItemToken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an executor knows about the item beyond the request.
 *
 * @param keySource         the token every key is derived from: the item token, or for the
 *                          one-off mode a value unique to this call (time plus randomness)
 * @param idempotent        true when {@code keySource} is a real item token: guard and recover;
 *                          false for the documented non-idempotent one-off mode: no guard
 * @param executionId       the execution this item belongs to, for the {@code pledge:execution}
 *                          tag; null when there is none (CLI)
 * @param earlierAttempts   earlier attempts of this item (write-ahead records), oldest first;
 *                          lookup guards adopt an untagged commitment only inside the windows of
 *                          the attempts that may have bought
 * @param takenCommitments  cloud ids of commitments that other items record as theirs: never
 *                          adopted by this item
 * @param gate              run right before the purchase request is sent; refuses when the caller
 *                          can no longer prove it owns the item
 * @param approvedPrice     the most this item may cost (the approved quote plus tolerance): the executor
 *                          re-quotes after its guard and buys only at or below it; null when no price
 *                          was approved (unknown price, one-off CLI path)
 * @param undecidedSiblings how many OTHER items of the same execution ask for exactly the same thing
 *                          (type, account, region, offering, quantity, term, payment, attributes), have
 *                          an attempt that may have bought, and record no commitment yet. Such siblings
 *                          are fungible: any commitment one of them may have bought can be recorded by
 *                          any of them. A lookup guard that finds several untagged candidates may adopt
 *                          one when there are at most {@code 1 + undecidedSiblings} of them (more means
 *                          something outside this execution bought too: undecided). Items of other
 *                          executions are never counted. 0 when there are none or the caller cannot tell
 *                          (CLI)
 */
public record PurchaseContext(ItemToken keySource, boolean idempotent, String executionId,
                              List<Attempt> earlierAttempts, Set<String> takenCommitments, PurchaseGate gate,
                              PriceCeiling approvedPrice, int undecidedSiblings) {

    public PurchaseContext {
        if (keySource == null) {
            throw new IllegalArgumentException("keySource is required");
        }
        earlierAttempts = earlierAttempts == null ? List.of()
                : earlierAttempts.stream().sorted(Comparator.comparing(Attempt::startedAt)).toList();
        takenCommitments = takenCommitments == null ? Set.of() : Set.copyOf(takenCommitments);
        gate = gate == null ? PurchaseGate.OPEN : gate;
        if (undecidedSiblings < 0) {
            throw new IllegalArgumentException("undecidedSiblings must be 0 or more, was " + undecidedSiblings);
        }
    }

    /** Compatibility: no undecided siblings (each item is told of none). */
    public PurchaseContext(ItemToken keySource, boolean idempotent, String executionId, List<Attempt> earlierAttempts,
                           Set<String> takenCommitments, PurchaseGate gate, PriceCeiling approvedPrice) {
        this(keySource, idempotent, executionId, earlierAttempts, takenCommitments, gate, approvedPrice, 0);
    }

    /** Compatibility: no approved price. */
    public PurchaseContext(ItemToken keySource, boolean idempotent, String executionId,
                           List<Attempt> earlierAttempts, Set<String> takenCommitments, PurchaseGate gate) {
        this(keySource, idempotent, executionId, earlierAttempts, takenCommitments, gate, null);
    }

    /** Compatibility: attempts known by their start only (each treated as an unknown outcome). */
    public PurchaseContext(ItemToken keySource, boolean idempotent, String executionId, List<Instant> attemptStarts) {
        this(keySource, idempotent, executionId, attemptStarts == null ? List.of()
                : attemptStarts.stream().map(Attempt::unknownAt).toList(), Set.of(), PurchaseGate.OPEN);
    }

    /** The idempotent path: every key derives from the item token; guard, buy, recover. */
    public static PurchaseContext withToken(ItemToken itemToken, String executionId, List<Instant> attemptStarts) {
        return new PurchaseContext(itemToken, true, executionId, attemptStarts);
    }

    /** The idempotent path with the item's recorded attempts. */
    public static PurchaseContext withAttempts(ItemToken itemToken, String executionId, List<Attempt> attempts) {
        return new PurchaseContext(itemToken, true, executionId, attempts, Set.of(), PurchaseGate.OPEN);
    }

    /** The one-off path: keys unique to this call, no guard. Buying twice is possible by design. */
    public static PurchaseContext oneOff(Clock clock) {
        return new PurchaseContext(ItemToken.oneOff(clock), false, null, List.of(), Set.of(), PurchaseGate.OPEN);
    }

    public PurchaseContext withTakenCommitments(Set<String> taken) {
        return new PurchaseContext(keySource, idempotent, executionId, earlierAttempts, taken, gate, approvedPrice,
                undecidedSiblings);
    }

    public PurchaseContext withGate(PurchaseGate newGate) {
        return new PurchaseContext(keySource, idempotent, executionId, earlierAttempts, takenCommitments, newGate,
                approvedPrice, undecidedSiblings);
    }

    /** The same context with a price ceiling (null: none). */
    public PurchaseContext withApprovedPrice(PriceCeiling ceiling) {
        return new PurchaseContext(keySource, idempotent, executionId, earlierAttempts, takenCommitments, gate,
                ceiling, undecidedSiblings);
    }

    /** The same context with {@code siblings} undecided identical siblings in its execution (see the record). */
    public PurchaseContext withUndecidedSiblings(int siblings) {
        return new PurchaseContext(keySource, idempotent, executionId, earlierAttempts, takenCommitments, gate,
                approvedPrice, siblings);
    }

    /** The approved price, when one was approved. */
    public Optional<PriceCeiling> priceCeiling() {
        return Optional.ofNullable(approvedPrice);
    }

    /** The item token, when this context has one. */
    public Optional<ItemToken> itemToken() {
        return idempotent ? Optional.of(keySource) : Optional.empty();
    }

    public Optional<Instant> earliestAttempt() {
        return earlierAttempts.stream().map(Attempt::startedAt).min(Comparator.naturalOrder());
    }

    /** The earlier attempts that may have bought (unfinished or unknown outcome). */
    public List<Attempt> attemptsThatMayHaveBought() {
        return earlierAttempts.stream().filter(Attempt::mayHaveBought).toList();
    }

    /** True when an earlier attempt may have bought: then no failure of this call may say "nothing bought". */
    public boolean hasUnknownAttempt() {
        return earlierAttempts.stream().anyMatch(Attempt::mayHaveBought);
    }

    /**
     * The latest unfinished earlier attempt that started less than {@code bound} before {@code now}: it
     * may still be in flight, and this call must not buy until it cannot be. Any unfinished attempt
     * counts, not only the last one: a later attempt that waited for it (and ended) does not end it.
     */
    public Optional<Attempt> attemptInFlight(Instant now, Duration bound) {
        return earlierAttempts.stream()
                .filter(Attempt::unfinished)
                .filter(a -> a.startedAt().plus(bound).isAfter(now))
                .max(Comparator.comparing(Attempt::startedAt));
    }

    /** True when {@code start} lies in the window of an earlier attempt that may have bought. */
    public boolean inAdoptionWindow(Instant start, Duration clockSkew, Duration longestCall) {
        return attemptsThatMayHaveBought().stream().anyMatch(a -> a.window(clockSkew, longestCall).contains(start));
    }

    /** Runs the gate: call right before sending a purchase request. */
    public void beforePurchaseCall() {
        gate.check();
    }

    @Override
    public String toString() {
        return "PurchaseContext[" + (idempotent ? "token " : "one-off ") + keySource.masked()
                + ", execution " + executionId + ", earlierAttempts " + earlierAttempts.size()
                + (takenCommitments.isEmpty() ? "" : ", taken " + takenCommitments.size())
                + (approvedPrice == null ? "" : ", at most " + approvedPrice)
                + (undecidedSiblings == 0 ? "" : ", undecided siblings " + undecidedSiblings) + "]";
    }
}
