package org.gort.spi.gc;

import java.util.concurrent.atomic.AtomicLong;

/*
 * The pacer (Go's gcControllerState, mgcpacer.go).
 *
 * Heap goal. After a cycle has marked `marked` bytes live, with `roots` bytes of stacks and
 * globals scanned:
 *
 *     goal = max(marked + (marked + roots) * GOGC/100,  heapMinimum)
 *     heapMinimum = 4 MiB * GOGC/100
 *
 * heapLive is Go's heap_live: the bytes marked at the last mark termination plus every byte
 * allocated since (sweeping does not lower it: freed objects were never counted).
 *
 * GOGC=off sets no percentage goal: without a memory limit no cycle starts by itself.
 *
 * Memory limit (Go 1.19's soft limit, proposal 48409). With GOMEMLIMIT set, the goal is also
 * capped by the limit (gcControllerState.memoryLimitHeapGoal):
 *
 *     limitGoal = limit - headroom,  headroom = max(3% of limit, 1 MiB),  at least heapMarked
 *     goal = min(percentGoal, limitGoal)
 *
 * The limit covers the managed heap only: goroutine stacks, channels and the runtime's own
 * structures live on the JVM heap, which Go would count as non-heap memory. A goal the limit
 * sets may sit at the live heap itself, so that every allocation would trigger; the controller
 * then spaces those cycles so that collection takes at most half the time (GcController's
 * limiterAllows, the 50 % of Go's gcCPULimiter).
 *
 * Trigger. A stop-the-world collector starts when heapLive reaches the goal. A concurrent one
 * must start earlier, so that marking finishes while the mutators allocate the rest of the way:
 * it starts at marked + (goal - marked) * f, where the trigger fraction f starts at 7/8 and is
 * adjusted after every cycle by Go 1.5's proportional controller (triggerGain 0.5, goal
 * utilization 30%):
 *
 *     error = goalGrowth - triggerGrowth - u/0.30 * (actualGrowth - triggerGrowth)
 *     triggerGrowth += 0.5 * error,   f = triggerGrowth / goalGrowth clamped to [0.6, 0.95]
 *
 * where the growths are relative to the previous marked heap and u is the cycle's mark CPU
 * utilization (25% background plus the assists' share).
 *
 * Assists. While marking, an allocating goroutine owes assistWorkPerByte bytes of scan work
 * per byte it allocates, the ratio of the scan work still expected to the heap distance left
 * before the goal. It pays first from the background workers' banked credit, then by marking
 * itself (gcAssistAlloc). An assist that finds neither credit nor work parks, at its next
 * allocation, until background marking pays its debt or marking ends (gcParkAssist; see
 * AssistQueue).
 *
 * Sweep pacing (Go's proportional sweep). The spans a cycle leaves to sweep must all be swept
 * before the next trigger, so that the next cycle does not have to sweep them first: each
 * allocated byte sweeps pages / (trigger - heapLive) pages, beside the background sweeper.
 *
 * Implementation notes. Each P accumulates its allocation locally and publishes it to heapLive
 * every 8 KiB (Go publishes per span refill), so the trigger is checked without a shared write
 * on every allocation; mark termination publishes every P's remainder with the world stopped.
 */
public final class Pacer {
    /** Go's {@code heapminimum} at GOGC=100. */
    public static final long HEAP_MINIMUM = 4L << 20;
    static final double TRIGGER_GAIN = 0.5;
    static final double GOAL_UTILIZATION = 0.30;
    static final double BACKGROUND_UTILIZATION = 0.25;
    static final double INITIAL_TRIGGER_FRACTION = 7.0 / 8.0;
    static final double MIN_TRIGGER_FRACTION = 0.6;
    static final double MAX_TRIGGER_FRACTION = 0.95;
    /** Go's {@code gcOverAssistWork}: an assist does at least this much scan work, to amortise it. */
    static final long OVER_ASSIST_WORK = 64L << 10;
    /** Per-P allocation is published to heapLive in steps of this many bytes. */
    static final long PUBLISH_BYTES = 8L << 10;

    /**
     * One P's allocation account; touched only by the thread holding the P, on every
     * allocation. Padded on both sides (superclass fields are laid out first), so that two Ps
     * allocating at once do not share a cache line (Go pads its per-P structures likewise).
     */
    static final class PAccount extends PAccountFields {
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7;
    }

