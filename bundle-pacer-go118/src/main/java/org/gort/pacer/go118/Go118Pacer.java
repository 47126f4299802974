package org.gort.pacer.go118;

import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.MemoryState;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;

/*
 * Go 1.18's pacer (Michael Knyszek, proposal 44167 "GC pacer redesign"; mgcpacer.go) with Go
 * 1.19's soft memory limit (proposal 48409).
 *
 * Heap goal (gcControllerState.commit). GOGC applies to everything the collector must scan, not
 * to the heap alone, so that a program whose roots are large gets a goal that pays for them:
 *
 *     gcPercentHeapGoal = max(marked + (marked + lastStackScan + globalsScan) * GOGC/100, heapMinimum)
 *
 * Memory limit (memoryLimitHeapGoal). With GOMEMLIMIT set, the goal is also capped by the limit
 * less the memory that is not heap objects and a headroom:
 *
 *     nonHeap = mapped - heapFree - heapAlloc        (span fragmentation, unswept garbage)
 *     overage = max(mapped - limit, 0)
 *     goal    = limit - (nonHeap + overage), less max(3 %, 1 MiB) headroom, never below marked
 *     heapGoal = min(gcPercentHeapGoal, that)       (GOGC=off: the limit's alone)
 *
 * Trigger (commit and trigger). The runway is how many bytes the program allocates while the
 * collector does the next cycle's expected scan work at its 25 % utilization:
 *
 *     runway  = consMark * (1 - 0.25)/0.25 * (lastHeapScan + lastStackScan + globalsScan)
 *     trigger = goal - runway, clamped to [marked + 0.7 (goal - marked), marked + 0.95 (goal - marked)]
 *               (the upper bound is goal - 4 MiB instead when that is higher: large heaps)
 *
 * A stop-the-world collector triggers at the goal.
 *
 * cons/mark (endCycle). The ratio of the rate the program allocates ("cons") to the rate the
 * collector scans ("mark"), each per CPU-second it had:
 *
 *     currentConsMark = (heapLive - triggered) * (u + uIdle) / (scanWork * (1 - u))
 *
 * with u the background's 25 % plus the assists' share and uIdle the idle workers'. It is
 * noisy, so the pacer's estimate follows it through a PI controller (kp 0.9, ti 4 cycles,
 * tt 1000, output in [-1000, 1000]) rather than jumping to it.
 *
 * Assists (revise). The same model: scan work expected is last cycle's heap + stack + globals
 * scan work; while the cycle has done less, the ratio is work left over heap left to the goal.
 * Once it has done more, the heap is assumed to be growing: the goal is extrapolated to the
 * worst case, every allocated byte scannable (maxScanWork = heapLive + stacks + globals), capped
 * at (1 + GOGC/100) x goal (the hard goal), and past that the goal gets 10 % overshoot. gort does
 * not separate scannable from pointer-free bytes in heapLive, so its worst case is the whole heap.
 *
 * CPU limiter (gcCPULimiterState, 1.19). A leaky bucket of 1 CPU-second per P: the collector's
 * CPU time fills it, the program's drains it; while it is full the collector has had more than
 * half the CPU, and assists are switched off, so a limit set too low for the live heap costs at
 * most half the machine and the heap goes over the limit instead (the limit is soft).
 *
 * Implementation notes. goal and trigger are volatile, read on allocation from any thread;
 * startCycle and endCycle run with the world stopped, memoryChanged and cpuSample on sysmon,
 * which recompute them under this object's monitor (short, never while anything parks). revise
 * reads only volatile or cycle-fixed fields.
 */
final class Go118Pacer implements PacerPolicy {
    /** Go's {@code gcGoalUtilization} = {@code gcBackgroundUtilization}. */
    static final double GOAL_UTILIZATION = 0.25;
    /** Go's {@code triggerRatioDen}, {@code minTriggerRatioNum} (0.7) and {@code maxTriggerRatioNum} (0.95). */
    static final long TRIGGER_RATIO_DEN = 64;
    static final long MIN_TRIGGER_RATIO_NUM = 45;
    static final long MAX_TRIGGER_RATIO_NUM = 61;
    /** Go's {@code minRunway} in heapGoalInternal: 64 KiB between the trigger point and the goal. */
    static final long MIN_RUNWAY = 64L << 10;
    /** Go's {@code memoryLimitHeapGoalHeadroomPercent} and {@code memoryLimitMinHeapGoalHeadroom}. */
    static final long LIMIT_HEADROOM_PERCENT = 3;
    static final long LIMIT_MIN_HEADROOM = 1L << 20;
    /** Go's {@code capacityPerProc}: the CPU limiter's bucket holds 1 CPU-second per P. */
    static final long LIMITER_CAPACITY_PER_PROC = 1_000_000_000L;
    /** The least scan work counted as left (revise's lower bound). */
    static final long MIN_SCAN_WORK_REMAINING = 1000;

