package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gort.api.RuntimeConfig;
import org.junit.jupiter.api.Test;

/**
 * GOGC and GOMEMLIMIT move the number of collection cycles the way they move Go's: a lower
 * GOGC collects more often, GOGC=off not at all, and a memory limit below the heap GOGC would
 * grow to brings the cycles back (Go 1.19's soft limit). Counts, not times: the allocation of
 * binary-trees is the same in every run, so its cycle counts order by the goal alone.
 */
class GcKnobsTest {
    private static final List<String> ARGS = List.of("n=14");

    private static long cycles(RuntimeConfig.Builder b) {
        Runs.Outcome o = Runs.runAndPass("binary-trees", b.build(), ARGS);
        return (long) o.metric("gc.cycles");
    }

    private static RuntimeConfig.Builder base() {
        return Runs.config("gmp", 2).allocator("tcmalloc").collector("hybrid");
    }

    @Test
    void aLowerGogcCollectsMoreOftenAndOffNotAtAll() {
        long at25 = cycles(base().gogc(25));
        long at100 = cycles(base().gogc(100));
        long at400 = cycles(base().gogc(400));
        assertTrue(at25 > at100 && at100 > at400, "GOGC 25/100/400 gave " + at25 + "/" + at100 + "/" + at400 + " cycles");
        assertEquals(0, cycles(base().gogc(RuntimeConfig.GOGC_OFF)), "GOGC=off without a limit starts no cycle");
    }

    @Test
    void aMemoryLimitCollectsWhereGogcWouldNot() {
        long off = cycles(base().gogc(RuntimeConfig.GOGC_OFF).memoryLimitBytes(16L << 20));
        assertTrue(off > 0, "GOGC=off with GOMEMLIMIT=16MiB must collect, gave " + off + " cycles");
        long free = cycles(base().gogc(400));
        long limited = cycles(base().gogc(400).memoryLimitBytes(8L << 20));
        assertTrue(limited > free, "GOGC=400 with GOMEMLIMIT=8MiB gave " + limited + " cycles, without it " + free);
        Runs.Outcome o = Runs.runAndPass("binary-trees", base().gogc(400).memoryLimitBytes(8L << 20).build(), ARGS);
        assertTrue(o.metric("gc.cycles.limited") > 0, "the limit's goal must have set some cycles' goal");
        assertEquals(8L << 20, (long) o.metric("gc.memory.limit.bytes"));
    }
}
