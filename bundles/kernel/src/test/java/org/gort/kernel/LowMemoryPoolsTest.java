package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The out-of-memory detector watches the old generation only: under the Parallel and Serial
 * collectors a survivor space, full after every young collection by design, has a maximum, and
 * a threshold on it ended healthy runs with "out of memory".
 */
class LowMemoryPoolsTest {
    @Test
    void youngPoolsOfEveryHotSpotCollectorAreLeftOut() {
        for (String young : List.of("G1 Eden Space", "G1 Survivor Space", "PS Eden Space", "PS Survivor Space",
                "Eden Space", "Survivor Space", "Par Eden Space", "Par Survivor Space", "ZGC Young Generation")) {
            assertTrue(LowMemory.isYoung(young), young);
        }
        for (String old : List.of("G1 Old Gen", "PS Old Gen", "Tenured Gen", "CMS Old Gen", "ZGC Old Generation",
                "ZHeap", "Shenandoah", "Shenandoah Old Gen", "Epsilon Heap")) {
            assertFalse(LowMemory.isYoung(old), old);
        }
    }

    @Test
    void thisJvmHasAnOldPoolToWatch() {
        assertTrue(ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                .map(MemoryPoolMXBean::getName).anyMatch(n -> !LowMemory.isYoung(n)),
                "no old-generation pool with a collection-usage threshold");
    }
}
