package dev.pledge.common.spi;

import java.util.Objects;

/**
 * A successful purchase call.
 *
 * @param kind         bought now, found by the guard, or recovered after AlreadyExists
 * @param commitmentId the cloud's identifier of the commitment (reservation id, order id, plan id, ...)
 * @param key          the caller-chosen key Pledge sent or would send (derived from the item token);
 *                     for lookup-guard types, the tag value
 * @param confirming   the cloud holds the commitment in a state that is not final yet (an order being
 *                     created, a payment pending): the caller records it as confirming and follows it
 *                     with {@link CommitmentExecutor#confirm} until it is final
 */
public record PurchaseOutcome(OutcomeKind kind, String commitmentId, String key, boolean confirming) {
    public PurchaseOutcome {
        Objects.requireNonNull(kind, "kind");
        if (commitmentId == null || commitmentId.isBlank()) {
            throw new IllegalArgumentException("commitmentId is required");
        }
    }

    public PurchaseOutcome(OutcomeKind kind, String commitmentId, String key) {
        this(kind, commitmentId, key, false);
    }

    /** The same outcome, marked as not final yet at the cloud when {@code inProgress}. */
    public PurchaseOutcome confirmingIf(boolean inProgress) {
        return inProgress == confirming ? this : new PurchaseOutcome(kind, commitmentId, key, inProgress);
    }

    public static PurchaseOutcome bought(String commitmentId, String key) {
        return new PurchaseOutcome(OutcomeKind.BOUGHT, commitmentId, key);
    }

    public static PurchaseOutcome alreadyOwned(String commitmentId, String key) {
        return new PurchaseOutcome(OutcomeKind.ALREADY_OWNED, commitmentId, key);
    }

    public static PurchaseOutcome recovered(String commitmentId, String key) {
        return new PurchaseOutcome(OutcomeKind.RECOVERED, commitmentId, key);
    }
}
