package dev.pledge.common.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For {@link CommitmentExecutor#confirm}: a commitment the cloud accepted that a read does not find is
 * not failed at once, since reads can lag (and a lagging read once failed an order the cloud held: the
 * soak, seed 9). It is pending until it has been missing for the grace period, then failed.
 */
public final class MissingCommitments {
    private static final int MAX = 10_000;
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    /** Pending while {@code id} has been missing for less than {@code grace}; empty once it is long gone. */
    public Optional<Confirmation> stillYoung(String id, Instant now, Duration grace, String what) {
        if (missingSince.size() > MAX) {
            missingSince.clear();
        }
        Instant since = missingSince.computeIfAbsent(id, k -> now);
        if (now.isBefore(since.plus(grace))) {
            return Optional.of(Confirmation.pending(what + ": not found yet (first missed at " + since
                    + "); reads can lag, asked again until " + since.plus(grace)));
        }
        missingSince.remove(id);
        return Optional.empty();
    }

    /** The commitment was found: forget any earlier miss. */
    public void found(String id) {
        missingSince.remove(id);
    }
}
