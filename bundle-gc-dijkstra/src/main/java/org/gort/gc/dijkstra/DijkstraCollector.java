package org.gort.gc.dijkstra;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;

/*
 * Concurrent tri-color mark-sweep with Dijkstra's insertion barrier: Go 1.5-1.7.
 *
 *     writePointer(slot, ptr):
 *         shade(ptr)
 *         *slot = ptr
 *
 * The barrier keeps the strong invariant (no black object points to a white one) for heap
 * objects and globals: whatever is stored into an object that may already be black is grey
 * first. Stack writes have no barrier, so a goroutine can put the only pointer to a white
 * object into its already-scanned stack; hence mark termination re-scans every stack with the
 * world stopped. Go measured that re-scan at "10's to 100's of milliseconds in an application
 * with a large number of active goroutines" (proposal 17503): the pause grows with the number
 * of goroutines and their stacks, which gc.pause.root.slots counts.
 *
 *     sweep termination (STW)  finish the last sweep, turn the barrier on
 *     mark (concurrent)        globals and stacks one goroutine at a time, 25% workers, assists
 *     mark termination (STW)   re-scan every stack, drain, barrier off
 *     sweep (concurrent)
 *
 * Like Go's markwb, the barrier shades ptr whatever the colour of the object written to
 * (Dijkstra's original shaded only stores into black objects): knowing that colour reliably
 * would need a memory fence on every store. New objects are allocated white, as in Dijkstra's
 * algorithm: one that survives is reached through a barrier or the re-scan, one that dies
 * during the cycle is freed by it, so this collector keeps the least floating garbage.
 */
final class DijkstraCollector implements Collector {
    static final CollectorNeeds NEEDS = new CollectorNeeds(
            BarrierKind.INSERTION, AllocationColour.WHITE, StackScan.CONCURRENT_RESCAN_AT_TERMINATION);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);

    private final Shade shade;

    DijkstraCollector(Shade shade) {
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

    /** The insertion barrier: {@code shade(ptr)}. */
    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
        shade.shade(newValue);
    }
}
