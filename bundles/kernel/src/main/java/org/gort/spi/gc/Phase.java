package org.gort.spi.gc;

/**
 * The phases of a cycle (Go's {@code gcphase} and the steps of {@code gcStart},
 * {@code gcMarkDone}, {@code gcMarkTermination}, {@code gcSweep}). A collector lists them in
 * order; the controller accepts exactly this shape:
 *
 * <pre>
 * SWEEP_TERMINATION, (MARK | STW_MARK), MARK_TERMINATION, (SWEEP | STW_SWEEP)
 * </pre>
 *
 * The world is stopped before a phase that {@linkplain #stopsTheWorld() stops it} and
 * restarted before one that does not, so consecutive stop-the-world phases share one pause.
 */
public enum Phase {
    /**
     * World stopped: finish the previous cycle's sweep ({@code finishsweep_m}); prepare root
     * jobs; turn on the barrier and the allocation colour; with {@link StackScan#ALL_AT_START},
     * scan every stack here.
     */
    SWEEP_TERMINATION("sweepterm", true),
    /**
     * Concurrent: background workers (25% of GOMAXPROCS), idle Ps and allocation assists
     * drain grey objects; globals and (per the stack policy) stacks are scanned as root jobs;
     * ends when no work is left ({@code gcMarkDone}).
     */
    MARK("mark", false),
    /** World stopped: scan globals and every stack, and drain everything (Go 1.4 and earlier). */
    STW_MARK("mark", true),
    /**
     * World stopped: re-scan stacks ({@link StackScan#CONCURRENT_RESCAN_AT_TERMINATION}), drain
     * what is left, turn the barrier off, verify ({@code gccheckmark}), set the next heap goal,
     * and start the sweep ({@code sweepgen += 2}). Only stacks are scanned again, never the
     * globals: a barrier that relies on the re-scan must still cover stores into globals and
     * hand-overs ({@code obj == 0} in {@link org.gort.spi.heap.WriteBarrier#onPointerStore}).
     */
    MARK_TERMINATION("markterm", true),
    /** Concurrent: a background sweeper goroutine plus the allocator's lazy sweep ({@code bgsweep}). */
    SWEEP("sweep", false),
    /** World stopped: sweep every span before the world restarts ({@code gcstoptheworld=2}). */
    STW_SWEEP("sweep", true);

    private final String shortName;
    private final boolean stopsTheWorld;

    Phase(String shortName, boolean stopsTheWorld) {
        this.shortName = shortName;
        this.stopsTheWorld = stopsTheWorld;
    }

    /** The name used in metrics ({@code gc.pause.<name>.ns}) and status lines. */
    public String shortName() {
        return shortName;
    }

    public boolean stopsTheWorld() {
        return stopsTheWorld;
    }
}
