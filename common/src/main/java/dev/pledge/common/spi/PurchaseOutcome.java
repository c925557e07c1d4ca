package dev.pledge.common.spi;

import java.util.Objects;

/**
 * A successful purchase call.
 *
 * @param kind         bought now, found by the guard, or recovered after AlreadyExists
 * @param commitmentId the cloud's identifier of the commitment (reservation id, order id, plan id, ...)
 * @param key          the caller-chosen key Pledge sent or would send (derived from the item token);
 *                     for lookup-guard types, the tag value
 */
public record PurchaseOutcome(OutcomeKind kind, String commitmentId, String key) {
    public PurchaseOutcome {
        Objects.requireNonNull(kind, "kind");
        if (commitmentId == null || commitmentId.isBlank()) {
            throw new IllegalArgumentException("commitmentId is required");
        }
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
