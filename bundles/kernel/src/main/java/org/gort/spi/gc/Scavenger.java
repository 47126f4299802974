package org.gort.spi.gc;

import java.util.concurrent.atomic.LongAdder;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.HeapView;

/*
 * The background scavenger (Go's mgcscavenge.go, bgscavenge): gives free heap pages back to
 * the operating system, so that a heap that shrank stops holding memory it no longer uses.
 *
 * Goal. Go keeps the memory the heap retains (committed and not released) near the heap goal
 * plus 10% (retainExtraPercent); here the goal is the pacer's heap goal of the cycle just
 * ended, times 1.1, rounded up to whole pages. (Go scales the last cycle's heap in use by the
 * goal's growth; with a steady goal both are the same.)
 *
 *     retained = committed - released          (Go's heapRetained)
 *     while retained > goal and no newer cycle has begun:
 *         release 64 KiB (scavengeQuantum), highest free pages first (the allocator's policy)
 *         after 1 ms of such work, sleep 99 times as long (scavengePercent = 1: 1% of one CPU)
 *
 * It runs on the background sweeper's goroutine once that cycle's sweep is done (sweeping is
 * what frees spans' pages), and stops when the next cycle starts: the next cycle's sweep
 * starts it again with the new goal. runtime/debug.FreeOSMemory (Heap.freeOSMemory) instead
 * collects and releases every free page at once.
 *
 * Under a memory limit allocation helps (Go 1.19's mheap.allocSpan): an allocation that leaves
 * the retained memory above the limit releases the excess from the free pages at once, rather
 * than wait for this scavenger, which works toward the heap goal only (in Go 1.19's
 * gcPaceScavenger the background goal for the limit comes out at 95 times the limit, so there
 * too the allocator's assist is what keeps the heap under it).
 */
final class Scavenger {
    /** Go's {@code retainExtraPercent}. */
    static final int RETAIN_EXTRA_PERCENT = 10;
    /** Go's {@code scavengePercent}: the scavenger's share of one CPU. */
    static final int SCAVENGE_PERCENT = 1;
    /** Bytes released per call to the allocator (Go's scavenger works 64 KiB at a time). */
    static final long QUANTUM = 64 << 10;
    /** Work done before the scavenger sleeps. */
    static final long WORK_NANOS = 1_000_000;

    final LongAdder releasedBytes = new LongAdder();
    final LongAdder workNanos = new LongAdder();

    private final GcRuntime rt;
    private final HeapView heap;

    Scavenger(GcRuntime rt) {
        this.rt = rt;
        this.heap = rt.heap();
    }

    /** The memory the heap may keep after a cycle whose heap goal is {@code heapGoal}. */
    static long retainedGoal(long heapGoal) {
        long goal = heapGoal + heapGoal * RETAIN_EXTRA_PERCENT / 100;
        return (goal + HeapArena.PAGE_SIZE - 1) & -HeapArena.PAGE_SIZE;
    }

    /** Bytes committed and not released: what the heap holds of the machine's memory. */
    long retained() {
        return heap.allocator().retainedBytes(heap.committedBytes());
    }

    /**
     * Scavenges toward {@code retainedGoal(heapGoal)} at 1% of a CPU while {@code current}
     * says this cycle is still the latest. Runs on a system goroutine.
     */
    void run(long heapGoal, java.util.function.BooleanSupplier current) {
        long goal = retainedGoal(heapGoal);
        Allocator alloc = heap.allocator();
        while (!rt.shuttingDown() && current.getAsBoolean()) {
            long worked = 0;
            long released = 0;
            while (worked < WORK_NANOS) {
                long excess = retained() - goal;
                if (excess <= 0) {
                    account(released, worked);
                    return;
                }
                long t0 = System.nanoTime();
                long n = alloc.scavenge(Math.min(QUANTUM, excess));
                worked += System.nanoTime() - t0;
                if (n == 0) { // nothing free left to release, or the allocator does not scavenge
                    account(released, worked);
                    return;
                }
                released += n;
                rt.checkpoint();
            }
            account(released, worked);
            rt.sleep(worked * (100 - SCAVENGE_PERCENT) / SCAVENGE_PERCENT);
        }
    }

    /**
     * The allocator's scavenging assist under memory limit {@code limit}: releases what the heap
     * retains above it, as far as free pages allow.
     */
    void assistToLimit(long limit) {
        long excess = retained() - limit;
        if (excess > 0) {
            long t0 = System.nanoTime();
            long n = heap.allocator().scavenge(excess);
            account(n, System.nanoTime() - t0);
        }
    }

    /** {@code debug.FreeOSMemory}'s second half: every free page, now. Returns the bytes released. */
    long releaseAll() {
        long t0 = System.nanoTime();
        long n = heap.allocator().scavenge(Long.MAX_VALUE);
        account(n, System.nanoTime() - t0);
        return n;
    }

    private void account(long released, long nanos) {
        releasedBytes.add(released);
        workNanos.add(nanos);
    }
}
