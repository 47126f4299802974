package org.gort.spi.pacer;

/**
 * What a pacer is created with.
 *
 * @param gogc        GOGC, a percentage, or {@link #GOGC_OFF}
 * @param memoryLimit GOMEMLIMIT in bytes, {@link #NO_LIMIT} for none
 * @param gomaxprocs  the Ps at creation (a cycle's own count is in {@link CycleResult})
 * @param concurrent  true if the collector marks while the program runs (so the trigger must
 *                    lie before the goal); changed later by {@link PacerPolicy#setConcurrent}
 */
public record PacerConfig(int gogc, long memoryLimit, int gomaxprocs, boolean concurrent) {
    public static final int GOGC_OFF = -1;
    public static final long NO_LIMIT = Long.MAX_VALUE;

    /** Go's {@code defaultHeapMinimum}: the heap goal's floor at GOGC=100. */
    public static final long DEFAULT_HEAP_MINIMUM = 4L << 20;

    /** Go's {@code heapMinimum}: {@value #DEFAULT_HEAP_MINIMUM} bytes × GOGC/100; unbounded with GOGC=off. */
    public long heapMinimum() {
        return gogc < 0 ? Long.MAX_VALUE : DEFAULT_HEAP_MINIMUM * gogc / 100;
    }
}
