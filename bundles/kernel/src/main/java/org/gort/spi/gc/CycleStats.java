package org.gort.spi.gc;

/**
 * What one GC cycle did: the record behind its gctrace line and the run's {@code gc.*} metrics.
 * Times are {@link System#nanoTime()} values; durations and byte counts are as named.
 *
 * @param number            the cycle's number, from 1
 * @param collector         the collector that ran it
 * @param trigger           why it started: {@code heap}, {@code forced}, {@code periodic}, {@code alloc-failure}
 * @param tSweepTerm        when it began (before sweep termination stopped the world)
 * @param tMark             when marking began
 * @param tMarkTerm         when mark termination began (its stop-the-world was requested)
 * @param tEnd              when the world restarted after mark termination
 * @param sweepTermCpuNanos sweep termination's pause times GOMAXPROCS, as Go counts it
 * @param assistNanos       time allocating goroutines spent marking
 * @param backgroundNanos   time background workers spent marking (for a stop-the-world mark: its pause times GOMAXPROCS)
 * @param idleNanos         time idle Ps spent marking
 * @param markTermCpuNanos  mark termination's pause times GOMAXPROCS
 * @param heapStart         heapLive when the cycle began (gctrace's first MB figure)
 * @param heapAtMarkTerm    heapLive at mark termination (the second)
 * @param heapMarked        bytes marked live (the third)
 * @param heapGoal          the goal this cycle aimed at
 * @param nextGoal          the goal set for the next cycle
 * @param stackBytes        bytes of root stacks scanned (8 per slot)
 * @param globalBytes       bytes of globals scanned
 * @param gomaxprocs        Ps
 * @param markedObjects     objects marked (allocated black included)
 * @param markedInPause     objects marked while the world was stopped
 * @param rootSlotsInPause  root slots (stack and global) read while the world was stopped
 * @param goroutinesInPause goroutines (and goroutine slots) the collector looked at while the
 *                          world was stopped, gccheckmark's verification excluded
 * @param maxPauseNanos     the cycle's longest pause
 * @param barrierExecutions write barrier calls during the cycle
 * @param floatingObjects   marked but unreachable at mark termination (-1 when not measured)
 * @param floatingBytes     their bytes (-1 when not measured)
 * @param reachableObjects  objects reachable at mark termination (-1 when not measured)
 */
public record CycleStats(long number, String collector, String trigger,
                         long tSweepTerm, long tMark, long tMarkTerm, long tEnd,
                         long sweepTermCpuNanos, long assistNanos, long backgroundNanos, long idleNanos,
                         long markTermCpuNanos,
                         long heapStart, long heapAtMarkTerm, long heapMarked, long heapGoal, long nextGoal,
                         long stackBytes, long globalBytes, int gomaxprocs,
                         long markedObjects, long markedInPause, long rootSlotsInPause, long goroutinesInPause,
                         long maxPauseNanos,
                         long barrierExecutions,
                         long floatingObjects, long floatingBytes, long reachableObjects) {

    public boolean forced() {
        return "forced".equals(trigger);
    }

    /** The cycle's GC CPU time, as gctrace adds it up. */
    public long cpuNanos() {
        return sweepTermCpuNanos + assistNanos + backgroundNanos + idleNanos + markTermCpuNanos;
    }
}
