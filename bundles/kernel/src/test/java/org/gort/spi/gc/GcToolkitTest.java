package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The toolkit's arithmetic, checked against what Go's runtime computes and prints. */
class GcToolkitTest {

    /** Go's fmtNSAsMS: two significant digits below 10 ms, whole milliseconds from there. */
    @Test
    void gctraceFormatsDurationsAsGoDoes() {
        assertEquals("0", GcTrace.fmtNSAsMS(999));
        assertEquals("0.001", GcTrace.fmtNSAsMS(1_000));
        assertEquals("0.015", GcTrace.fmtNSAsMS(15_000));
        assertEquals("0.45", GcTrace.fmtNSAsMS(450_000));
        assertEquals("0.45", GcTrace.fmtNSAsMS(459_999));
        assertEquals("1.2", GcTrace.fmtNSAsMS(1_234_567));
        assertEquals("9.9", GcTrace.fmtNSAsMS(9_999_999));
        assertEquals("10", GcTrace.fmtNSAsMS(10_000_000));
        assertEquals("233", GcTrace.fmtNSAsMS(233_700_000));
        assertEquals("0.012", GcTrace.itoaDiv(12, 3));
        assertEquals("12.345", GcTrace.itoaDiv(12_345, 3));
    }

    @Test
    void gctraceLineHasGosFields() {
        long t0 = 1_000_000_000L;
        CycleStats c = new CycleStats(3, "hybrid", "forced",
                t0 + 12_000_000, t0 + 12_015_000, t0 + 12_465_000, t0 + 12_468_000,
                30_000, 100_000, 200_000, 50_000, 6_000,
                4L << 20, 4L << 20, 1L << 20, 5L << 20, 3L << 20, 0, 0, 2,
                10, 0, 0, 0, 15_000, 7, -1, -1, -1);
        assertEquals("gc 3 @0.012s 2%: 0.015+0.45+0.003 ms clock, 0.030+0.10/0.20/0.050+0.006 ms cpu, "
                + "4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)", GcTrace.line(c, t0, 0.025));
    }

    /** gcController.startCycle's worker plan: 25% of GOMAXPROCS, dedicated when within 30%. */
    @Test
    void backgroundWorkersTakeAQuarterOfGomaxprocs() {
        assertWorkers(1, 0, 0.25);
        assertWorkers(2, 0, 0.25);
        assertWorkers(3, 0, 0.25);
        assertWorkers(4, 1, 0);
        assertWorkers(6, 1, (1.5 - 1) / 6);
        assertWorkers(8, 2, 0);
        assertWorkers(16, 4, 0);
    }

    private static void assertWorkers(int procs, int dedicated, double fractional) {
        MarkWorkers w = new MarkWorkers(procs);
        assertEquals(dedicated, w.dedicated, "dedicated workers at GOMAXPROCS " + procs);
        assertEquals(fractional, w.fractionalGoal, 1e-9, "fractional goal at GOMAXPROCS " + procs);
    }

    @Test
    void aCollectorMustListPhasesTheControllerCanRun() {
        CollectorStrategy s = new CollectorStrategy() {
            public String name() {
                return "bad";
            }

            public String description() {
                return "";
            }

            public Collector create(Shade shade, MarkState marks) {
                return null;
            }
        };
        Collector wrongOrder = collector(new CollectorNeeds(BarrierKind.HYBRID, AllocationColour.WHITE,
                StackScan.CONCURRENT_NO_RESCAN), List.of(Phase.MARK, Phase.SWEEP_TERMINATION, Phase.MARK_TERMINATION, Phase.SWEEP));
        assertThrows(IllegalArgumentException.class, () -> PhasePlan.validated(s, wrongOrder));
        Collector stwMarkWithConcurrentStacks = collector(new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE,
                StackScan.CONCURRENT_NO_RESCAN), List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.STW_SWEEP));
        assertThrows(IllegalArgumentException.class, () -> PhasePlan.validated(s, stwMarkWithConcurrentStacks));
    }

    private static Collector collector(CollectorNeeds needs, List<Phase> phases) {
        return new Collector() {
            public CollectorNeeds needs() {
                return needs;
            }

            public List<Phase> phases() {
                return phases;
            }

            public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
            }
        };
    }
}
