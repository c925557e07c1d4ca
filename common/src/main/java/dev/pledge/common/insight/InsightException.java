package dev.pledge.common.insight;

/**
 * A read of inventory or recommendations that did not complete. Nothing is bought by these calls, so
 * {@link #throttled()} and other transient failures are safe to retry later; the caller keeps the last
 * good generation.
 */
public class InsightException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean throttled;
    private final boolean transientFailure;
    private final String cloudCode;

    public InsightException(String message, String cloudCode, boolean throttled, boolean transientFailure,
                            Throwable cause) {
        super(message, cause);
        this.cloudCode = cloudCode;
        this.throttled = throttled;
        this.transientFailure = transientFailure || throttled;
    }

    /** The cloud said "too many requests" (after the client's own retries). */
    public boolean throttled() {
        return throttled;
    }

    /** Worth retrying: throttling, 5xx, a timeout or a lost connection. */
    public boolean transientFailure() {
        return transientFailure;
    }

    /** The cloud's error code, when it gave one. */
    public String cloudCode() {
        return cloudCode;
    }
}
