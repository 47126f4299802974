package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.gort.conformance.alloc.AllocKit.Block;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.HeapArena;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request size gets a block of its own: inside the committed heap, aligned as the SPI
 * promises, zeroed, and overlapping no other block. Sizes 1 byte to 33 KiB are each tried
 * (every small size class and the step into large objects), then large sizes up to 1 MiB;
 * batches are swept away between rounds so freed memory is reused and must come back zeroed.
 */
class AllocatorAddressesTest {
    private static final int BATCH = 2048;
    private static final int LAST_SMALL_SIZE = 33 * 1024;

    record Got(long addr, long size) {
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void everySizeFromOneByteTo33KiBGetsItsOwnAlignedZeroedBlock(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 1L << 30, 1)) {
            for (boolean noscan : new boolean[] {false, true}) {
                for (int from = 1; from <= LAST_SMALL_SIZE; from += BATCH) {
                    List<Got> batch = new ArrayList<>();
                    for (long size = from; size < from + BATCH && size <= LAST_SMALL_SIZE; size++) {
                        batch.add(allocateChecked(heap, size, noscan));
                    }
                    verifyBatch(heap, batch);
                    heap.allocator().sweepNow();
                    assertEquals(0, heap.stats().blocksInUse(), "nothing was marked, so the sweep frees every block");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void largeSizesUpTo1MiBGetTheirOwnBlocks(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 1L << 30, 1)) {
            List<Long> sizes = new ArrayList<>();
            for (long s = 32 * 1024 + 1; s <= (1 << 20); s += 4093) {
                sizes.add(s);
            }
            sizes.add((long) (1 << 20) - 1);
            sizes.add((long) (1 << 20));
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < sizes.size(); i += 64) {
                    List<Got> batch = new ArrayList<>();
                    for (long size : sizes.subList(i, Math.min(sizes.size(), i + 64))) {
                        batch.add(allocateChecked(heap, size, round == 1));
                    }
                    verifyBatch(heap, batch);
                    heap.allocator().sweepNow();
                }
            }
            assertEquals(0, heap.stats().bytesInUse());
        }
    }

    static long requiredAlignment(long size, boolean noscan) {
        return noscan && size < 16 && size % 8 != 0 ? 4 : 8;
    }

    private static Got allocateChecked(ManagedHeap heap, long size, boolean noscan) {
        Allocator a = heap.allocator();
        long addr = a.allocate(size, noscan, 0);
        assertNotEquals(0, addr, "allocation of " + size + " bytes failed in a 1 GiB heap");
        long align = requiredAlignment(size, noscan);
        if (addr % align != 0) {
            fail(String.format("%d-byte %s block at 0x%x is not %d-byte aligned", size, noscan ? "noscan" : "scan", addr,
                    align));
        }
        MemorySegment mem = heap.arena().memory();
        assertZero(mem, addr, size);
        // Fill the whole block with a tag of this size so any overlap shows in the check below.
        mem.asSlice(addr, size).fill(tag(size));
        assertTrue(a.isAllocated(addr), "isAllocated is false for a block just allocated at 0x" + Long.toHexString(addr));
        assertTrue(a.blockSize(addr) >= size, "blockSize " + a.blockSize(addr) + " < requested " + size);
        return new Got(addr, size);
    }

    private static byte tag(long size) {
        return (byte) (size * 31 + 7);
    }

    private static void assertZero(MemorySegment mem, long addr, long size) {
        long step = size <= 4096 ? 1 : 509;
        for (long off = 0; off < size; off += step) {
            if (mem.get(ValueLayout.JAVA_BYTE, addr + off) != 0) {
                fail(String.format("block of %d bytes at 0x%x is not zeroed at offset %d", size, addr, off));
            }
        }
        if (mem.get(ValueLayout.JAVA_BYTE, addr + size - 1) != 0) {
            fail(String.format("block of %d bytes at 0x%x is not zeroed at its last byte", size, addr));
        }
    }

    private static void verifyBatch(ManagedHeap heap, List<Got> batch) {
        MemorySegment mem = heap.arena().memory();
        List<Block> requested = new ArrayList<>();
        for (Got g : batch) {
            requested.add(new Block(g.addr, g.size, false));
            byte t = tag(g.size);
            long[] probes = {0, g.size / 2, g.size - 1};
            for (long off : probes) {
                byte b = mem.get(ValueLayout.JAVA_BYTE, g.addr + off);
                if (b != t) {
                    fail(String.format("block of %d bytes at 0x%x was overwritten at offset %d (0x%02x, expected 0x%02x)",
                            g.size, g.addr, off, b, t));
                }
            }
        }
        requested.sort((x, y) -> Long.compare(x.addr(), y.addr()));
        assertNull(AllocKit.overlapOrOutside(requested, heap.arena().committedEnd()));
        assertNull(AllocKit.overlapOrOutside(AllocKit.blocks(heap), heap.arena().committedEnd()));
        assertTrue(heap.arena().committedEnd() <= heap.arena().reservedBytes());
        assertTrue(requested.get(0).addr() >= HeapArena.PAGE_SIZE, "address in the nil page");
    }
}
