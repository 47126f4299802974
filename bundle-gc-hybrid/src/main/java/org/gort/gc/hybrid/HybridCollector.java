package org.gort.gc.hybrid;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;

/*
 * Concurrent tri-color mark-sweep with the hybrid barrier: Go 1.8 and later (proposal 17503,
 * Clements and Hudson, "Eliminate STW stack re-scanning").
 *
 *     writePointer(slot, ptr):
 *         shade(*slot)
 *         if current stack is grey:
 *             shade(ptr)
 *         *slot = ptr
 *
 * shade(*slot) stops a mutator from hiding an object by moving the only pointer to it from the
 * heap to its stack; shade(ptr) stops it from moving the only pointer from a not-yet-scanned
 * (grey) stack into a black object. Once a stack is black it points only to shaded objects, so
 * stacks are scanned one goroutine at a time while the program runs and never re-scanned, and
 * objects are allocated black. Both pauses are short and flat: sweep termination turns the
 * barrier on, mark termination drains the little the barrier left (Go: "usually under 100
 * microseconds").
 *
 *     sweep termination (STW)  finish the last sweep, barrier on, allocate black
 *     mark (concurrent)        globals and stacks one goroutine at a time, 25% workers, assists
 *     mark termination (STW)   drain what is left, barrier off (no re-scan)
 *     sweep (concurrent)
 *
 * Like Go's implementation, this barrier shades ptr unconditionally, the variant the proposal
 * calls easier to reason about: it alone keeps every black-to-white pointer out of the heap, so
 * only a stack can hold one, and only until it is scanned. Its cost is shading twice as often
 * (Go's buffered barrier, mwbbuf.go, records both pointers and never reads the stack's colour)
 * and some extra floating garbage. Here the conditional test would be cheap (the goroutine's
 * stack-scanned cycle), but shading both keeps the barrier the one whose pauses and barrier
 * counts the lab compares with Go's; gc.floating.* shows what it retains.
 */
final class HybridCollector implements Collector {
    static final CollectorNeeds NEEDS = new CollectorNeeds(
            BarrierKind.HYBRID, AllocationColour.BLACK_WHILE_MARKING, StackScan.CONCURRENT_NO_RESCAN);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);

    private final Shade shade;

    HybridCollector(Shade shade) {
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

    /** The hybrid barrier as Go runs it: {@code shade(*slot); shade(ptr)}. */
    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
        shade.shade(oldValue);
        shade.shade(newValue);
    }
}