    private final PacerConfig config;
    private final PiController consMarkController = new PiController(0.9, 4.0, 1000, -1000, 1000);
    private volatile boolean concurrent;
    private volatile double consMark;
    private volatile long heapMarked;
    private volatile long lastHeapScan;
    private volatile long lastStackScan;
    private volatile long globalsScan;
    private volatile long runway;
    private volatile long percentGoal;
    private volatile long limitGoal = Long.MAX_VALUE;
    private volatile long goal;
    private volatile long trigger;
    private volatile boolean goalLimited;
    /** heapLive when the cycle under way started; -1 between cycles (Go's ^uint64(0)). */
    private volatile long triggered = -1;
    private MemoryState memory;
    // CPU limiter, sysmon only
    private long lastSampleNanos;
    private long lastGcCpu;
    private double fill;
    private volatile boolean limiting;
    private long limitingSamples;

    Go118Pacer(PacerConfig config) {
        this.config = config;
        this.concurrent = config.concurrent();
        commit();
    }

    @Override
    public long heapGoal() {
        return goal;
    }

    @Override
    public long trigger() {
        return trigger;
    }

    double consMark() {
        return consMark;
    }

    long runway() {
        return runway;
    }

    @Override
    public boolean goalLimited() {
        return goalLimited;
    }

    @Override
    public boolean assistsAllowed() {
        return !limiting;
    }

    /** {@code gcControllerState.commit}: the GOGC goal and the runway, from the last cycle. */
    private synchronized void commit() {
        int gogc = config.gogc();
        long marked = heapMarked;
        long scan = lastHeapScan + lastStackScan + globalsScan;
        percentGoal = gogc < 0 ? Long.MAX_VALUE
                : Math.max(marked + (marked + lastStackScan + globalsScan) * gogc / 100, config.heapMinimum());
        runway = (long) (consMark * (1 - GOAL_UTILIZATION) / GOAL_UTILIZATION * scan);
        limitGoal = memoryLimitHeapGoal();
        place();
    }

    /**
     * Go's {@code memoryLimitHeapGoal}: the limit less what is not heap objects, less the
     * headroom; never below the marked heap. Before the first sample, the limit alone.
     */
    private long memoryLimitHeapGoal() {
        long limit = config.memoryLimit();
        if (limit == PacerConfig.NO_LIMIT) {
            return Long.MAX_VALUE;
        }
        MemoryState m = memory;
        long nonHeap = 0;
        long overage = 0;
        if (m != null) {
            nonHeap = Math.max(0, m.mapped() - m.heapFree() - m.heapAlloc());
            overage = Math.max(0, m.mapped() - limit);
        }
        if (nonHeap + overage >= limit) {
            return heapMarked; // nothing left for the heap: collect continuously, the CPU limiter bounds the cost
        }
        long g = limit - (nonHeap + overage);
        long headroom = Math.max(g / 100 * LIMIT_HEADROOM_PERCENT, LIMIT_MIN_HEADROOM);
        g = g < 2 * headroom ? headroom : g - headroom;
        return Math.max(g, heapMarked);
    }

    /** {@code heapGoalInternal} and {@code trigger}: the goal, then the trigger within its bounds. Holds the monitor. */
    private void place() {
        long g = percentGoal;
        boolean limited = limitGoal < g;
        if (limited) {
            g = limitGoal;
        } else {
            long t = triggered;
            if (t >= 0 && g != Long.MAX_VALUE && g < t + MIN_RUNWAY) {
                g = t + MIN_RUNWAY; // assists are proportional to the distance left: keep some
            }
        }
        goalLimited = limited;
        goal = g;
        trigger = triggerFor(g);
    }

