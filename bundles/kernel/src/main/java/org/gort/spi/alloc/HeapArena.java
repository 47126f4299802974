package org.gort.spi.alloc;

import java.lang.foreign.MemorySegment;

/**
 * The heap's address range: one reservation of {@link #reservedBytes()} bytes, addressed by
 * {@code long} offsets, of which a prefix is committed. Address 0 is nil, so the first page is
 * never handed out: usable addresses start at {@link #PAGE_SIZE}.
 *
 * <p>The allocator's page heap grows by calling {@link #grow}, which commits whole arenas of
 * {@link #ARENA_BYTES} (Go's {@code heapArenaBytes} on 64-bit Linux), or less when the heap
 * limit is not a multiple of it. Committed ranges are contiguous, so a page heap may coalesce
 * a free run at the old end with the new range.
 */
public interface HeapArena {
    /** Go's {@code _PageShift}. */
    int PAGE_SHIFT = 13;
    /** Go's {@code _PageSize}: 8 KiB. */
    long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** Go's {@code heapArenaBytes} on 64-bit Linux: 64 MiB. */
    long ARENA_BYTES = 64L << 20;

    /** The heap limit: the size of the reservation. */
    long reservedBytes();

    /** End of the committed prefix; addresses in {@code [PAGE_SIZE, committedEnd())} are usable. */
    long committedEnd();

    /** Number of arenas committed so far. */
    int arenasCommitted();

    /**
     * Go's {@code sysAlloc}: commits enough further arenas to hold at least {@code minBytes}
     * and returns the start of the newly committed range (which then ends at
     * {@link #committedEnd()}), or 0 when the heap limit leaves less than {@code minBytes}.
     * Callers serialise calls under their page-heap lock.
     */
    long grow(long minBytes);

    /** The memory itself, for allocators that touch it directly. */
    MemorySegment memory();

    /** Zeroes {@code [addr, addr + len)}. */
    void zero(long addr, long len);

    /**
     * Go's {@code sysUnused}: gives the physical memory behind the whole pages of
     * {@code [addr, addr + len)} back to the operating system. The range stays reserved, reads
     * as zero afterwards, and is committed again when next touched. Returns false, having done
     * nothing, where the heap cannot do it (its memory was allocated and zeroed up front).
     */
    default boolean release(long addr, long len) {
        return false;
    }

    /**
     * Fills {@code [addr, addr + len)} with the {@code clobberfree} poison pattern
     * ({@code 0xdeadbeef} words); any later access to an object there fails with a clear error.
     */
    void poison(long addr, long len);
}
