package org.gort.spi.pacer;

/**
 * One runtime instance's pacer (Go's {@code gcControllerState}). The collector toolkit calls
 * it; a policy never touches the heap, the marking or the goroutines, only the figures here.
 *
 * <p>Threads. {@link #heapGoal()} and {@link #trigger()} are read on allocation paths from any
 * thread and must be cheap (a volatile read). {@link #revise} is called while marking, from
 * allocating goroutines, concurrently. {@link #startCycle}, {@link #endCycle} and
 * {@link #setConcurrent} are called with the world stopped; {@link #memoryChanged} and
 * {@link #cpuSample} from sysmon, one thread at a time.
 */
public interface PacerPolicy {

    /** Go's {@code heapGoal}: the heap size the next (or current) cycle should finish at. */
    long heapGoal();

    /** Go's {@code trigger}: the heapLive at which the next cycle starts. */
    long trigger();

    /**
     * Sweep termination ({@code gcControllerState.startCycle}): a cycle starts with the heap at
     * {@code heapLive}; the goal it will finish at is fixed from here.
     */
    void startCycle(long heapLive);

    /**
     * Go's {@code revise}: the assist ratio, scan work owed per byte allocated, given that the
     * cycle has reached {@code heapLive} and done {@code heapScanWork} of heap and
     * {@code rootScanWork} of stack and global scanning.
     */
    double revise(long heapLive, long heapScanWork, long rootScanWork);

    /**
     * Mark termination ({@code endCycle} then {@code commit}): learn from what the cycle
     * measured and set the next goal and trigger.
     */
    void endCycle(CycleResult cycle);

    /**
     * The collector now marks concurrently, or with the world stopped (a collector swap, or
     * GODEBUG=gcstoptheworld): a stop-the-world collector is triggered at the goal.
     */
    void setConcurrent(boolean concurrent);

    /**
     * The heap's memory changed (sysmon samples it about every millisecond, and at every mark
     * termination): a pacer with a memory limit re-derives its goal and trigger. Nothing by default.
     */
    default void memoryChanged(MemoryState memory) {
    }

    /**
     * GC CPU accounting, from sysmon: {@code gcCpuNanos} is the total CPU time the collector
     * has used since the run began (pauses × Ps, marking, assists), {@code nowNanos} the clock,
     * {@code gomaxprocs} the Ps. Nothing by default.
     */
    default void cpuSample(long nowNanos, long gcCpuNanos, int gomaxprocs) {
    }

    /** False while a CPU limiter holds assists off (Go's {@code gcCPULimiter.limiting}). True by default. */
    default boolean assistsAllowed() {
        return true;
    }

    /** True when the current goal is the memory limit's rather than GOGC's. False by default. */
    default boolean goalLimited() {
        return false;
    }

    /** A one-line view of the pacer's state for {@code status} and the run's report, e.g. its controller's estimate. */
    default String describe() {
        return "";
    }
}
