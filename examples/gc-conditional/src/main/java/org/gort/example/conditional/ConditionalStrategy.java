package org.gort.example.conditional;

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
import org.osgi.service.component.annotations.Component;

/*
 * Concurrent tri-color mark-sweep with Dijkstra's insertion barrier made conditional: a pointer
 * stored into an object is shaded only if that object is already marked. An unmarked object
 * will be scanned later and will then read the new pointer itself, so shading for it only adds
 * floating garbage; Go's Dijkstra barrier shades unconditionally because its test would have
 * to come after the store.
 *
 *     writePointer(obj, slot, ptr):
 *         *slot = ptr
 *         if obj == 0 or obj is marked:        (after a full fence)
 *             shade(ptr)
 *
 * The test runs after the store (WriteBarrier.runsAfterStore, afterPointerStore): the kernel
 * puts a full fence between the store and the hook, and the marker fences between marking an
 * object and scanning it, so either the hook sees obj marked and shades ptr, or the marker
 * reads ptr when it scans obj. Stores of globals and hand-overs (obj == 0) always shade:
 * globals are not re-scanned at mark termination, only stacks are. Stack writes have no
 * barrier, so every stack is scanned again at mark termination, as under Dijkstra; new
 * objects are allocated white.
 *
 *     sweep termination (STW), mark (concurrent), mark termination (STW: re-scan stacks), sweep
 */
@Component(service = CollectorStrategy.class,
        property = CollectorStrategy.NAME_PROPERTY + "=" + ConditionalStrategy.NAME)
public final class ConditionalStrategy implements CollectorStrategy {
    static final String NAME = "dijkstra-conditional";

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
        return "Example: concurrent mark with Dijkstra's barrier shading only into marked objects (tested after the store), stacks re-scanned at mark termination";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return Collector.of(NEEDS, PHASES, new WriteBarrier() {
            /** Globals and hand-overs are never re-scanned: shade what they receive. */
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

            /** The condition, after the store: only a marked object must not hide a white pointer. */
            @Override
            public void afterPointerStore(long obj, int slot, long newValue) {
                if (newValue != 0 && marks.isMarked(obj)) {
                    shade.shade(newValue);
                }
            }
        });
    }

    @Override
    public String toString() {
        return NAME;
    }
}
