package org.gort.spi.gc;

import org.gort.spi.heap.HeapView;

/*
 * The background sweeper and the hand-off to the scavenger (Go's mgcsweep.go: bgsweep,
 * isSweepDone; mgcscavenge.go: bgscavenge's wake-up).
 *
 * A cycle whose last phase is the concurrent SWEEP starts one system goroutine that sweeps the
 * cycle's spans one at a time, yielding to mutators (a full yield every 8 spans, a safepoint
 * check between), until no span of that sweep generation is left, a newer cycle has begun
 * (its sweep termination finishes what is left) or the run ends. Allocation sweeps too, in proportion to what
 * it allocates (the pacer's sweep debt, AllocationPacing), and runtime.GC() sweeps everything
 * on the calling goroutine; whoever sweeps the last span ends the sweep.
 *
 *     sweep spans of generation g   (bgsweep)
 *     wait until the sweep is done  (the last span may be in another sweeper's hands)
 *     scavenge toward the cycle's goal while the cycle is the latest one
 *
 * Go's last sweeper wakes the scavenger; here the background sweeper waits for that last span
 * rather than skip the cycle's scavenging. A cycle that sweeps inside its pause (STW_SWEEP) has
 * no background sweeper: the coordinator scavenges after the cycle instead.
 *
 * Invariant: scavenging for cycle n stops as soon as cycle n + 1 starts (Triggers'
 * isLatestCycle), so the scavenger never works toward a stale goal.
 */
final class BackgroundSweep {
    private final GcRuntime rt;
    private final HeapView heap;
    private final Triggers triggers;
    private final Scavenger scavenger;

    BackgroundSweep(GcRuntime rt, HeapView heap, Triggers triggers, Scavenger scavenger) {
        this.rt = rt;
        this.heap = heap;
        this.triggers = triggers;
        this.scavenger = scavenger;
    }

    /** Starts the background sweeper of {@code cycle}'s sweep generation {@code gen}, then its scavenging toward {@code goal}. */
    void start(long gen, long goal, long cycle) {
        rt.startSystemGoroutine(() -> {
            sweep(gen, cycle);
            scavenge(goal, cycle);
        });
    }

    /** Go's {@code bgsweep}: sweep this cycle's spans one at a time, yielding to mutators. */
    private void sweep(long sweepgen, long cycle) {
        int n = 0;
        while (!rt.shuttingDown() && heap.allocator().sweepgen() == sweepgen && heap.allocator().sweepOne() >= 0) {
            if (++n % 8 == 0) {
                rt.gosched();
            } else {
                rt.checkpoint();
            }
        }
        rt.traceSweepDone(cycle);
    }

    /**
     * Go's {@code bgscavenge}, once this cycle's sweep is done, until the next cycle begins.
     * Whoever sweeps the last span (this sweeper, or a goroutine in {@code GC()} or allocating)
     * ends the sweep; Go's last sweeper wakes the scavenger, here the background sweeper waits
     * for that last span rather than skip the cycle's scavenging.
     */
    void scavenge(long heapGoal, long cycle) {
        if (awaitSweepDone(cycle)) {
            scavenger.run(heapGoal, () -> triggers.isLatestCycle(cycle));
        }
    }

    /** Yields until {@code cycle}'s sweep is done; false if a newer cycle began or the run ended first. */
    boolean awaitSweepDone(long cycle) {
        while (!heap.allocator().sweepDone()) {
            if (rt.shuttingDown() || !triggers.isLatestCycle(cycle)) {
                return false;
            }
            rt.gosched();
        }
        return triggers.isLatestCycle(cycle);
    }
}
