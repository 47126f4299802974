package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.gort.api.Type;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.heap.MarkBitmap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sweeping frees exactly the unmarked blocks, clears the mark bits, and makes the space reusable. */
class SweepTest {
    private static final Type NODE = Type.register("conformance.SweepNode", 2, 16);
    private static final Type WORD = Type.register("conformance.SweepWord", 0, 4);

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void sweepFreesExactlyTheUnmarkedObjects(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 256L << 20, 1)) {
            Allocator a = heap.allocator();
            SplittableRandom r = new SplittableRandom(7);
            List<Long> objs = new ArrayList<>();
            Set<Long> marked = new HashSet<>();
            for (int i = 0; i < 20_000; i++) {
                // scan objects only: each has a block of its own
                long size = 16 + 8L * r.nextInt(i % 100 == 0 ? 10_000 : 100);
                long addr = a.allocate(size, false, 0);
                objs.add(addr);
                if (r.nextInt(3) == 0) {
                    heap.markBitmap().mark(addr);
                    marked.add(addr);
                }
            }
            long gen = a.sweepgen();
            a.sweepNow();
            assertEquals(gen + 2, a.sweepgen(), "sweepgen advances by 2 per cycle");
            assertTrue(a.sweepDone());
            assertEquals(-1, a.sweepOne(), "nothing is left to sweep");
            for (long addr : objs) {
                assertEquals(marked.contains(addr), a.isAllocated(addr),
                        () -> String.format("0x%x: marked=%s", addr, marked.contains(addr)));
            }
            Set<Long> enumerated = new HashSet<>();
            AllocKit.blocks(heap).forEach(b -> enumerated.add(b.addr()));
            assertEquals(marked, enumerated, "the allocated blocks after the sweep are exactly the marked ones");
            AllocStats s = heap.stats();
            assertEquals(objs.size() - marked.size(), s.blocksFreed());
            assertEquals(marked.stream().mapToLong(a::blockSize).sum(), s.bytesInUse());
            assertEquals(0, heap.markBitmap().countMarked(0, heap.arena().committedEnd()),
                    "sweeping clears the mark bits of every span");

            // A second cycle with nothing marked frees the rest.
            a.sweepNow();
            assertEquals(0, heap.stats().bytesInUse());
            assertEquals(0, AllocKit.blocks(heap).size());
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void freedSpaceIsReusedInsteadOfGrowingTheHeap(String allocator) {
        // An 8 MiB heap holds one round of 6 MiB of blocks, never two: the next must reuse the space.
        try (ManagedHeap heap = AllocKit.heap(allocator, 8L << 20, 1)) {
            Allocator a = heap.allocator();
            for (long size : new long[] {64, 1000, 3000, 20_000}) {
                for (int round = 0; round < 3; round++) {
                    long total = 0;
                    while (total < (6L << 20)) {
                        long addr = a.allocate(size, false, 0);
                        assertNotEquals(0, addr,
                                () -> "a round of " + size + "-byte objects failed: freed space was not reused");
                        total += a.blockSize(addr);
                    }
                    a.sweepNow();
                }
            }
            assertEquals(1, heap.stats().arenasCommitted());
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void largeObjectsReturnTheirPages(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 12L << 20, 1)) {
            Allocator a = heap.allocator();
            long before = heap.stats().bytesInSpans();
            List<Long> big = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                big.add(a.allocate(1 << 20, i % 2 == 0, 0));
            }
            assertTrue(heap.stats().bytesInSpans() - before >= 8L << 20);
            heap.markBitmap().mark(big.get(3));
            a.sweepNow();
            AllocStats s = heap.stats();
            assertTrue(s.bytesInSpans() - before < 2L << 20,
                    "7 of 8 large objects were freed, yet " + s.bytesInSpans() + " bytes stay in spans");
            assertTrue(a.isAllocated(big.get(3)));
            assertFalse(a.isAllocated(big.get(0)));
            // 8 more MiB fit only if the freed pages came back.
            for (int i = 0; i < 8; i++) {
                assertNotEquals(0, a.allocate(1 << 20, false, 0), "freed large-object pages were not reused");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void objectsSharingATinyBlockLiveAndDieTogether(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            Allocator a = heap.allocator();
            long x = heap.alloc(null, 0, WORD);
            long y = heap.alloc(null, 0, WORD);
            boolean shared = a.blockStart(x) == a.blockStart(y);
            heap.markBitmap().mark(y);
            a.sweepNow();
            assertTrue(a.isAllocated(y), "the marked object survives");
            assertEquals(shared, a.isAllocated(x), "an unmarked object survives exactly when it shares the marked one's block");
            a.sweepNow();
            assertFalse(a.isAllocated(x));
            assertFalse(a.isAllocated(y));
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void objectsAllocatedDuringALazySweepAreNotFreedByIt(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 2)) {
            Allocator a = heap.allocator();
            MarkBitmap marks = heap.markBitmap();
            List<Long> old = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                old.add(heap.alloc(null, i % 2, i % 3 == 0 ? WORD : NODE));
            }
            for (int i = 0; i < old.size(); i += 5) {
                marks.mark(old.get(i));
            }
            a.startSweepCycle();
            // Allocate before anything is swept: every refill must sweep before reuse.
            List<Long> young = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                young.add(heap.alloc(null, i % 2, i % 3 == 0 ? WORD : NODE));
            }
            a.finishSweep();
            for (long y : young) {
                assertTrue(a.isAllocated(y), () -> String.format("0x%x, allocated during the sweep, was freed by it", y));
                assertTrue(heap.looksLikeObject(y));
            }
            Set<Long> youngSet = new HashSet<>(young);
            for (int i = 0; i < old.size(); i += 5) {
                long o = old.get(i);
                assertTrue(a.isAllocated(o), "a marked object was freed");
                assertFalse(youngSet.contains(o), "a marked object's block was handed out again");
            }
            assertEquals(0, marks.countMarked(0, heap.arena().committedEnd()));
        }
    }
}
