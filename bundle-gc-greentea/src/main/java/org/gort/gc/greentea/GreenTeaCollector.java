package org.gort.gc.greentea;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.MarkQueue;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;

/*
 * Green Tea: span-based marking, Go 1.25 (GOEXPERIMENT=greenteagc) and the default in 1.26
 * (Knyszek and Clements, go.dev/issue/73581; the Go blog, "The Green Tea Garbage Collector",
 * 2025; runtime/mgcmark_greenteagc.go).
 *
 * The graph flood of every earlier collector pops one grey object at a time from a LIFO work
 * list and follows its pointers wherever they lead in memory, so nearly every object scanned
 * is a cache miss, and the processor waits for memory most of the time. Green Tea works in
 * pages instead of objects:
 *
 *     shade(small obj):                    tryDeferToSpanScan
 *         set obj's mark bit
 *         if obj's span is not queued:     spanInlineMarkBits.tryAcquire
 *             queue the span (FIFO)        spanQueue.put
 *     worker takes a span:                 scanSpan
 *         un-queue it                      release
 *         toScan = marks & ~scans          spanSetScans
 *         scans |= toScan
 *         scan toScan's objects in address order
 *
 * A span waits in its FIFO while more of its objects are marked, so one visit scans several
 * objects that sit together in memory, reading their metadata once. Objects over 512 bytes, and
 * roots, are marked as before, one at a time from the LIFO work list. Everything else is the
 * hybrid barrier's cycle, which Go 1.26 keeps: the same barrier, black allocation, stacks
 * scanned one at a time and never re-scanned, the same phases.
 *
 *     sweep termination (STW)  finish the last sweep, barrier on, allocate black
 *     mark (concurrent)        roots; objects from the work lists, small ones by span
 *     mark termination (STW)   drain what is left (spans included), barrier off
 *     sweep (concurrent)
 *
 * The mechanism (scan bits, span ownership, the span queues, the drain order) is the toolkit's,
 * for any collector that declares MarkQueue.SPANS; this policy is the declaration.
 */
final class GreenTeaCollector implements Collector {
    static final CollectorNeeds NEEDS = new CollectorNeeds(
            BarrierKind.HYBRID, AllocationColour.BLACK_WHILE_MARKING, StackScan.CONCURRENT_NO_RESCAN, MarkQueue.SPANS);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);

    private final Shade shade;

    GreenTeaCollector(Shade shade) {
        this.shade = shade;
    }

    @Override
    public CollectorNeeds needs() {
        return NEEDS;
    }

    @Override
    public List<Phase> phases() {
        return PHASES;
    }

    /** The hybrid barrier, unchanged by Green Tea: {@code shade(*slot); shade(ptr)}. */
    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
        shade.shade(oldValue);
        shade.shade(newValue);
    }
}
