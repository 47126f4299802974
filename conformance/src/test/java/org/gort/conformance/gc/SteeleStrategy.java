package org.gort.conformance.gc;

import java.util.List;
import org.gort.spi.gc.AllocationColour;
import org.gort.spi.gc.BarrierKind;
import org.gort.spi.gc.Collector;
import org.gort.spi.gc.CollectorNeeds;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.MarkState;
import org.gort.spi.gc.Phase;
import org.gort.spi.gc.Shade;
import org.gort.spi.gc.StackScan;
import org.gort.spi.heap.WriteBarrier;

/*
 * TEST ONLY: concurrent tri-color mark-sweep with Steele's barrier (CACM 18(9), 1975), the
 * incremental-update barrier that re-greys the object written to instead of shading the value
 * stored. A collector outside Go's lineage, written against the SPI alone, to show that one fits
 * in a page and that gccheckmark and the mutator fuzz judge it like the bundled four.
 *
 *     writePointer(obj, slot, ptr):
 *         *slot = ptr
 *         if ptr is white and obj is marked:   (after a full fence)
 *             regrey(obj)                      (scan obj again)
 *
 * Dijkstra's barrier greys ptr, so a store of a pointer that dies before the cycle ends still
 * keeps its object; Steele's re-scans obj, so what obj points to at the end is what survives,
 * and less floats. The test must come after the store: a marker that marks obj after the
 * barrier looked then reads the new value. Stores of globals and hand-overs (obj == 0) shade ptr,
 * as Dijkstra's do. Stack writes have no barrier, so every stack is scanned again at mark
 * termination, as under Dijkstra; new objects are allocated white.
 *
 *     sweep termination (STW), mark (concurrent), mark termination (STW: re-scan stacks), sweep
 */
public final class SteeleStrategy implements CollectorStrategy {
    static final String NAME = GcKit.TEST_ONLY_PREFIX + "steele";

    static final CollectorNeeds NEEDS = new CollectorNeeds(
            BarrierKind.INSERTION, AllocationColour.WHITE, StackScan.CONCURRENT_RESCAN_AT_TERMINATION);

    static final List<Phase> PHASES =
            List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "TEST ONLY: concurrent mark with Steele's barrier (re-grey the object written to), stacks re-scanned at mark termination";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return Collector.of(NEEDS, PHASES, new WriteBarrier() {
            /** Globals and hand-overs: shade the value, as Dijkstra's barrier does. */
            @Override
            public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
                if (obj == 0) {
                    shade.shade(newValue);
                }
            }

            @Override
            public boolean runsAfterStore() {
                return true;
            }

            /** Steele's test, after the store: a white value stored into a marked object re-greys it. */
            @Override
            public void afterPointerStore(long obj, int slot, long newValue) {
                if (newValue != 0 && !marks.isMarked(newValue)) {
                    marks.regrey(obj);
                }
            }
        });
    }
}
