package org.gort.alloc.globalfreelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gort.api.Type;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.junit.jupiter.api.Test;

/** What makes the baseline the baseline: power-of-two buckets, one lock per operation, no tiny blocks. */
class GlobalFreeListTest {
    private static final Type WORD = Type.register("freelist.Word", 0, 4);

    private static ManagedHeap heap(long max, int procs) {
        return new ManagedHeap(new GlobalFreeListStrategy(), new ManagedHeap.Options(max, procs));
    }

    @Test
    void requestsAreRoundedToPowersOfTwo() {
        try (ManagedHeap heap = heap(64L << 20, 1)) {
            Allocator a = heap.allocator();
            long[][] cases = {{1, 8}, {8, 8}, {9, 16}, {24, 32}, {33, 64}, {1025, 2048}, {32768, 32768}, {32769, 40960}};
            for (long[] c : cases) {
                assertEquals(c[1], a.blockSize(a.allocate(c[0], false, 0)), c[0] + " bytes");
            }
        }
    }

    @Test
    void everyAllocationTakesTheGlobalLockAndThereAreNoTinyBlocks() {
        try (ManagedHeap heap = heap(64L << 20, 2)) {
            Allocator a = heap.allocator();
            long x = heap.alloc(null, 0, WORD);
            long y = heap.alloc(null, 1, WORD);
            assertNotEquals(a.blockStart(x), a.blockStart(y));
            for (int i = 0; i < 10_000; i++) {
                a.allocate(40, false, i & 1);
            }
            AllocStats s = heap.stats();
            assertEquals(10_002, s.objectsAllocated());
            assertEquals(10_002, s.lock("global").acquisitions());
            assertEquals(1.0, s.allocationsPerLock());
            assertEquals(0, s.cacheRefills());
            assertEquals(0, s.tinyAllocs());
        }
    }

    @Test
    void staleFreeListEntriesNeverHandABlockOutTwice() {
        // Runs are freed while their blocks' entries stay in the free lists; pages are then
        // reused by runs of the same and of other buckets. Every live block must be unique.
        try (ManagedHeap heap = heap(16L << 20, 1)) {
            Allocator a = heap.allocator();
            for (int round = 0; round < 6; round++) {
                List<Long> kept = new ArrayList<>();
                for (int i = 0; i < 4000; i++) {
                    long size = round % 2 == 0 ? 16 : (i % 2 == 0 ? 16 : 2048);
                    long addr = a.allocate(size, true, 0);
                    assertNotEquals(0, addr);
                    if (i % 7 == 0) {
                        kept.add(addr);
                        heap.markBitmap().mark(addr);
                    }
                }
                a.sweepNow();
                Set<Long> seen = new HashSet<>();
                long[] blocks = {0};
                a.forEachAllocated((addr, size, tiny) -> {
                    assertTrue(seen.add(addr), "block handed out twice");
                    blocks[0]++;
                });
                assertEquals(kept.size(), blocks[0]);
                assertTrue(seen.containsAll(kept));
                a.sweepNow();
            }
            assertEquals(0, heap.stats().bytesInUse());
        }
    }
}
