package dev.pledge.app.engine;

import java.time.Duration;

/** Idle workers wait here until an approval notification arrives or the poll interval passes. */
class WakeUpSignal {
    private long generation;

    synchronized void wakeAll() {
        generation++;
        notifyAll();
    }

    /** Returns when woken or after {@code timeout}, whichever comes first. */
    synchronized void await(Duration timeout) throws InterruptedException {
        long seen = generation;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
