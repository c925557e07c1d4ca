package dev.pledge.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When each recognised cloud call was in flight at the emulator: from the moment it was recognised until its
 * answer was due (handled, plus the latency and any injected delay). From these intervals: how many calls were
 * in flight at most, and on average over the span from the first to the last. Keeps the last {@link #CAPACITY}
 * calls; {@link #clear()} with the request counters.
 */
final class CallTimeline {
    static final int CAPACITY = 200_000;
    private final ConcurrentLinkedQueue<long[]> calls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    /** Records one call, {@code startNanos} and {@code endNanos} on {@link System#nanoTime()}. */
    void record(long startNanos, long endNanos) {
        calls.add(new long[] {startNanos, Math.max(startNanos, endNanos)});
        if (size.incrementAndGet() > CAPACITY && calls.poll() != null) {
            size.decrementAndGet();
        }
    }

    void clear() {
        calls.clear();
        size.set(0);
    }

    /**
     * {@code calls}, {@code peak} (most calls in flight at once), {@code mean} (call-time over the span),
     * {@code spanMs} (first start to last end) and {@code busyMs} (sum of the calls' times).
     */
    record InFlight(int calls, int peak, double mean, double spanMs, double busyMs) {
    }

    InFlight inFlight() {
        List<long[]> all = new ArrayList<>(calls);
        if (all.isEmpty()) {
            return new InFlight(0, 0, 0, 0, 0);
        }
        List<long[]> edges = new ArrayList<>(all.size() * 2);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long busy = 0;
        for (long[] c : all) {
            edges.add(new long[] {c[0], 1});
            edges.add(new long[] {c[1], -1});
            first = Math.min(first, c[0]);
            last = Math.max(last, c[1]);
            busy += c[1] - c[0];
        }
        // at equal times an end goes before a start: back-to-back calls are not both in flight
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            peak = Math.max(peak, now);
        }
        long span = Math.max(1, last - first);
        return new InFlight(all.size(), peak, (double) busy / span, span / 1e6, busy / 1e6);
    }
}
