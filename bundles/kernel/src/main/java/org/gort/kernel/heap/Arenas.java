package org.gort.kernel.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.gort.spi.alloc.HeapArena;

/**
 * The heap's reservation and the arenas committed in it so far (Go's {@code mheap.arenas} and
 * {@code sysAlloc}). The reservation is the heap limit, taken once; arenas of 64 MiB (the last
 * one smaller when the limit is not a multiple of 64 MiB) are committed from the bottom up as
 * the allocator's page heap grows, so committed memory is always the prefix
 * {@code [0, committedEnd)}, of which the first page is never handed out (address 0 is nil).
 *
 * <p>"Committing" is bookkeeping plus the guarantee that the allocator stays inside the limit:
 * the pages themselves are committed by the operating system when first touched (see
 * {@link Reservation}).
 */
final class Arenas implements HeapArena {
    private static final int POISON = 0xdeadbeef;
    private static final int POISON_CHUNK = 4096;
    /** Blocks up to this many bytes are zeroed by long stores (see {@link #zero}). */
    private static final long SMALL_ZERO = 64;
    /** Zeroes are copied from this many zero bytes at a time (see {@link #zero}). */
    private static final int ZERO_CHUNK = 64 << 10;

    private final MemorySegment memory;
    private final long reserved;
    /** The machine address of the first word (see {@link RawMemory}). */
    private final long origin;
    private final MemorySegment poisonChunk;
    private final MemorySegment zeroChunk;
    private volatile long committedEnd;
    private volatile int arenas;

    Arenas(Arena owner, long maxHeapBytes) {
        this.reserved = maxHeapBytes & -PAGE_SIZE;
        if (reserved < 2 * PAGE_SIZE) {
            throw new IllegalArgumentException("the heap limit must be at least two pages (16 KiB), got "
                    + maxHeapBytes + " bytes");
        }
        if (reserved > ObjectLayout.MAX_HEAP_BYTES) {
            throw new IllegalArgumentException("the heap limit must be at most 16 GiB (a pointer slot holds a 32-bit"
                    + " compressed address), got " + maxHeapBytes + " bytes");
        }
        this.memory = Reservation.reserve(owner, reserved);
        this.origin = memory.address();
        this.poisonChunk = owner.allocate(POISON_CHUNK, 8);
        this.zeroChunk = owner.allocate(ZERO_CHUNK, 8); // Arena.allocate zero-fills
        for (long off = 0; off < POISON_CHUNK; off += 4) {
            poisonChunk.set(ValueLayout.JAVA_INT_UNALIGNED, off, POISON);
        }
    }

    @Override
    public long reservedBytes() {
        return reserved;
    }

    @Override
    public long committedEnd() {
        return committedEnd;
    }

    @Override
    public int arenasCommitted() {
        return arenas;
    }

    @Override
    public synchronized long grow(long minBytes) {
        if (minBytes <= 0) {
            throw new IllegalArgumentException("grow needs a positive size, got " + minBytes);
        }
        long end = committedEnd;
        long start = end == 0 ? PAGE_SIZE : end;
        if (minBytes > reserved - start) {
            return 0;
        }
        long need = start + minBytes;
        int n = arenas;
        do {
            end = Math.min(reserved, end + ARENA_BYTES);
            n++;
        } while (end < need);
        arenas = n;
        committedEnd = end;
        return start;
    }

    @Override
    public MemorySegment memory() {
        return memory;
    }

    @Override
    public void zero(long addr, long len) {
        // A small 8-byte aligned block (every size class of a scan object, and tiny blocks: most
        // of what mallocgc zeroes) takes a few long stores, not a bulk copy's dispatch.
        if (len <= SMALL_ZERO && ((addr | len) & 7) == 0) {
            if (addr < 0 || addr > reserved - len) {
                throw new IndexOutOfBoundsException(String.format(
                        "zero [0x%x, +%d): outside the heap [0x0, 0x%x)", addr, len, reserved));
            }
            for (long off = 0; off < len; off += 8) {
                RawMemory.putLong(origin + addr + off, 0L);
            }
            return;
        }
        // A copy from a zero chunk rather than asSlice(addr, len).fill: the slice is a Java object
        // per call (escape analysis does not remove it), and spans are zeroed millions of times.
        long end = addr + len;
        while (addr < end) {
            long n = Math.min(ZERO_CHUNK, end - addr);
            MemorySegment.copy(zeroChunk, 0, memory, addr, n);
            addr += n;
        }
    }

    @Override
    public boolean release(long addr, long len) {
        return Reservation.release(memory, addr, len);
    }

    @Override
    public void poison(long addr, long len) {
        long end = addr + len;
        while (addr < end) {
            long n = Math.min(POISON_CHUNK, end - addr);
            MemorySegment.copy(poisonChunk, 0, memory, addr, n);
            addr += n;
        }
    }
}
