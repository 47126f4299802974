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

/**
 * TEST ONLY, and wrong on purpose: concurrent marking with stacks scanned one goroutine at a
 * time, never re-scanned, objects allocated white, and no write barrier at all. A mutator that
 * moves the only pointer to an object into an already-scanned stack, or allocates after its
 * stack was scanned, hides objects from the mark: {@code gccheckmark} must catch it. Registered
 * through this module's test {@code META-INF/services}; {@link GcKit#collectors()} leaves it out.
 */
public final class NoBarrierStrategy implements CollectorStrategy {
    static final String NAME = GcKit.TEST_ONLY_PREFIX + "nobarrier";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "TEST ONLY: concurrent mark with no write barrier and no stack re-scan; gccheckmark must catch it";
    }

    @Override
    public Collector create(Shade shade, MarkState marks) {
        return new Collector() {
            @Override
            public CollectorNeeds needs() {
                return new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE, StackScan.CONCURRENT_NO_RESCAN);
            }

            @Override
            public List<Phase> phases() {
                return List.of(Phase.SWEEP_TERMINATION, Phase.MARK, Phase.MARK_TERMINATION, Phase.SWEEP);
            }

            @Override
            public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
                // the missing barrier
            }
        };
    }
}
