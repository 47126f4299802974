package org.gort.gc.yuasa;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;

/*
 * Concurrent tri-color mark-sweep with Yuasa's deletion barrier (1990): snapshot at the
 * beginning.
 *
 *     writePointer(slot, ptr):
 *         shade(*slot)
 *         *slot = ptr
 *
 * Every object reachable when marking starts gets marked: to hide one, a mutator would have to
 * delete the last path to it, and the barrier shades the target of every deleted heap or global
 * pointer. That argument needs the snapshot to include the roots, and stacks have no barrier,
 * so every stack is scanned inside the pause that starts marking; after that a stack can only
 * receive pointers to objects the snapshot already covers or to new objects, which are
 * allocated black. The cost moves from the end of the cycle (Dijkstra's re-scan) to its
 * start: the sweep-termination pause grows with the number of goroutines instead.
 *
 *     sweep termination (STW)  finish the last sweep, scan every stack, barrier on, allocate black
 *     mark (concurrent)        globals, 25% workers, assists
 *     mark termination (STW)   drain what the barrier left, barrier off (no re-scan)
 *     sweep (concurrent)
 *
 * Everything reachable at the snapshot survives the cycle, even if it died a moment later, and
 * so does everything allocated during it: more floating garbage than Dijkstra's.
 */
final class YuasaCollector implements Collector {
    static final CollectorNeeds NEEDS = new CollectorNeeds(
            BarrierKind.DELETION, AllocationColour.BLACK_WHILE_MARKING, StackScan.ALL_AT_START);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);

    private final Shade shade;

    YuasaCollector(Shade shade) {
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

    /** The deletion barrier: {@code shade(*slot)}. */
    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
        shade.shade(oldValue);
    }
}
