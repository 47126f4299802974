package org.gort.gc.stw;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;

/*
 * Stop-the-world mark-sweep: Go's collector up to Go 1.4 (mgc0.c).
 *
 *     stop the world
 *     finish the previous sweep                  SWEEP_TERMINATION
 *     mark from every root: globals, all stacks  STW_MARK
 *     drain, verify, set the next goal           MARK_TERMINATION
 *     sweep every span                           STW_SWEEP
 *     start the world
 *
 * The mutators never run while marking, so there is no barrier and the colour of a new object
 * does not matter. The whole live heap is traced inside one pause: the pause grows with the
 * live heap ("hundreds of milliseconds on large heaps" in Go 1.4), which gc.marked.in.pause
 * shows without a clock. (Go 1.3 and 1.4 already swept concurrently after the pause; this
 * collector sweeps inside it, as gcstoptheworld=2 does, so that the whole cycle is one pause.)
 *
 * The cycle starts when the heap reaches its goal: with no concurrent phase there is no need
 * to start early.
 */
final class StwCollector implements Collector {
    static final CollectorNeeds NEEDS =
            new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE, StackScan.ALL_IN_STW);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.STW_SWEEP);

    StwCollector(Shade shade) {
        // Marking never overlaps the mutators: nothing to shade from a barrier.
    }

    @Override
    public CollectorNeeds needs() {
        return NEEDS;
    }

    @Override
    public List<Phase> phases() {
        return PHASES;
    }

    /** Never enabled ({@link BarrierKind#NONE}). */
    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
    }
}
