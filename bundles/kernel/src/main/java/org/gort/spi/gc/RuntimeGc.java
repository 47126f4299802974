package org.gort.spi.gc;

import org.gort.spi.heap.HeapView;
import org.gort.spi.sched.Goroutine;

/*
 * runtime.GC() and the collections that work like it (Go's mgc.go: GC; runtime/debug's
 * FreeOSMemory; and a last collection before an allocation fails).
 *
 * runtime.GC() (Go's GC): wait for the cycle in progress, if any, to finish marking; make sure
 * one more full cycle runs after the call; wait for its mark termination; then sweep everything
 * on the calling goroutine.
 *
 *     n := cycles started                     (Go's work.cycles)
 *     wait until cycle n completed            (gcWaitOnMark(n))
 *     unless cycle n + 1 has started, request it, or relabel the request "forced"
 *     wait until cycle n + 1 completed        (gcWaitOnMark(n + 1))
 *     sweep spans until none is left          (for sweepone() != ^uintptr(0))
 *     wait for the other sweepers' last spans (for !isSweepDone() { Gosched() })
 *
 * so that every page the cycle freed is free when it returns. Called from outside any
 * goroutine (the shell), it finishes the sweep at once instead. Two goroutines calling it
 * together share cycle n + 1. FreeOSMemory then gives every free page back to the operating
 * system; an allocation that found the heap full runs the same collection, on its own
 * goroutine, before it retries once.
 */
final class RuntimeGc {
    private final GcRuntime rt;
    private final HeapView heap;
    private final Triggers triggers;
    private final BackgroundSweep sweeper;
    private final Scavenger scavenger;

    RuntimeGc(GcRuntime rt, HeapView heap, Triggers triggers, BackgroundSweep sweeper, Scavenger scavenger) {
        this.rt = rt;
        this.heap = heap;
        this.triggers = triggers;
        this.sweeper = sweeper;
        this.scavenger = scavenger;
    }

    /** {@code runtime.GC()} on the calling goroutine: returns after a full cycle and its sweep. */
    void gc() {
        collectNow("forced");
    }

    /**
     * {@code runtime/debug.FreeOSMemory}: a forced collection, then every free page given back
     * to the operating system. Returns the bytes released.
     */
    long freeOSMemory() {
        collectNow("forced");
        return scavenger.releaseAll();
    }

    /** The heap is full: run a whole cycle on this goroutine and let the allocation retry once. */
    boolean collectBeforeFailing(Goroutine g, long size) {
        if (g == null || rt.currentGoroutine() == null || rt.shuttingDown()) {
            return false;
        }
        collectNow("alloc-failure");
        return true;
    }

    private void collectNow(String trigger) {
        long n = triggers.started();
        triggers.awaitCompleted(n);
        triggers.requestAfter(n, trigger);
        triggers.awaitCompleted(n + 1);
        if (rt.currentGoroutine() != null) {
            while (!rt.shuttingDown() && heap.allocator().sweepOne() >= 0) {
                rt.checkpoint();
            }
            // No span left to claim, but the background sweeper may still be sweeping its last
            // one: wait for it, as runtime.GC does (for !isSweepDone() { Gosched() }), so that
            // every page the cycle freed is free when this returns.
            sweeper.awaitSweepDone(n + 1);
        } else {
            heap.allocator().finishSweep();
        }
    }
}
