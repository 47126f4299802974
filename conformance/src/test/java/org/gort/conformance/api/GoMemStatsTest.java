package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.GoMemStats;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/** {@code runtime.ReadMemStats} with Go's fields, read by a program before and after it allocates and collects. */
class GoMemStatsTest {
    @Test
    void memStatsCountAllocationsCyclesAndPausesAsGosDo() {
        AtomicReference<GoMemStats> before = new AtomicReference<>();
        AtomicReference<GoMemStats> after = new AtomicReference<>();
        RunResult r = Kit.run(Kit.config("gmp", 2).allocator("tcmalloc").collector("hybrid").build(), () -> {
            before.set(Heap.readMemStats());
            for (int i = 0; i < 1000; i++) {
                Heap.allocBytes(100);
            }
            Heap.gc();
            after.set(Heap.readMemStats());
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        GoMemStats a = after.get();
        assertTrue(a.mallocs() - before.get().mallocs() >= 1000, a.format());
        assertTrue(a.totalAlloc() - before.get().totalAlloc() >= 100_000, a.format());
        assertEquals(a.alloc(), a.heapAlloc());
        assertEquals(a.mallocs() - a.frees(), a.heapObjects());
        assertTrue(a.numGC() >= 1 && a.numForcedGC() >= 1, a.format());
        assertTrue(a.lastGC() > 0, a.format());
        assertEquals(a.lastGC(), a.pauseEnd()[(int) ((a.numGC() + 255) % 256)], "PauseEnd of the last cycle is LastGC");
        assertTrue(a.heapSys() >= a.heapInuse() && a.heapInuse() >= a.heapAlloc(), a.format());
        assertEquals(GoMemStats.SIZE_CLASSES, a.bySize().length);
        assertTrue(a.format().startsWith("# runtime.MemStats\n# Alloc = "), a.format());
        assertTrue(a.format().contains("\n# NumGC = " + a.numGC() + "\n"), a.format());
    }
}
