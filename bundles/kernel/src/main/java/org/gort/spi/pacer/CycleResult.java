package org.gort.spi.pacer;

/**
 * What one cycle measured, handed to {@link PacerPolicy#endCycle} at mark termination with
 * the world stopped. Bytes throughout; scan work is in bytes scanned (Go's units since 1.18).
 *
 * @param triggered        heapLive when the cycle started (Go's {@code triggered})
 * @param heapLive         heapLive at mark termination (every byte marked or allocated since)
 * @param heapMarked       the bytes this cycle found live (Go's {@code heapMarked})
 * @param heapScanWork     heap bytes scanned this cycle ({@code heapScanWork})
 * @param stackScanWork    stack bytes scanned this cycle ({@code stackScanWork}: 8 per slot)
 * @param globalsScanWork  global and channel-buffer root bytes ({@code globalsScanWork})
 * @param assistNanos      time goroutines spent assisting ({@code assistTime})
 * @param idleNanos        time idle Ps spent marking ({@code idleMarkTime})
 * @param markNanos        wall time from the end of the first pause to mark termination
 * @param gomaxprocs       the cycle's Ps
 * @param concurrent       true if the cycle marked while the program ran
 */
public record CycleResult(long triggered, long heapLive, long heapMarked, long heapScanWork, long stackScanWork,
                          long globalsScanWork, long assistNanos, long idleNanos, long markNanos, int gomaxprocs,
                          boolean concurrent) {

    /** Root bytes scanned: stacks and globals (what Go 1.18 adds to GOGC's base). */
    public long rootBytes() {
        return stackScanWork + globalsScanWork;
    }
}
