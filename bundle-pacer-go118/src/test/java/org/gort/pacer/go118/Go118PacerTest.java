package org.gort.pacer.go118;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.MemoryState;
import org.gort.spi.pacer.PacerConfig;
import org.junit.jupiter.api.Test;

class Go118PacerTest {
    private static final long MB = 1L << 20;

    private static CycleResult cycle(long triggered, long live, long marked, long heapScan, long stackScan,
                                     long assistNanos, long markNanos) {
        return new CycleResult(triggered, live, marked, heapScan, stackScan, 0, assistNanos, 0, markNanos, 2, true);
    }

    private static Go118Pacer pacer(int gogc, long limit) {
        return new Go118Pacer(new PacerConfig(gogc, limit, 2, true));
    }

    /** gcPercentHeapGoal: GOGC over heap + stacks + globals; the trigger between 0.7 and 0.95 of the way. */
    @Test
    void goalCountsTheRoots() {
        Go118Pacer p = pacer(100, PacerConfig.NO_LIMIT);
        assertEquals(4 * MB, p.heapGoal());
        p.endCycle(cycle(4 * MB, 5 * MB, 10 * MB, 10 * MB, 6 * MB, 0, 1_000_000));
        assertEquals(26 * MB, p.heapGoal(), "10 marked + (10 + 6 of stacks) × 100 %");
        long t = p.trigger();
        assertTrue(t >= 10 * MB + 16 * MB / 64 * 45 && t <= 10 * MB + 16 * MB / 64 * 61, "trigger within its bounds: " + t);
    }

    /**
     * The cons/mark ratio: a program that allocates fast against little scan work has a high one,
     * and the runway it implies moves the trigger earlier than a slow allocator's.
     */
    @Test
    void fastAllocationTriggersEarlier() {
        Go118Pacer slow = pacer(100, PacerConfig.NO_LIMIT);
        Go118Pacer fast = pacer(100, PacerConfig.NO_LIMIT);
        for (int i = 0; i < 8; i++) {
            slow.startCycle(15 * MB);
            slow.endCycle(cycle(15 * MB, 15 * MB + MB / 4, 10 * MB, 10 * MB, 0, 0, 10_000_000));
            fast.startCycle(15 * MB);
            fast.endCycle(cycle(15 * MB, 15 * MB + 6 * MB, 10 * MB, 10 * MB, 0, 0, 10_000_000));
        }
        assertTrue(fast.consMark() > slow.consMark(), fast.consMark() + " vs " + slow.consMark());
        assertTrue(fast.trigger() < slow.trigger(), fast.trigger() + " vs " + slow.trigger());
        assertEquals(fast.heapGoal(), slow.heapGoal(), "the goal is GOGC's either way");
    }

    /** memoryLimitHeapGoal caps the goal, leaves 3 % (at least 1 MiB) headroom, never goes below the marked heap. */
    @Test
    void memoryLimitCapsTheGoal() {
        Go118Pacer p = pacer(100, 64 * MB);
        p.endCycle(cycle(4 * MB, 5 * MB, 40 * MB, 40 * MB, 0, 0, 1_000_000));
        long g = 64 * MB - Math.max(64 * MB / 100 * 3, MB);
        assertEquals(g, p.heapGoal(), "80 MB by GOGC, the limit's is lower");
        assertTrue(p.goalLimited());
        assertTrue(p.trigger() < p.heapGoal());
        // 8 MB of the mapped memory is neither free nor objects: the goal comes down by as much
        p.memoryChanged(new MemoryState(58 * MB, 2 * MB, 48 * MB));
        assertEquals((64 - 8) * MB - Math.max((56 * MB) / 100 * 3, MB), p.heapGoal());
        p.memoryChanged(new MemoryState(200 * MB, 0, 50 * MB));
        assertEquals(40 * MB, p.heapGoal(), "never below the live heap");

        Go118Pacer off = pacer(PacerConfig.GOGC_OFF, 16 * MB);
        assertTrue(off.heapGoal() < 16 * MB, "GOGC=off with a limit: the limit's goal");
        Go118Pacer none = pacer(PacerConfig.GOGC_OFF, PacerConfig.NO_LIMIT);
        assertEquals(Long.MAX_VALUE, none.trigger(), "GOGC=off without a limit: no cycle");
    }

    /** revise: past the expected scan work the goal is extrapolated, so the ratio stays bounded. */
    @Test
    void assistRatioExtrapolates() {
        Go118Pacer p = pacer(100, PacerConfig.NO_LIMIT);
        p.endCycle(cycle(4 * MB, 5 * MB, 10 * MB, 8 * MB, 2 * MB, 0, 1_000_000));
        p.startCycle(18 * MB);
        double steady = p.revise(18 * MB, 0, 0);
        assertEquals(10.0 * MB / (p.heapGoal() - 18 * MB), steady, 1e-6);
        double grown = p.revise(20 * MB, 11 * MB, 0);
        assertTrue(grown > 0 && grown < 100, "bounded after the expected work is done: " + grown);
    }

    /** The CPU limiter: more than half the CPU to the collector for a second per P switches assists off. */
    @Test
    void cpuLimiterSwitchesAssistsOff() {
        Go118Pacer p = pacer(100, 8 * MB);
        long now = 1_000_000_000L;
        long gc = 0;
        p.cpuSample(now, gc, 2);
        assertTrue(p.assistsAllowed());
        for (int i = 0; i < 3000 && p.assistsAllowed(); i++) {
            now += 1_000_000;
            gc += 1_800_000; // 90 % of 2 Ps
            p.cpuSample(now, gc, 2);
        }
        assertFalse(p.assistsAllowed(), "limiting after more than 2 CPU-seconds over 50 %");
        for (int i = 0; i < 3000 && !p.assistsAllowed(); i++) {
            now += 1_000_000;
            gc += 200_000;
            p.cpuSample(now, gc, 2);
        }
        assertTrue(p.assistsAllowed(), "the bucket drains when the program gets the CPU back");
    }
}
