package dev.pledge.common.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An earlier attempt of an item, from its write-ahead record (the engine's {@code item_attempts},
 * the CLI's journal).
 *
 * @param startedAt     when the attempt was recorded, before any cloud call
 * @param finishedAt    when its outcome was recorded; null while it is unfinished (in flight, or its
 *                      worker died)
 * @param mayHaveBought true when the attempt is unfinished or ended with an unknown outcome: the cloud
 *                      may hold what it sent. False only when its outcome provably bought nothing
 */
public record Attempt(Instant startedAt, Instant finishedAt, boolean mayHaveBought) {

    public Attempt {
        Objects.requireNonNull(startedAt, "startedAt");
        if (finishedAt == null) {
            mayHaveBought = true;
        }
    }

    /** An attempt known only by its start, treated as finished at once with an unknown outcome. */
    public static Attempt unknownAt(Instant startedAt) {
        return new Attempt(startedAt, startedAt, true);
    }

    /** An attempt whose outcome has not been recorded. */
    public static Attempt unfinished(Instant startedAt) {
        return new Attempt(startedAt, null, true);
    }

    public boolean unfinished() {
        return finishedAt == null;
    }

    /**
     * The interval in which a commitment this attempt may have bought can have started, as the cloud
     * reports it: from the attempt's start minus the clock skew to its end (or, unfinished, its start)
     * plus the longest possible purchase call plus the clock skew.
     */
    public TimeWindow window(Duration clockSkew, Duration longestCall) {
        Instant end = finishedAt == null ? startedAt : finishedAt;
        return new TimeWindow(startedAt.minus(clockSkew), end.plus(longestCall).plus(clockSkew));
    }

    /** A closed interval of instants. */
    public record TimeWindow(Instant from, Instant to) {
        public boolean contains(Instant t) {
            return t != null && !t.isBefore(from) && !t.isAfter(to);
        }
    }
}
