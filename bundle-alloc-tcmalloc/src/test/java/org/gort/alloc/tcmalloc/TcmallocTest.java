package org.gort.alloc.tcmalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.gort.api.Type;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.junit.jupiter.api.Test;

/** What makes tcmalloc Go's allocator, beyond the conformance kit. */
class TcmallocTest {
    private static final Type WORD = Type.register("tcmalloc.Word", 0, 4);
    private static final Type TRIPLE = Type.register("tcmalloc.Triple", 0, 8);
    private static final Type EMPTY = Type.register("tcmalloc.Empty", 0, 0);

    private static ManagedHeap heap(int procs) {
        return new ManagedHeap(new TcmallocStrategy(), new ManagedHeap.Options(256L << 20, procs));
    }

    @Test
    void requestsAreRoundedToTheirSizeClass() {
        try (ManagedHeap heap = heap(1)) {
            Allocator a = heap.allocator();
            long[][] cases = {{8, 8}, {9, 16}, {17, 24}, {24, 24}, {25, 32}, {33, 48}, {1025, 1152}, {32768, 32768}, {32769, 40960}};
            for (long[] c : cases) {
                long addr = a.allocate(c[0], false, 0);
                assertEquals(c[1], a.blockSize(addr), c[0] + " bytes");
            }
            AllocStats s = heap.stats();
            assertEquals(2, s.sizeClasses().get(3).allocs(), "17 and 24 bytes both went to class 3 (24 bytes)");
            assertEquals(24 - 17 + 24 - 24, s.sizeClasses().get(3).internalWaste());
            assertEquals(1, s.sizeClasses().get(4).allocs(), "25 bytes went to class 4 (32 bytes)");
            assertEquals(40960 - 32769, s.sizeClasses().get(0).internalWaste(), "a large object wastes its last page's tail");
        }
    }

    @Test
    void sweepFreesExactlyTheUnmarkedObjectsOfEverySize() {
        // small classes share a mark word between objects, larger ones do not
        long[] sizes = {8, 16, 24, 48, 128, 240, 256, 512, 1024};
        for (long size : sizes) {
            try (ManagedHeap heap = heap(1)) {
                Allocator a = heap.allocator();
                int n = 500;
                long[] objs = new long[n];
                for (int i = 0; i < n; i++) {
                    objs[i] = a.allocate(size, false, 0);
                    if (i % 3 == 1 || i % 7 == 0) {
                        heap.markBitmap().mark(objs[i]);
                    }
                }
                a.releaseCache(0);
                a.sweepNow();
                for (int i = 0; i < n; i++) {
                    boolean marked = i % 3 == 1 || i % 7 == 0;
                    assertEquals(marked, a.isAllocated(objs[i]), size + "-byte object " + i + (marked ? " is marked" : " is not marked"));
                }
            }
        }
    }

    @Test
    void aFinishedSweepLeavesNoSpanToSweepWhenTheNextCycleBegins() {
        // startSweepCycle does not check this inside the pause: it holds by construction
        try (ManagedHeap heap = heap(2)) {
            TcmallocAllocator a = (TcmallocAllocator) heap.allocator();
            for (int cycle = 0; cycle < 3; cycle++) {
                for (int i = 0; i < 4000; i++) {
                    long addr = a.allocate(8L << (i % 10), i % 2 == 0, i % 2);
                    if (i % 3 == 0) {
                        heap.markBitmap().mark(addr);
                    }
                }
                a.allocate(100_000, false, 0); // a large object: class 0's full set
                a.startSweepCycle();
                assertFalse(a.everySpanSwept(), "cycle " + cycle + ": a new cycle begins with every span unswept");
                a.finishSweep();
                assertTrue(a.everySpanSwept(), "cycle " + cycle + ": the sweep left a span in an unswept set");
            }
        }
    }

