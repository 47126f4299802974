package org.gort.lab.internal.scenarios;

/**
 * The collector counters the heap scenarios read, as the collector toolkit reports them
 * (org.gort.spi.gc). A scenario whose counter is not reported marks its claim UNMEASURED
 * instead of failing.
 */
final class GcMetrics {
    /** Completed collection cycles. */
    static final String CYCLES = "gc.cycles";
    /** The longest collector pause of the run (sweep termination, mark termination, or a whole STW cycle). */
    static final String PAUSE_MAX = "gc.pause.max.ns";
    /** The most objects one cycle marked while the world was stopped (all live ones for a stop-the-world mark). */
    static final String MARKED_IN_PAUSE = "gc.marked.in.pause.max";
    /** The most root slots (stacks and globals) one cycle read while the world was stopped: Dijkstra's re-scan, Yuasa's snapshot. */
    static final String ROOTS_IN_PAUSE = "gc.pause.root.slots.max";
    /** Write-barrier executions during marking. */
    static final String BARRIER_EXECUTIONS = "gc.barrier.executions";
    /** Bytes marked but unreachable at mark termination, summed over the cycles (needs {@link #FLOATING_CENSUS}). */
    static final String FLOATING_BYTES = "gc.floating.bytes";
    /** The runtime property that turns on the floating-garbage census (an exact re-mark at mark termination). */
    static final String FLOATING_CENSUS = "gc.floating";
    /** Bytes the last mark found live. */
    static final String LIVE_BYTES = "gc.heap.marked.bytes";

    private GcMetrics() {
    }
}
