package org.gort.spi.gc;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/*
 * Background mark workers (Go's gcBgMarkWorker and gcController.startCycle's worker plan).
 *
 * Background marking takes 25% of GOMAXPROCS (gcBackgroundUtilization). Go rounds that to whole
 * dedicated workers when the rounding error is at most 30%, and otherwise runs one worker less
 * and makes up the rest with a fractional worker, which marks only while its share of the
 * mark phase's wall time is below the fractional goal:
 *
 *     GOMAXPROCS  1: 0 dedicated + fractional 25%      4: 1 dedicated
 *                 2: 0 dedicated + fractional 25%      8: 2 dedicated
 *
 * Workers are system goroutines started for each cycle's mark phase: they compete for Ps with
 * the mutators, as Go's do. A worker with no work parks until work is published; while stack
 * jobs wait for running goroutines to scan themselves it yields instead (the job cannot be
 * retried from a parked worker). A fractional worker over its share yields its P when other
 * goroutines want one, and otherwise keeps marking as an idle worker would.
 *
 * Idle marking (Go's idle mark worker): an M whose scheduler found nothing to run marks on its
 * otherwise idle P until a goroutine becomes runnable or the world stops.
 */
final class MarkWorkers {
    /** This cycle's plan, made at its sweep termination (world stopped) from GOMAXPROCS then. */
    volatile int dedicated;
    volatile double fractionalGoal;
    final LongAdder backgroundNanos = new LongAdder();
    final LongAdder idleNanos = new LongAdder();
    private volatile int gomaxprocs;

    MarkWorkers(int gomaxprocs) {
        plan(gomaxprocs);
    }

    /**
     * Go's gcController.startCycle: the dedicated workers and the fractional goal follow
     * GOMAXPROCS as it is when the cycle starts (runtime.GOMAXPROCS may have changed it).
     */
    private void plan(int gomaxprocs) {
        this.gomaxprocs = gomaxprocs;
        double total = gomaxprocs * Pacer.BACKGROUND_UTILIZATION;
        int d = (int) (total + 0.5);
        double utilError = d / total - 1;
        if (utilError < -0.3 || utilError > 0.3) {
            if (d > total) {
                d--;
            }
            fractionalGoal = (total - d) / gomaxprocs;
        } else {
            fractionalGoal = 0;
        }
        dedicated = d;
    }

    /** Starts this cycle's workers; the mark phase began at {@code markStart}. */
    void start(GcRuntime rt, Marking marking, long markStart) {
        long cycle = marking.cycle();
        for (int i = 0; i < dedicated; i++) {
            rt.startSystemGoroutine(() -> run(rt, marking, cycle, markStart, false));
        }
        if (fractionalGoal > 0) {
            rt.startSystemGoroutine(() -> run(rt, marking, cycle, markStart, true));
        }
    }

    private void run(GcRuntime rt, Marking marking, long cycle, long markStart, boolean fractional) {
        long[] mine = new long[1];
        BooleanSupplier overShare = () -> fractional
                && mine[0] > fractionalGoal * gomaxprocs * (System.nanoTime() - markStart);
        while (!rt.shuttingDown() && marking.cycle() == cycle && marking.blackening() && !marking.markDone()) {
            rt.checkpoint(); // every round passes a safepoint, whatever the drain found
            boolean idle = false;
            if (overShare.getAsBoolean()) {
                if (rt.hasRunnableGoroutines()) {
                    rt.gosched();
                    continue;
                }
                idle = true;
            }
            long t0 = System.nanoTime();
            marking.drain(Marking.Drainer.BACKGROUND, Long.MAX_VALUE, idle ? rt::hasRunnableGoroutines : overShare);
            long dt = System.nanoTime() - t0;
            mine[0] += dt;
            (idle ? idleNanos : backgroundNanos).add(dt);
            marking.finishIfMine(); // this drain ended marking: mark termination runs here
            if (marking.markDone() || !marking.blackening() || marking.cycle() != cycle) {
                return;
            }
            if (marking.workAvailable()) {
                continue;
            }
            if (marking.roots.pending()) {
                marking.roots.retrySelfScans();
                rt.gosched();
                continue;
            }
            marking.parkWorker();
        }
    }

    /**
     * Idle marking on an M whose P has nothing to run. Returns false, without marking, when
     * there is no marking work; otherwise runs {@code starting}, then marks, polling {@code stop}
     * between objects.
     */
    boolean idleMark(Marking marking, BooleanSupplier stop, Runnable starting) {
        if (!marking.workAvailable()) {
            return false;
        }
        starting.run();
        long t0 = System.nanoTime();
        marking.drain(Marking.Drainer.IDLE, Long.MAX_VALUE, stop);
        idleNanos.add(System.nanoTime() - t0);
        return true;
    }

    /** A cycle starts with {@code gomaxprocs} Ps (world stopped). */
    void resetCycle(int gomaxprocs) {
        backgroundNanos.reset();
        idleNanos.reset();
        if (gomaxprocs != this.gomaxprocs) {
            plan(gomaxprocs);
        }
    }
}
