package dev.pledge.common.spi;

/** Why a purchase call did not end in an outcome, and what that means for money. */
public enum FailureKind {
    /** The guard's lookup failed: we cannot tell whether it is owned, so nothing was bought. */
    GUARD_UNDECIDED(false, true),
    /** The cloud refused the request (bad offering, limits, permissions): nothing bought; retrying won't help. */
    REJECTED(false, false),
    /** The request was sent and no answer came back: it may have been bought. Re-drive goes through the guard. */
    OUTCOME_UNKNOWN(true, true),
    /** Failed before the purchase request was sent (throttled, unreachable): nothing bought; safe to retry. */
    TRANSIENT(false, true),
    /**
     * The re-quote right before buying was above the approved price (beyond the tolerance): nothing was
     * bought; a re-drive checks against the same approved price, so buying at the new price needs a new
     * purchase and a new approval.
     */
    PRICE_CHANGED(false, false);

    private final boolean mayHaveBought;
    private final boolean retryable;

    FailureKind(boolean mayHaveBought, boolean retryable) {
        this.mayHaveBought = mayHaveBought;
        this.retryable = retryable;
    }

    public boolean mayHaveBought() {
        return mayHaveBought;
    }

    public boolean retryable() {
        return retryable;
    }
}
