package dev.pledge.common.spi;

import dev.pledge.common.idempotency.ItemToken;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What an executor knows about the item beyond the request.
 *
 * @param keySource       the token every key is derived from: the item token, or for the
 *                        one-off mode a value unique to this call (time plus randomness)
 * @param idempotent      true when {@code keySource} is a real item token: guard and recover;
 *                        false for the documented non-idempotent one-off mode: no guard
 * @param executionId     the execution this item belongs to, for the {@code pledge:execution}
 *                        tag; null when there is none (CLI)
 * @param earlierAttempts instants at which earlier attempts of this item started (write-ahead
 *                        records), oldest first; lookup guards use the earliest as a lower
 *                        bound for an untagged commitment's start time
 */
public record PurchaseContext(ItemToken keySource, boolean idempotent, String executionId,
                              List<Instant> earlierAttempts) {

    public PurchaseContext {
        if (keySource == null) {
            throw new IllegalArgumentException("keySource is required");
        }
        earlierAttempts = earlierAttempts == null ? List.of()
                : earlierAttempts.stream().sorted().toList();
    }

    /** The idempotent path: every key derives from the item token; guard, buy, recover. */
    public static PurchaseContext withToken(ItemToken itemToken, String executionId, List<Instant> earlierAttempts) {
        return new PurchaseContext(itemToken, true, executionId, earlierAttempts);
    }

    /** The one-off path: keys unique to this call, no guard. Buying twice is possible by design. */
    public static PurchaseContext oneOff(Clock clock) {
        return new PurchaseContext(ItemToken.oneOff(clock), false, null, List.of());
    }

    /** The item token, when this context has one. */
    public Optional<ItemToken> itemToken() {
        return idempotent ? Optional.of(keySource) : Optional.empty();
    }

    public Optional<Instant> earliestAttempt() {
        return earlierAttempts.stream().min(Comparator.naturalOrder());
    }

    @Override
    public String toString() {
        return "PurchaseContext[" + (idempotent ? "token " : "one-off ") + keySource.masked()
                + ", execution " + executionId + ", earlierAttempts " + earlierAttempts.size() + "]";
    }
}
