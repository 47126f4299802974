package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.MemStats;
import org.gort.api.Metrics;
import org.gort.api.RunResult;
import org.gort.api.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GODEBUG=gcstoptheworld}: 1 marks every cycle with the world stopped, whatever the
 * collector, so the whole live heap is marked inside the pause and no barrier runs; 2 also
 * sweeps inside it (1 leaves the sweep as the collector has it). The collector's design is back when the switch is off. Counts, not clocks.
 */
class GcStopTheWorldModeTest {
    private static final int DEPTH = 12; // 8 191 live nodes

    private record Outcome(MemStats stats, Metrics metrics) {
    }

    private static Outcome collectWithLiveTree(String collector, int mode) {
        MemStats[] stats = new MemStats[1];
        RunResult r = PauseShapeTest.runWithLiveTree(GcKit.config(collector, 2).gcstoptheworld(mode).build(), DEPTH, stats);
        GcKit.assertOk(r);
        return new Outcome(stats[0], r.metrics());
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void gcstoptheworld1MarksTheLiveHeapInsideThePause(String collector) {
        Outcome o = collectWithLiveTree(collector, 1);
        long live = (1L << (DEPTH + 1)) - 1;
        assertEquals(live, o.stats().lastReachableObjects());
        assertTrue(o.stats().lastMarkedInPause() >= live,
                () -> collector + " with gcstoptheworld=1 marked " + o.stats().lastMarkedInPause() + " of " + live + " in its pause");
        assertEquals(0, o.metrics().count("gc.barrier.executions"), "no barrier runs when nothing runs while marking");
        // The sweep stays the collector's: concurrent, except stw's, which sweeps in its pause.
        assertEquals(collector.equals("stw"), o.metrics().has("gc.pause.sweep.max.ns"), "a sweep pause");
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void gcstoptheworld2AlsoSweepsInsideThePause(String collector) {
        Outcome o = collectWithLiveTree(collector, 2);
        assertTrue(o.stats().lastMarkedInPause() >= (1L << (DEPTH + 1)) - 1);
        assertTrue(o.metrics().has("gc.pause.sweep.max.ns"), () -> "a sweep pause: " + o.metrics().values().keySet());
    }

    @Test
    void offTheConcurrentCollectorsMarkOutsideThePause() {
        Outcome o = collectWithLiveTree("hybrid", 0);
        assertTrue(o.stats().lastMarkedInPause() <= 16, () -> "hybrid marked " + o.stats().lastMarkedInPause() + " in pauses");
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void theMutatorFuzzPassesWithTheWorldStopped(String collector) {
        MutatorFuzz fuzz = new MutatorFuzz(4, 10_000, 3);
        RunResult r = GcKit.run(GcKit.config(collector, 2).seed(3).gogc(5).clobberfree(true)
                .gcstoptheworld(1).build(), fuzz::main);
        GcKit.assertOk(r);
        assertTrue(r.metrics().count("gc.cycles") >= 4, "several cycles ran");
        assertEquals(0, r.metrics().count("gc.barrier.executions"));
    }

    @Test
    void aModeOtherThan012IsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().gcstoptheworld(3));
        assertEquals("gcstoptheworld must be 0, 1 or 2, got 3", e.getMessage());
    }
}