    static class PAccountFields extends PAccountPad {
        long unpublished;
        /** Assist credit of allocations made off any goroutine (a goroutine's is its own). */
        long assistCredit;
        double sweepCredit;
    }

    static class PAccountPad {
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    /** Go's {@code memoryLimitHeapGoalHeadroomPercent} and {@code memoryLimitMinHeapGoalHeadroom}. */
    static final long LIMIT_HEADROOM_PERCENT = 3;
    static final long LIMIT_MIN_HEADROOM = 1L << 20;

    private final int gogc;
    private final long memoryLimit;
    private final int gomaxprocs;
    /** True when the current goal is the memory limit's, not GOGC's. */
    private volatile boolean goalLimited;
    private long limitedCycles;
    final PAccount[] perP;
    final AtomicLong heapLive = new AtomicLong();
    private volatile long heapMarked;
    private volatile long goal;
    private volatile long trigger;
    private double triggerFraction = INITIAL_TRIGGER_FRACTION;
    private volatile double assistWorkPerByte;
    /** Go's {@code sweepPagesPerByte}: 0 once the cycle's sweep is done. */
    private volatile double sweepPagesPerByte;
    private long scanExpected;
    private long lastScanWork;
    private long cycleGoal;
    private long cycleTrigger;
    private long cycleStartMarked;

    Pacer(int gogc, int gomaxprocs, boolean concurrent) {
        this(gogc, Long.MAX_VALUE, gomaxprocs, concurrent);
    }

    /** {@code gogc} -1 is GOGC=off; {@code memoryLimit} {@link Long#MAX_VALUE} is no limit. */
    Pacer(int gogc, long memoryLimit, int gomaxprocs, boolean concurrent) {
        this(gogc, memoryLimit, gomaxprocs, gomaxprocs, concurrent);
    }

    /** As above, with per-P accounts for {@code maxprocs} Ps (GOMAXPROCS may grow to that while the run goes on). */
    Pacer(int gogc, long memoryLimit, int gomaxprocs, int maxprocs, boolean concurrent) {
        this.gogc = gogc;
        this.memoryLimit = memoryLimit;
        this.gomaxprocs = gomaxprocs;
        this.perP = new PAccount[Math.max(gomaxprocs, maxprocs)];
        for (int i = 0; i < perP.length; i++) {
            perP[i] = new PAccount();
        }
        this.goal = goalFor(0, 0);
        this.trigger = concurrent ? (long) (goal * INITIAL_TRIGGER_FRACTION) : goal;
    }

    /** Go's {@code heapMinimum}; unbounded with GOGC=off. */
    long heapMinimum() {
        return gogc < 0 ? Long.MAX_VALUE : HEAP_MINIMUM * gogc / 100;
    }

    /** The heap goal after marking {@code marked} bytes with {@code rootBytes} of roots: GOGC's, capped by the limit's. */
    private long goalFor(long marked, long rootBytes) {
        long percentGoal = gogc < 0 ? Long.MAX_VALUE
                : Math.max(marked + (marked + rootBytes) * gogc / 100, heapMinimum());
        long limitGoal = memoryLimitGoal(marked);
        goalLimited = limitGoal < percentGoal;
        return Math.min(percentGoal, limitGoal);
    }