    @Test
    void aSecondSweepOverSurvivorsAndNewObjectsFreesExactlyTheUnmarkedOnesOfEverySmallClass() {
        // the second cycle's spans hold survivors (alloc bits) and objects allocated after the
        // sweep (some below freeindex, some by their alloc bit), several spans per class
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES && SizeClasses.CLASS_TO_SIZE[c] <= 512; c++) {
            long size = SizeClasses.CLASS_TO_SIZE[c];
            try (ManagedHeap heap = heap(1)) {
                Allocator a = heap.allocator();
                int n = 3 * SizeClasses.CLASS_TO_NELEMS[c] + 5;
                long[] objs = new long[2 * n];
                for (int i = 0; i < n; i++) {
                    objs[i] = a.allocate(size, false, 0);
                    if (i % 5 != 2) {
                        heap.markBitmap().mark(objs[i]);
                    }
                }
                a.releaseCache(0);
                a.sweepNow();
                for (int i = n; i < 2 * n; i++) {
                    objs[i] = a.allocate(size, false, 0);
                }
                IntPredicate kept = i -> i < n ? i % 5 != 2 && i % 3 != 0 : i % 4 == 1;
                for (int i = 0; i < 2 * n; i++) {
                    if (kept.test(i)) {
                        heap.markBitmap().mark(objs[i]);
                    }
                }
                a.releaseCache(0);
                a.sweepNow();
                for (int i = 0; i < 2 * n; i++) {
                    if (i < n && i % 5 == 2) {
                        continue; // freed by the first sweep: its slot went to a new object
                    }
                    assertEquals(kept.test(i), a.isAllocated(objs[i]), size + "-byte object " + i);
                }
            }
        }
    }

    @Test
    void freedObjectsOfASpanWithSurvivorsComeBackZeroedAndSurvivorsKeepTheirBytes() {
        // Runs of free objects that start and end inside and across the alloc bits' 64-object
        // words, single free objects at a word's first and last bit, and a survivor last.
        List<IntPredicate> survives = List.of(
                i -> (i / 37) % 2 == 0 && i % 5 != 1,
                i -> i % 64 != 0 && i % 64 != 63 && (i % 64 < 10 || i % 64 > 20));
        for (IntPredicate kept : survives) {
            for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
                long size = SizeClasses.CLASS_TO_SIZE[c];
                try (ManagedHeap heap = heap(1)) {
                    Allocator a = heap.allocator();
                    MemorySegment mem = heap.arena().memory();
                    int n = 2 * SizeClasses.CLASS_TO_NELEMS[c] + 3;
                    long[] objs = new long[n];
                    int survivors = 0;
                    for (int i = 0; i < n; i++) {
                        objs[i] = a.allocate(size, false, 0);
                        mem.asSlice(objs[i], size).fill((byte) 0xAB);
                        if (kept.test(i) || i == n - 1) {
                            heap.markBitmap().mark(objs[i]);
                            survivors++;
                        }
                    }
                    a.releaseCache(0);
                    a.sweepNow();
                    for (int i = 0; i < n - survivors; i++) {
                        long x = a.allocate(size, false, 0);
                        for (long off = 0; off < size; off += 8) {
                            assertEquals(0, mem.get(ValueLayout.JAVA_LONG_UNALIGNED, x + off),
                                    size + "-byte object at offset " + off + " of a reused slot");
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        if (kept.test(i) || i == n - 1) {
                            assertEquals((byte) 0xAB, mem.get(ValueLayout.JAVA_BYTE, objs[i] + size - 1),
                                    size + "-byte survivor " + i + " lost its bytes");
                        }
                    }
                }
            }
        }
    }

    @Test
    void thePageHeapTakesTheShortestFreeRunThatFitsAndTheLowestAmongEquals() {
        long page = org.gort.spi.alloc.HeapArena.PAGE_SIZE;
        try (ManagedHeap heap = heap(1)) {
            Allocator a = heap.allocator();
            long[] objs = new long[24];
            for (int i = 0; i < objs.length; i++) {
                objs[i] = a.allocate(5 * page, true, 0); // a large object: a span of 5 pages
            }
            for (int i = 1; i < objs.length; i++) {
                assertEquals(objs[i - 1] + 5 * page, objs[i], "fresh spans are carved in address order");
            }
            // free runs of 5 (objects 2, 9, 17), 10 (5-6) and 15 (12-14) pages
            java.util.Set<Integer> freed = java.util.Set.of(2, 5, 6, 9, 12, 13, 14, 17);
            for (int i = 0; i < objs.length; i++) {
                if (!freed.contains(i)) {
                    heap.markBitmap().mark(objs[i]);
                }
            }
            a.sweepNow();
            assertEquals(objs[2], a.allocate(5 * page, true, 0), "the lowest of the 5-page runs");
            assertEquals(objs[9], a.allocate(4 * page + 1, true, 0), "then the next 5-page run");
            assertEquals(objs[5], a.allocate(9 * page, true, 0), "the 10-page run is the best fit for 9");
            assertEquals(objs[12], a.allocate(11 * page, true, 0), "the 15-page run for 11");
            assertEquals(objs[12] + 11 * page, a.allocate(4 * page, true, 0), "its 4-page rest for 4");
            assertEquals(objs[17], a.allocate(5 * page, true, 0), "the last 5-page run");
            assertEquals(objs[23] + 5 * page, a.allocate(5 * page, true, 0), "then the free tail of the arena");
        }
    }

    @Test
    void twoObjectsWithAFourBytePayloadShareOneTinyBlock() {
        try (ManagedHeap heap = heap(1)) {
            Allocator a = heap.allocator();
            long x = heap.alloc(null, 0, WORD);
            long y = heap.alloc(null, 0, WORD);
            assertEquals(x + 8, y);
            assertEquals(a.blockStart(x), a.blockStart(y));
            assertEquals(16, a.blockSize(x));
            long z = heap.alloc(null, 0, TRIPLE); // 12 bytes: does not fit the 0 bytes left, new block
            assertNotEquals(a.blockStart(x), a.blockStart(z));
            long w = heap.alloc(null, 0, EMPTY); // 4 bytes, 4-aligned: fits the 4 bytes left
            assertEquals(z + 12, w);
            long v = heap.alloc(null, 0, WORD); // 8 bytes are 8-aligned, as in Go: a new block
            assertEquals(a.blockStart(v), v);
            AllocStats s = heap.stats();
            assertEquals(5, s.objectsAllocated());
            assertEquals(2, s.tinyAllocs());
            assertEquals(3, s.blocksAllocated());
            assertEquals(48, s.bytesAllocated());
            assertEquals(8 + 8 + 12 + 4 + 8, s.bytesRequested());
        }
    }

    @Test
    void thePerPCacheTakesALockPerSpanNotPerObject() {
        try (ManagedHeap heap = heap(1)) {
            Allocator a = heap.allocator();
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                a.allocate(32, false, 0);
            }
            AllocStats s = heap.stats();
            // 256 objects per 32-byte span: one refill (cacheSpan + mheap.alloc) per span.
            long spans = (n + 255) / 256;
            assertEquals(spans, s.cacheRefills());
            assertTrue(s.allocationsPerLock() > 50, "allocations per lock: " + s.allocationsPerLock());
            assertTrue(s.lock("mheap").acquisitions() <= spans + 1, s.lock("mheap").toString());
        }
    }

    @Test
    void concurrentPsRefillFromSharedCentralsWithoutLosingObjects() throws Exception {
        int procs = 4;
        try (ManagedHeap heap = heap(procs)) {
            Allocator a = heap.allocator();
            List<Thread> ts = new ArrayList<>();
            for (int p = 0; p < procs; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < 30_000; i++) {
                            a.allocate(48, true, id);
                        }
                        a.releaseCache(id); // spans go back to the mcentral, others may take them
                    }
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            AllocStats s = heap.stats();
            assertEquals(procs * 90_000L, s.objectsAllocated());
            assertEquals(procs * 90_000L * 48, s.bytesAllocated());
            long blocks = 0;
            long[] count = {0};
            a.forEachAllocated((addr, size, tiny) -> count[0]++);
            blocks = count[0];
            assertEquals(procs * 90_000L, blocks);
        }
    }
}
