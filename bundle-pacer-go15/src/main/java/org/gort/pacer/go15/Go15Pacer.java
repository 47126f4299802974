package org.gort.pacer.go15;

import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;

/*
 * Go 1.5's pacer (Austin Clements, "Go 1.5 concurrent garbage collector pacing", 2015; Go's
 * mgc.go gcControllerState until Go 1.17).
 *
 * Heap goal. After a cycle has marked `marked` bytes live:
 *
 *     goal = max(marked * (1 + GOGC/100),  heapMinimum)      heapMinimum = 4 MiB * GOGC/100
 *
 * Only the heap counts: stacks and globals are scanned, but neither their size nor their scan
 * work enters the goal or the assist ratio (the first of proposal 44167's complaints).
 * GOGC=off sets no goal, so no cycle starts by itself. There is no memory limit.
 *
 * Trigger. A stop-the-world collector starts at the goal. A concurrent one starts at
 * marked + (goal - marked) * f, where the trigger fraction f starts at 7/8 and is adjusted after
 * every cycle by a proportional controller (gcControllerState.endCycle, triggerGain 0.5,
 * goal utilization gcGoalUtilization 30 %):
 *
 *     error = goalGrowth - triggerGrowth - u/0.30 * (actualGrowth - triggerGrowth)
 *     triggerGrowth += 0.5 * error,   f = triggerGrowth / goalGrowth clamped to [0.6, 0.95]
 *
 * where the growths are relative to the previous marked heap and u is the cycle's mark CPU
 * utilization (25 % background plus the assists' share). The controller steers the trigger so
 * that the heap reaches the goal as marking ends at 30 % CPU; its error term mixes the heap
 * overshoot with the CPU it cost, which is why it settles at a trigger where the assists make up
 * a steady 5 % over the background's 25 % (the steady-state error 44167 describes).
 *
 * Assists (gcControllerState.revise). scan work still expected / heap distance still left to the
 * goal, where the work expected is the last cycle's heap scan work (or, before any, heapLive).
 *
 * Implementation notes. goal and trigger are volatile: read on allocation from any thread,
 * written at mark termination (endCycle) with the world stopped. revise reads fields fixed at
 * startCycle.
 */
final class Go15Pacer implements PacerPolicy {
    static final double TRIGGER_GAIN = 0.5;
    static final double GOAL_UTILIZATION = 0.30;
    static final double BACKGROUND_UTILIZATION = 0.25;
    static final double INITIAL_TRIGGER_FRACTION = 7.0 / 8.0;
    static final double MIN_TRIGGER_FRACTION = 0.6;
    static final double MAX_TRIGGER_FRACTION = 0.95;
    /** Go's {@code gcOverAssistWork}: the least scan work counted as still to do. */
    static final long OVER_ASSIST_WORK = 64L << 10;

    private final PacerConfig config;
    private volatile boolean concurrent;
    private volatile long heapMarked;
    private volatile long goal;
    private volatile long trigger;
    private double triggerFraction = INITIAL_TRIGGER_FRACTION;
    private long lastScanWork;
    // fixed at startCycle
    private volatile long scanExpected;
    private volatile long cycleGoal;
    private long cycleTrigger;
    private long cycleStartMarked;

    Go15Pacer(PacerConfig config) {
        this.config = config;
        this.concurrent = config.concurrent();
        this.goal = goalFor(0);
        placeTrigger();
    }

    /** {@code gcController.commit}'s goal: GOGC over the marked heap, at least the minimum heap. */
    private long goalFor(long marked) {
        int gogc = config.gogc();
        return gogc < 0 ? Long.MAX_VALUE : Math.max(marked + marked * gogc / 100, config.heapMinimum());
    }

    private void placeTrigger() {
        long m = heapMarked;
        trigger = goal == Long.MAX_VALUE ? Long.MAX_VALUE
                : concurrent ? m + (long) ((goal - m) * triggerFraction) : goal;
    }

    @Override
    public long heapGoal() {
        return goal;
    }

    @Override
    public long trigger() {
        return trigger;
    }

    double triggerFraction() {
        return triggerFraction;
    }

    @Override
    public void startCycle(long heapLive) {
        cycleGoal = goal;
        cycleTrigger = trigger;
        cycleStartMarked = heapMarked;
        scanExpected = lastScanWork > 0 ? lastScanWork : Math.max(heapLive, 1);
    }

    @Override
    public double revise(long heapLive, long heapScanWork, long rootScanWork) {
        long remaining = Math.max(scanExpected - heapScanWork, OVER_ASSIST_WORK);
        long distance = Math.max(cycleGoal - heapLive, 1);
        return (double) remaining / distance;
    }

    @Override
    public void endCycle(CycleResult c) {
        if (c.concurrent() && cycleStartMarked > 0 && c.markNanos() > 0 && cycleGoal != Long.MAX_VALUE) {
            double base = cycleStartMarked;
            double goalGrowth = (cycleGoal - base) / base;
            double triggerGrowth = (cycleTrigger - base) / base;
            double actualGrowth = c.heapLive() / base - 1;
            double utilization = BACKGROUND_UTILIZATION + (double) c.assistNanos() / ((double) c.markNanos() * c.gomaxprocs());
            double error = goalGrowth - triggerGrowth - utilization / GOAL_UTILIZATION * (actualGrowth - triggerGrowth);
            double next = triggerGrowth + TRIGGER_GAIN * error;
            if (goalGrowth > 0) {
                triggerFraction = Math.clamp(next / goalGrowth, MIN_TRIGGER_FRACTION, MAX_TRIGGER_FRACTION);
            }
        }
        heapMarked = c.heapMarked();
        lastScanWork = c.heapScanWork();
        goal = goalFor(c.heapMarked());
        placeTrigger();
    }

    @Override
    public void setConcurrent(boolean concurrent) {
        this.concurrent = concurrent;
        placeTrigger();
    }

    @Override
    public String describe() {
        return String.format("trigger ratio %.3f", triggerFraction);
    }
}