    /** Go's {@code memoryLimitHeapGoal}: the limit less its headroom, never below the live heap. */
    private long memoryLimitGoal(long marked) {
        if (memoryLimit == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long headroom = Math.max(memoryLimit / 100 * LIMIT_HEADROOM_PERCENT, LIMIT_MIN_HEADROOM);
        long g = memoryLimit < 2 * headroom ? headroom : memoryLimit - headroom;
        return Math.max(g, marked);
    }

    /** True when the goal is the memory limit's rather than GOGC's. */
    boolean goalLimited() {
        return goalLimited;
    }

    /** The cycles whose goal the memory limit set ({@code gc.cycles.limited}). */
    synchronized long limitedCycles() {
        return limitedCycles;
    }

    long goal() {
        return goal;
    }

    long trigger() {
        return trigger;
    }

    long heapMarked() {
        return heapMarked;
    }

    double assistWorkPerByte() {
        return assistWorkPerByte;
    }

    /** Adds {@code bytes} allocated on P {@code p}; returns heapLive if it was published now, else -1. */
    long allocated(int p, long bytes) {
        if (p < 0) {
            return heapLive.addAndGet(bytes);
        }
        PAccount a = perP[p];
        a.unpublished += bytes;
        if (a.unpublished < PUBLISH_BYTES) {
            return -1;
        }
        long n = a.unpublished;
        a.unpublished = 0;
        return heapLive.addAndGet(n);
    }

    /** World stopped: publish every P's unpublished allocation; returns the exact heapLive. */
    long publishAllStopped() {
        for (PAccount a : perP) {
            if (a.unpublished != 0) {
                heapLive.addAndGet(a.unpublished);
                a.unpublished = 0;
            }
        }
        return heapLive.get();
    }

    /** Sweep termination ({@code gcController.startCycle}): fix this cycle's goal and the assist ratio. */
    void startCycle() {
        cycleGoal = goal;
        cycleTrigger = trigger;
        cycleStartMarked = heapMarked;
        scanExpected = lastScanWork > 0 ? lastScanWork : Math.max(heapLive.get(), 1);
        for (PAccount a : perP) {
            a.assistCredit = 0;
        }
        reviseAssistRatio(0);
    }

    /** {@code gcController.revise}: scan work still expected over heap distance still left. */
    void reviseAssistRatio(long scanWorkDone) {
        long remaining = Math.max(scanExpected - scanWorkDone, OVER_ASSIST_WORK);
        long distance = Math.max(cycleGoal - heapLive.get(), 1);
        assistWorkPerByte = (double) remaining / distance;
    }

    /**
     * Mark termination ({@code gcController.endCycle} and {@code commit}): feed back the
     * trigger, then set the next goal and trigger from what was marked.
     */
    void endCycle(long heapAtTermination, long marked, long scanWork, long rootBytes,
                  long assistNanos, long markWallNanos, boolean concurrent) {
        if (concurrent && cycleStartMarked > 0 && markWallNanos > 0) {
            double base = cycleStartMarked;
            double goalGrowth = (cycleGoal - base) / base;
            double triggerGrowth = (cycleTrigger - base) / base;
            double actualGrowth = heapAtTermination / base - 1;
            double utilization = BACKGROUND_UTILIZATION + (double) assistNanos / ((double) markWallNanos * gomaxprocs);
            double error = goalGrowth - triggerGrowth - utilization / GOAL_UTILIZATION * (actualGrowth - triggerGrowth);
            double next = triggerGrowth + TRIGGER_GAIN * error;
            if (goalGrowth > 0) {
                triggerFraction = Math.clamp(next / goalGrowth, MIN_TRIGGER_FRACTION, MAX_TRIGGER_FRACTION);
            }
        }
        heapMarked = marked;
        heapLive.set(marked);
        lastScanWork = scanWork;
        if (goalLimited) {
            synchronized (this) {
                limitedCycles++; // the cycle that just ended ran to the limit's goal
            }
        }
        goal = goalFor(marked, rootBytes);
        trigger = concurrent ? marked + (long) ((goal - marked) * triggerFraction) : goal;
        assistWorkPerByte = 0;
    }

    /**
     * Go's proportional sweep ({@code gcPaceSweeper}): the spans left to sweep, {@code pages},
     * must be swept before heapLive reaches the next trigger, so each allocated byte sweeps
     * {@code pages / (trigger - heapLive)} pages. World stopped, after the sweep cycle started.
     */
    void paceSweep(long pages) {
        long distance = trigger - heapLive.get();
        sweepPagesPerByte = pages <= 0 ? 0 : (double) pages / Math.max(distance, PUBLISH_BYTES);
    }

    /**
     * {@code deductSweepCredit}: the pages the allocation of {@code bytes} on P {@code p} owes
     * the sweep now (0 most of the time).
     */
    long sweepDebt(int p, long bytes) {
        double ratio = sweepPagesPerByte;
        if (ratio == 0 || p < 0) {
            return 0;
        }
        PAccount a = perP[p];
        a.sweepCredit += bytes * ratio;
        if (a.sweepCredit < 1) {
            return 0;
        }
        long pages = (long) a.sweepCredit;
        a.sweepCredit -= pages;
        return pages;
    }

    /** The sweep finished: allocation owes it nothing more this cycle. */
    void sweepDone() {
        sweepPagesPerByte = 0;
    }

    /** Sets the next trigger for a collector that marks with the world stopped (after a swap). */
    void useTriggerFor(boolean concurrent) {
        long m = heapMarked;
        trigger = concurrent ? m + (long) ((goal - m) * triggerFraction) : goal;
    }
}
