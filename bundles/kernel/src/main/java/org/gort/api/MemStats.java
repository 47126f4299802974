package org.gort.api;

/**
 * The collector's statistics, as {@code runtime.ReadMemStats} reports them (Go's field names,
 * in bytes and nanoseconds), plus what gort measures about the last cycle.
 *
 * @param numGC                completed GC cycles
 * @param numForcedGC          of those, started by {@link Heap#gc()} ({@code runtime.GC()})
 * @param heapLive             bytes marked live by the last cycle plus bytes allocated since (Go's {@code heapLive})
 * @param heapMarked           bytes marked live by the last cycle
 * @param nextGC               the heap goal: the next cycle finishes before heapLive passes it
 * @param pauseTotalNs         stop-the-world pauses of the collector, in total
 * @param lastPauseNs          the last cycle's longest pause
 * @param gcCPUFraction        the share of the run's CPU spent in GC since the program started
 * @param lastMarkedObjects    objects marked by the last cycle
 * @param lastMarkedInPause    objects the last cycle marked while the world was stopped
 * @param lastFloatingObjects  objects the last cycle kept though unreachable at its end
 *                             (-1 unless gccheckmark or the {@code gc.floating} property is on)
 * @param lastReachableObjects objects reachable at the end of the last cycle (-1 likewise)
 * @param collector            the collector that ran the last cycle (or will run the next)
 * @param pauseNs              Go's {@code PauseNs}: a circular buffer of the last 256 cycles'
 *                             stop-the-world time, each the sum of that cycle's pauses; cycle n
 *                             (from 1) is at {@code pauseNs[(n + 255) % 256]}, so the most
 *                             recent at {@code pauseNs[(numGC + 255) % 256]}
 */
public record MemStats(long numGC, long numForcedGC, long heapLive, long heapMarked, long nextGC,
                       long pauseTotalNs, long lastPauseNs, double gcCPUFraction,
                       long lastMarkedObjects, long lastMarkedInPause, long lastFloatingObjects,
                       long lastReachableObjects, String collector, long[] pauseNs) {

    /** Go's {@code len(MemStats.PauseNs)}. */
    public static final int PAUSE_RING = 256;

    public MemStats {
        pauseNs = pauseNs == null ? new long[PAUSE_RING] : pauseNs.clone();
    }

    @Override
    public long[] pauseNs() {
        return pauseNs.clone();
    }

    /** The stop-the-world time of cycle {@code n} (from 1), if it is among the last 256 completed; else -1. */
    public long pauseNsOfCycle(long n) {
        if (n < 1 || n > numGC || n + PAUSE_RING <= numGC) {
            return -1;
        }
        return pauseNs[(int) ((n + PAUSE_RING - 1) % PAUSE_RING)];
    }
}
