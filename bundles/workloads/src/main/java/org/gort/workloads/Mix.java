package org.gort.workloads;

/**
 * The deterministic arithmetic the workloads compute with and check against: SplitMix64
 * (Steele, Lea and Flood), a seeded sequence and a 64-bit finaliser that a check can replay
 * exactly without running any goroutine.
 */
final class Mix {
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Mix() {
    }

    /** SplitMix64's finaliser: a bijection on 64 bits with full avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Folds {@code value} into a running checksum; the order of folds matters. */
    static long fold(long checksum, long value) {
        return mix64(checksum ^ value) + GOLDEN;
    }

    /** {@code rounds} applications of {@link #mix64} to {@code x}: a unit of CPU work with a checkable result. */
    static long work(long x, int rounds) {
        for (int i = 0; i < rounds; i++) {
            x = mix64(x + GOLDEN);
        }
        return x;
    }

    /** A checksum as the output prints it. */
    static String hex(long checksum) {
        return String.format("0x%016x", checksum);
    }

    /**
     * The part of a checksum that {@code Go.report} carries exactly (a double holds 53 bits):
     * its low 52 bits.
     */
    static double reportable(long checksum) {
        return (double) (checksum & ((1L << 52) - 1));
    }

    /** SplitMix64's generator: a seeded stream of 64-bit values, replayable by a check. */
    static final class Random {
        private long state;

        Random(long seed) {
            this.state = seed;
        }

        long next() {
            state += GOLDEN;
            return mix64(state);
        }

        /** Uniform in [0, bound) for bound > 0 (Lemire's multiply-shift, without rejection). */
        int nextInt(int bound) {
            return (int) Math.multiplyHigh(next() >>> 1, (long) bound << 1);
        }

        /** Uniform in [lo, hi]. */
        int between(int lo, int hi) {
            return lo + nextInt(hi - lo + 1);
        }

        /** True with probability {@code p}. */
        boolean chance(double p) {
            return (next() >>> 11) * 0x1.0p-53 < p;
        }
    }
}
