package org.gort.workloads;

import java.util.Arrays;

/** Percentiles of a set of latency measurements in nanoseconds (nearest-rank, as HdrHistogram reports them). */
final class Latencies {
    private final long[] sorted;

    Latencies(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The smallest value that at least {@code pct}% of the measurements do not exceed. */
    long percentile(double pct) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    /** Microseconds with one decimal, for output lines. */
    static String micros(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1fus", nanos / 1000.0);
    }
}
