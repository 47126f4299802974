package org.gort.pacer.go15;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.PacerConfig;
import org.junit.jupiter.api.Test;

class Go15PacerTest {
    private static final long MB = 1L << 20;

    private static CycleResult cycle(long triggered, long live, long marked, long scan, long stacks, long assistNanos,
                                     long markNanos, boolean concurrent) {
        return new CycleResult(triggered, live, marked, scan, stacks, 0, assistNanos, 0, markNanos, 2, concurrent);
    }

    /** goal = marked × (1 + GOGC/100), at least 4 MiB × GOGC/100; roots do not count. */
    @Test
    void goalAndTrigger() {
        Go15Pacer p = new Go15Pacer(new PacerConfig(100, PacerConfig.NO_LIMIT, 2, true));
        assertEquals(4 * MB, p.heapGoal(), "before the first cycle: the minimum heap");
        assertEquals((long) (4 * MB * 7.0 / 8), p.trigger(), "a concurrent collector starts at 7/8 of it");
        p.endCycle(cycle(4 * MB, 5 * MB, 10 * MB, 10 * MB, 50 * MB, 0, 0, true));
        assertEquals(20 * MB, p.heapGoal(), "GOGC over the marked heap alone, however large the stacks");
        assertEquals(10 * MB + (long) (10 * MB * 7.0 / 8), p.trigger());

        Go15Pacer stw = new Go15Pacer(new PacerConfig(50, PacerConfig.NO_LIMIT, 1, false));
        assertEquals(2 * MB, stw.heapGoal(), "GOGC=50 halves the minimum heap");
        assertEquals(stw.heapGoal(), stw.trigger(), "a stop-the-world collector starts at the goal");
        stw.endCycle(cycle(2 * MB, 3 * MB, MB, MB, 0, 0, 0, false));
        assertEquals(2 * MB, stw.heapGoal(), "the minimum heap still applies");
    }

    /** The memory limit is not Go 1.5's: the goal stays GOGC's. */
    @Test
    void ignoresTheMemoryLimit() {
        Go15Pacer p = new Go15Pacer(new PacerConfig(100, 8 * MB, 2, true));
        p.endCycle(cycle(4 * MB, 5 * MB, 10 * MB, 10 * MB, 0, 0, 0, true));
        assertEquals(20 * MB, p.heapGoal());
        assertTrue(!p.goalLimited());
    }

    /**
     * The proportional controller: a cycle that overshot its goal with heavy assists moves the
     * trigger earlier; one that finished well short of it with none moves it later.
     */
    @Test
    void triggerRatioFollowsTheCycle() {
        Go15Pacer p = new Go15Pacer(new PacerConfig(100, PacerConfig.NO_LIMIT, 2, true));
        p.endCycle(cycle(0, 12 * MB, 10 * MB, 10 * MB, 0, 0, 0, true)); // goal 20, trigger 18.75
        p.startCycle(p.trigger());
        p.endCycle(cycle(p.trigger(), 22 * MB, 10 * MB, 10 * MB, 0, 2_000_000, 2_000_000, true));
        double early = p.triggerFraction();
        assertTrue(early < 7.0 / 8, "overshoot with assists lowers the trigger ratio, got " + early);
        p.startCycle(p.trigger());
        p.endCycle(cycle(p.trigger(), 17 * MB, 10 * MB, 10 * MB, 0, 0, 2_000_000, true));
        assertTrue(p.triggerFraction() > early, "finishing early without assists raises it, got " + p.triggerFraction());
    }

    /** revise: the scan work expected (last cycle's heap scan) over the heap left to the goal. */
    @Test
    void assistRatio() {
        Go15Pacer p = new Go15Pacer(new PacerConfig(100, PacerConfig.NO_LIMIT, 2, true));
        p.endCycle(cycle(0, 12 * MB, 10 * MB, 8 * MB, 0, 0, 0, true));
        p.startCycle(18 * MB);
        assertEquals(8.0 * MB / (2 * MB), p.revise(18 * MB, 0, 0), 1e-9);
        assertEquals(4.0 * MB / (2 * MB), p.revise(18 * MB, 4 * MB, 1 << 30), 1e-9, "stack scan work does not count");
    }
}
