package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gort.conformance.alloc.AllocKit.Block;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.SizeClassStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** An allocator's counters agree with each other and with what it enumerates. */
class AllocStatsTest {

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void countersAddUpAcrossAllocationAndSweeping(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 512L << 20, 2)) {
            Allocator a = heap.allocator();
            SplittableRandom r = new SplittableRandom(11);
            long objects = 0;
            long requested = 0;
            for (int round = 0; round < 3; round++) {
                List<Long> addrs = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    long size = ConcurrentPatternsTest.pickSize(r);
                    addrs.add(a.allocate(size, r.nextBoolean(), i & 1));
                    objects++;
                    requested += size;
                }
                for (int i = 0; i < addrs.size(); i += 3) {
                    heap.markBitmap().mark(addrs.get(i));
                }
                a.sweepNow();
                check(heap, objects, requested);
            }
        }
    }

    private static void check(ManagedHeap heap, long objects, long requested) {
        AllocStats s = heap.stats();
        List<Block> blocks = AllocKit.blocks(heap);
        assertEquals(objects, s.objectsAllocated());
        assertEquals(requested, s.bytesRequested());
        assertEquals(blocks.size(), s.blocksInUse(), "blocks allocated - blocks freed = blocks enumerated");
        assertEquals(blocks.stream().mapToLong(Block::size).sum(), s.bytesInUse(),
                "bytes allocated - bytes freed = bytes of the blocks enumerated");
        assertEquals(s.bytesInUse(), heap.allocator().bytesInUse(), "the memory limit's figure is the counters' difference");
        long allocs = 0;
        long frees = 0;
        long req = 0;
        for (SizeClassStats c : s.sizeClasses()) {
            allocs += c.allocs();
            frees += c.frees();
            req += c.requestedBytes();
            assertTrue(c.internalWaste() >= 0, "negative waste in class " + c);
            if (c.sizeClass() != 0) {
                assertEquals(c.allocs() * c.blockSize() - c.requestedBytes(), c.internalWaste(), c.toString());
            }
        }
        assertEquals(s.blocksAllocated(), allocs);
        assertEquals(s.blocksFreed(), frees);
        assertEquals(s.bytesRequested(), req);
        assertTrue(s.bytesInSpans() >= s.bytesInUse());
        assertTrue(s.bytesCommitted() >= s.bytesInSpans());
        assertTrue(s.arenasCommitted() >= 1 && s.heapGrowths() >= 1);
        assertTrue(s.lockAcquisitions() > 0);
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void internalWasteIsTheRoundingOfEveryRequest(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 512L << 20, 1)) {
            Allocator a = heap.allocator();
            long expected = 0;
            for (long size = 8; size <= 70_000; size += 37) {
                long addr = a.allocate(size, false, 0);
                expected += a.blockSize(addr) - size;
            }
            assertEquals(expected, heap.stats().internalWaste());
        }
    }
}
