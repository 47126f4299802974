package org.gort.spi.gc;

import org.gort.spi.heap.HeapView;

/*
 * The runtime's hooks in a cycle: sync.Pool, finalizers and the heap's cycle roots (Go's
 * mgc.go: clearpools in gcStart; mfinal.go and markrootSpans for finalizers; mheap's
 * specials queued as the sweep finds their objects dead).
 *
 * Two moments, both with the world stopped; the collector does nothing of its own for them:
 *
 *   sweep termination   after the last cycle's sweep is finished and before marking starts:
 *                       the buffers of channels that became unreachable leave the root set
 *                       (HeapView.dropUnreachableChannelBuffers), so that the root set stays
 *                       the same for the whole cycle; every sync.Pool is emptied into its
 *                       victim cache (GcRuntime.clearPools, Go's clearpools), so that what the
 *                       pools held is garbage now unless reachable otherwise; and the heap fixes
 *                       the cycle's finalizer roots (HeapView.startCycle).
 *   mark termination    once marking is complete and verified (gccheckmark), before the sweep
 *                       starts: each unreachable object with a finalizer is marked, so that it
 *                       and what it reaches are kept one more cycle, and its finalizer is
 *                       queued to run (HeapView.queueFinalizers).
 *
 * The order inside sweep termination is the heap's contract (channel buffers before the
 * finalizer roots), and clearing the pools before marking is what makes their contents
 * collectable in this cycle rather than the next.
 */
final class CycleHooks {
    private CycleHooks() {
    }

    /** Sweep termination, world stopped, the previous sweep finished: channel buffers, sync.Pool, finalizer roots. */
    static void sweepTermination(GcRuntime rt, HeapView heap) {
        heap.dropUnreachableChannelBuffers();
        rt.clearPools(); // before marking, so that what the pools held is garbage now
        heap.startCycle(); // the cycle's finalizer roots
    }

    /** Mark termination, world stopped, marking complete and verified: queue the finalizers of unreachable objects. */
    static void markTermination(HeapView heap) {
        // Unreachable objects with finalizers: marked (kept one more cycle), finalizers queued.
        heap.queueFinalizers();
    }
}
