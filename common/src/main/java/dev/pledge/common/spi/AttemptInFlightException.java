package dev.pledge.common.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * The item's latest attempt has not finished and is young enough that it may still be buying (its
 * worker may be alive but cut off from the database). Nothing was bought; the caller waits until
 * {@link #retryAfter()} and tries again, when that attempt can no longer send anything.
 */
public class AttemptInFlightException extends GuardUndecidedException {
    private static final long serialVersionUID = 1L;

    private final Instant retryAfter;

    public AttemptInFlightException(Attempt attempt, Duration bound) {
        super("an earlier attempt of this item started at " + attempt.startedAt() + " has not finished and may still"
                + " be buying until " + attempt.startedAt().plus(bound) + "; nothing was bought, it is tried again then");
        this.retryAfter = attempt.startedAt().plus(bound);
    }

    /** When the unfinished attempt can no longer send a purchase. */
    public Instant retryAfter() {
        return retryAfter;
    }

    /**
     * Throws when {@code context}'s latest attempt is unfinished and started less than {@code bound}
     * before {@code now}: every executor's guard calls it first.
     */
    public static void refuseIfInFlight(PurchaseContext context, Instant now, Duration bound) {
        if (context.idempotent()) {
            var inFlight = context.attemptInFlight(now, bound);
            if (inFlight.isPresent()) {
                throw new AttemptInFlightException(inFlight.get(), bound);
            }
        }
    }
}
