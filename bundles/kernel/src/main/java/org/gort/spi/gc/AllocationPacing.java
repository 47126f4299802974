package org.gort.spi.gc;

import org.gort.spi.heap.HeapView;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.sched.Goroutine;

/*
 * The collector's part of every allocation (Go's mallocgc: deductAssistCredit before the
 * allocation; gcmarknewobject, the heapLive update, the trigger test and deductSweepCredit
 * after it): the glue between the allocator's hooks and the pacer's mechanism.
 *
 * Before an allocation of size bytes, at the goroutine's safepoint:
 *
 *   start     if the heap passed the trigger with no cycle marking, wait for the triggered
 *             cycle to start (Triggers.awaitStart: as Go's goroutines wait on work.startSema)
 *   assist    while marking, charge the goroutine for the allocation and make it assist, or
 *             park, before it allocates (Assists.deductAssistCredit)
 *
 * After it, on P p (or off any P):
 *
 *   colour    while marking, the new object is allocated black (marked), so that the cycle
 *             does not free it (Marking.markNewObject)
 *   heapLive  the bytes are added to P p's account and published every few KiB (Pacer); when
 *             heapLive is published, while marking the assist ratio is revised from the scan
 *             work done so far (gcController.revise), otherwise heapLive is tested against the
 *             trigger, which requests a cycle (Triggers.heapReachedTrigger)
 *   assists   allocation off any goroutine while marking charges its P's account (Assists)
 *   sweep     outside marking, when P p publishes, the pages the published bytes owe the
 *             proportional sweep are swept now (Go charges them as a span is cached,
 *             deductSweepCredit in mcentral.cacheSpan); finding nothing left to sweep ends
 *             the sweep's pacing (Pacer.sweepDone)
 *   limit     under a memory limit the pacer honours, when P p publishes, memory retained
 *             above the limit is released now (Scavenger.assistToLimit; Go's allocSpan)
 *
 * Implementation notes. This runs on every allocation. Whether a cycle is marking is read
 * once per call (Marking.blackening, a volatile); the trigger, the assist ratio and the sweep
 * credit are touched only when a P publishes, as Go touches them once per span; the hints
 * Triggers.startPending and cycleActive are volatile reads, and Triggers' monitor is taken
 * only when they call for it.
 */
final class AllocationPacing {
    private final HeapView heap;
    private final Marking marking;
    private final Pacer pacer;
    private final Assists assists;
    private final Triggers triggers;
    private final Scavenger scavenger;

    AllocationPacing(HeapView heap, Marking marking, Pacer pacer, Assists assists, Triggers triggers, Scavenger scavenger) {
        this.heap = heap;
        this.marking = marking;
        this.pacer = pacer;
        this.assists = assists;
        this.triggers = triggers;
        this.scavenger = scavenger;
    }

    /** Allocate-black, heap accounting and the trigger (mallocgc's GC part after the allocation), on P {@code p}. */
    void allocated(Goroutine g, int p, long addr, long size) {
        boolean blackening = marking.blackening();
        if (blackening) {
            marking.markNewObject(addr, size, p);
        }
        long live = pacer.allocated(p, size);
        if (live >= 0) {
            published(g, p, live, blackening);
        }
        if (blackening && p >= 0 && g == null) {
            assists.allocatedOffGoroutine(p, size);
        }
    }

    /**
     * P {@code p} published what it allocated since its last step (Go's refill of an mcache's
     * span): heapLive is now {@code live}.
     */
    private void published(Goroutine g, int p, long live, boolean blackening) {
        if (blackening) {
            pacer.reviseAssistRatio(marking.scanWorkPublished.get(), marking.roots.cycleStackSlots() * 8);
        } else {
            if (live >= pacer.trigger()) {
                triggers.heapReachedTrigger(g);
            }
            long pages = pacer.sweepDebt(p);
            if (pages > 0 && heap.allocator().sweepPages(pages) < pages) {
                pacer.sweepDone();
            }
        }
        long limit = pacer.scavengeLimit();
        if (limit != PacerConfig.NO_LIMIT) {
            scavenger.assistToLimit(limit);
        }
    }

    /**
     * Before an allocation of {@code size} bytes, at the goroutine's safepoint: waits for a
     * triggered cycle to start (see Triggers); while marking, charges the goroutine for the
     * allocation and makes it assist, or park, before it allocates, as Go's {@code mallocgc}
     * does ({@code deductAssistCredit}).
     */
    void beforeAllocating(Goroutine g, long size) {
        if (triggers.startPending) {
            triggers.awaitStart();
        }
        if (marking.blackening()) {
            assists.deductAssistCredit(g, size);
        }
    }
}