    private long triggerFor(long g) {
        long marked = heapMarked;
        if (g == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (!concurrent || marked >= g) {
            return g;
        }
        long span = g - marked;
        long minTrigger = marked + span / TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM;
        long maxTrigger = marked + span / TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM;
        long min = PacerConfig.DEFAULT_HEAP_MINIMUM;
        if (g > min && g - min > maxTrigger) {
            maxTrigger = g - min;
        }
        maxTrigger = Math.max(maxTrigger, minTrigger);
        long r = runway;
        long t = r > g ? minTrigger : g - r;
        return Math.clamp(t, minTrigger, maxTrigger);
    }

    @Override
    public synchronized void startCycle(long heapLive) {
        triggered = heapLive;
        place();
    }

    @Override
    public double revise(long heapLive, long heapScanWork, long rootScanWork) {
        int gogc = config.gogc() < 0 ? 100_000 : config.gogc();
        long work = heapScanWork + rootScanWork;
        long heapGoal = goal;
        if (heapGoal == Long.MAX_VALUE) {
            return (double) MIN_SCAN_WORK_REMAINING / Math.max(1, Long.MAX_VALUE / 2 - heapLive);
        }
        long expected = Math.max(1, lastHeapScan + lastStackScan + globalsScan);
        long maxScanWork = heapLive + Math.max(lastStackScan, rootScanWork) + globalsScan;
        long t = Math.max(0, triggered);
        if (work > expected) {
            // More scan work than the steady state expects: the heap is growing. Extrapolate the
            // runway to the worst case, at most to the hard goal.
            long ext = (long) ((double) (heapGoal - t) / expected * maxScanWork) + t;
            long hardGoal = (long) ((1.0 + gogc / 100.0) * heapGoal);
            heapGoal = Math.min(ext, hardGoal);
            expected = maxScanWork;
        }
        if (heapLive > heapGoal) {
            heapGoal = (long) (heapGoal * 1.1); // past even that: finish by 10 % more in the worst case
            expected = maxScanWork;
        }
        long remaining = Math.max(expected - work, MIN_SCAN_WORK_REMAINING);
        long distance = Math.max(heapGoal - heapLive, 1);
        return (double) remaining / distance;
    }

    @Override
    public void endCycle(CycleResult c) {
        long allocated = c.heapLive() - c.triggered();
        long scanWork = c.heapScanWork() + c.stackScanWork() + c.globalsScanWork();
        if (c.concurrent() && c.markNanos() > 0 && allocated > 0 && scanWork > 0) {
            double cpu = (double) c.markNanos() * c.gomaxprocs();
            double u = GOAL_UTILIZATION + c.assistNanos() / cpu;
            double uIdle = c.idleNanos() / cpu;
            if (u < 1) {
                double current = allocated * (u + uIdle) / (scanWork * (1 - u));
                double next = consMarkController.next(consMark, current, 1.0);
                consMark = Double.isNaN(next) ? 0 : next;
            }
        }
        heapMarked = c.heapMarked();
        lastHeapScan = c.heapScanWork();
        lastStackScan = c.stackScanWork();
        globalsScan = c.globalsScanWork();
        triggered = -1;
        commit();
    }

    @Override
    public synchronized void setConcurrent(boolean concurrent) {
        this.concurrent = concurrent;
        place();
    }

    @Override
    public void memoryChanged(MemoryState m) {
        synchronized (this) {
            memory = m;
            limitGoal = memoryLimitHeapGoal();
            place();
        }
    }

    /** {@code gcCPULimiterState.accumulate}: GC time fills the bucket, mutator time drains it. */
    @Override
    public void cpuSample(long now, long gcCpuNanos, int gomaxprocs) {
        if (lastSampleNanos == 0) {
            lastSampleNanos = now;
            lastGcCpu = gcCpuNanos;
            return;
        }
        long total = (now - lastSampleNanos) * gomaxprocs;
        long gc = Math.max(0, gcCpuNanos - lastGcCpu); // a cycle's pauses arrive at its end, in one step
        lastSampleNanos = now;
        lastGcCpu = gcCpuNanos;
        double capacity = (double) LIMITER_CAPACITY_PER_PROC * gomaxprocs;
        fill = Math.clamp(fill + gc - (total - gc), 0.0, capacity);
        boolean full = fill >= capacity;
        if (full) {
            limitingSamples++;
        }
        limiting = full;
    }

    @Override
    public String describe() {
        return String.format("cons/mark %.3f, runway %.1f MB%s", consMark, runway / 1048576.0,
                limiting ? ", CPU limiter on" : "");
    }
}
