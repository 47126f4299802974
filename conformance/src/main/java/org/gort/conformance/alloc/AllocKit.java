package org.gort.conformance.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gort.conformance.Kit;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.alloc.BlockVisitor;
import org.gort.spi.alloc.HeapArena;

/**
 * The allocator part of the conformance kit: every allocator strategy on the class path, and
 * standalone heaps to drive one directly, with explicit proc ids on real threads acting as Ps
 * (no scheduler involved).
 */
public final class AllocKit {
    private AllocKit() {
    }

    /** The names of every discovered allocator, for {@code @MethodSource}. */
    public static Stream<String> allocators() {
        List<String> names = Kit.catalog().allocators().stream().map(AllocatorStrategy::name).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no allocator strategy on the class path");
        }
        return names.stream();
    }

    public static AllocatorStrategy strategy(String name) {
        return Kit.catalog().allocator(name);
    }

    /** A heap of {@code maxHeap} bytes for {@code gomaxprocs} Ps using allocator {@code name}. */
    public static ManagedHeap heap(String name, long maxHeap, int gomaxprocs) {
        return new ManagedHeap(strategy(name), new ManagedHeap.Options(maxHeap, gomaxprocs));
    }

    public static ManagedHeap heap(String name, ManagedHeap.Options options) {
        return new ManagedHeap(strategy(name), options);
    }

    /** One allocated block as the allocator enumerates it. */
    public record Block(long addr, long size, boolean tiny) {
        public long end() {
            return addr + size;
        }
    }

    /** Every allocated block, in address order (world stopped: call when no thread allocates). */
    public static List<Block> blocks(ManagedHeap heap) {
        List<Block> out = new ArrayList<>();
        BlockVisitor v = (addr, size, tiny) -> out.add(new Block(addr, size, tiny));
        heap.allocator().forEachAllocated(v);
        out.sort((a, b) -> Long.compare(a.addr, b.addr));
        return out;
    }

    /**
     * Checks that {@code blocks} lie inside the committed heap, above the nil page, and do not
     * overlap; returns a description of the first violation, or null.
     */
    public static String overlapOrOutside(List<Block> blocks, long committedEnd) {
        long prevEnd = HeapArena.PAGE_SIZE;
        Block prev = null;
        for (Block b : blocks) {
            if (b.addr < HeapArena.PAGE_SIZE || b.end() > committedEnd) {
                return String.format("block [0x%x, 0x%x) outside the committed heap [0x%x, 0x%x)", b.addr, b.end(),
                        HeapArena.PAGE_SIZE, committedEnd);
            }
            if (b.addr < prevEnd) {
                return String.format("block [0x%x, 0x%x) overlaps [0x%x, 0x%x)", b.addr, b.end(), prev.addr, prev.end());
            }
            prevEnd = b.end();
            prev = b;
        }
        return null;
    }
}
