package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one factory method the kernel calls, and the deprecated form collectors built against 1.6 implement. */
class CollectorStrategyTest {
    private static final Collector COLLECTOR = Collector.of(
            new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE, StackScan.ALL_IN_STW),
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.STW_SWEEP),
            (obj, slot, oldValue, newValue) -> { });

    private abstract static class Named implements CollectorStrategy {
        @Override
        public String name() {
            return "old";
        }

        @Override
        public String description() {
            return "";
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void aCollectorWrittenAgainstTheOldFormIsStillCreated() {
        CollectorStrategy old = new Named() {
            @Override
            public Collector create(Shade shade) {
                return COLLECTOR;
            }
        };
        assertSame(COLLECTOR, old.create(addr -> { }, null));
    }

    @Test
    void aCollectorImplementingNeitherFormSaysSoInOneLine() {
        CollectorStrategy none = new Named() {
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> none.create(addr -> { }, null));
        assertEquals("collector old implements neither create(Shade, MarkState) nor the deprecated create(Shade)",
                e.getMessage());
    }
}
