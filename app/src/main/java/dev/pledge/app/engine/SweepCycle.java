package dev.pledge.app.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntUnaryOperator;

/**
 * Runs a sweep in batches until nothing is left or the cycle's deadline has passed; what is left
 * waits for the next cycle. Time comes from an injected clock, so tests step it instead of sleeping.
 */
final class SweepCycle {
    private final Clock clock;

    SweepCycle(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param moved   rows changed in this cycle
     * @param batches statements run
     * @param cutOff  true when the deadline stopped the cycle with (possibly) more to do
     */
    record Result(int moved, int batches, boolean cutOff) {
    }

    /** {@code batch} gets the batch size and returns how many rows it changed. */
    Result run(Duration deadline, int batchSize, IntUnaryOperator batch) {
        Instant end = clock.instant().plus(deadline);
        int moved = 0;
        int batches = 0;
        while (true) {
            if (!clock.instant().isBefore(end)) {
                return new Result(moved, batches, true);
            }
            int n = batch.applyAsInt(batchSize);
            moved += n;
            batches++;
            if (n < batchSize) {
                return new Result(moved, batches, false);
            }
        }
    }
}
