package dev.pledge.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of latency samples (nearest-rank) and medians of repeated runs. */
public final class Stats {

    private Stats() {
    }

    /** Nearest-rank percentile of samples in nanoseconds, in milliseconds. */
    public static double percentileMs(long[] nanos, double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public static double median(Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public static double median(long[] nanos) {
        return percentileMs(nanos, 50);
    }
}
