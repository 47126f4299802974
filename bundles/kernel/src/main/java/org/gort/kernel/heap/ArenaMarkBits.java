package org.gort.kernel.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.gort.spi.heap.MarkBitmap;

/**
 * The mark bitmap: one bit per 4-byte granule of the whole reservation, in 64-bit words kept
 * off the Java heap (1/32 of the heap limit, committed lazily like the heap itself).
 *
 * <p>Implementation notes: {@link #mark} reads the word first and only then does an atomic OR,
 * so re-marking a marked object (the common case late in a mark phase) writes nothing, like
 * Go's {@code greyobject}. {@link #clear} fills whole words plainly and uses atomic AND-NOT on
 * partial edge words, so clearing one span never loses a concurrent mark in a neighbouring span
 * that shares a word; spans start on page boundaries, which are word boundaries here, so the
 * edges are empty in practice.
 */
final class ArenaMarkBits implements MarkBitmap {
    private static final int GRANULE_SHIFT = 2;

    /** Bytes of zeroes {@link #clear} copies at a time: the bits of 128 KiB of heap. */
    private static final int ZERO_CHUNK = 4096;

    private final MemorySegment bits;
    private final MemorySegment zeroChunk;
    private final long limit;
    /** The machine address of the first word (see {@link RawMemory}). */
    private final long origin;

    ArenaMarkBits(Arena owner, long heapBytes) {
        this.limit = heapBytes;
        long words = (heapBytes >>> GRANULE_SHIFT + 6) + 1;
        this.bits = Reservation.reserve(owner, words * 8);
        // Huge pages where the kernel gives them on request: a marker reads the bits of objects
        // spread over the whole heap, and a 4 KiB page of bits covers only 128 KiB of heap, so
        // with small pages the walk misses the TLB on the bitmap as well as on the objects. The
        // bitmap is committed as before, on first touch, 2 MiB (64 MiB of heap) at a time.
        Reservation.adviseHugePages(bits);
        this.origin = bits.address();
        this.zeroChunk = owner.allocate(ZERO_CHUNK, 8); // Arena.allocate zero-fills
    }

    private static long wordOffset(long addr) {
        return (addr >>> (GRANULE_SHIFT + 6)) << 3;
    }

    private static long maskOf(long addr) {
        return 1L << ((addr >>> GRANULE_SHIFT) & 63);
    }

    private void check(long addr) {
        if (addr <= 0 || addr >= limit) {
            throw new IllegalArgumentException(String.format("mark bit of 0x%x: outside the heap [0x0, 0x%x)", addr, limit));
        }
    }

    @Override
    public boolean mark(long addr) {
        check(addr);
        long off = wordOffset(addr);
        long mask = maskOf(addr);
        if ((RawMemory.getLong(origin + off) & mask) != 0) {
            return false;
        }
        long old = RawMemory.getAndBitwiseOrLong(origin + off, mask);
        return (old & mask) == 0;
    }

    @Override
    public boolean isMarked(long addr) {
        check(addr);
        return (RawMemory.getLongAcquire(origin + wordOffset(addr)) & maskOf(addr)) != 0;
    }

    @Override
    public long word(long addr) {
        check(addr == 0 ? GRANULE : addr);
        return RawMemory.getLongAcquire(origin + wordOffset(addr));
    }

    /** Bit masks of the granules {@code [from, to)} within the word holding {@code from}. */
    private static long rangeMask(long fromBit, long toBitExclusive) {
        int lo = (int) (fromBit & 63);
        int hi = (int) (toBitExclusive - (fromBit & ~63L)); // 1..64
        long upper = hi == 64 ? -1L : (1L << hi) - 1;
        return upper & (-1L << lo);
    }

    @Override
    public boolean anyMarked(long addr, long len) {
        checkRange(addr, len);
        long bit = addr >>> GRANULE_SHIFT;
        long end = (addr + len + 3) >>> GRANULE_SHIFT;
        while (bit < end) {
            long wordEnd = Math.min(end, (bit & ~63L) + 64);
            long w = RawMemory.getLongAcquire(origin + ((bit >>> 6) << 3));
            if ((w & rangeMask(bit, wordEnd)) != 0) {
                return true;
            }
            bit = wordEnd;
        }
        return false;
    }

    @Override
    public long countMarked(long addr, long len) {
        checkRange(addr, len);
        long bit = addr >>> GRANULE_SHIFT;
        long end = (addr + len + 3) >>> GRANULE_SHIFT;
        long n = 0;
        while (bit < end) {
            long wordEnd = Math.min(end, (bit & ~63L) + 64);
            long w = RawMemory.getLongAcquire(origin + ((bit >>> 6) << 3));
            n += Long.bitCount(w & rangeMask(bit, wordEnd));
            bit = wordEnd;
        }
        return n;
    }

    @Override
    public void clear(long addr, long len) {
        checkRange(addr, len);
        long bit = addr >>> GRANULE_SHIFT;
        long end = (addr + len + 3) >>> GRANULE_SHIFT;
        // leading partial word
        if ((bit & 63) != 0 && bit < end) {
            long wordEnd = Math.min(end, (bit & ~63L) + 64);
            RawMemory.getAndBitwiseAndLong(origin + ((bit >>> 6) << 3), ~rangeMask(bit, wordEnd));
            bit = wordEnd;
        }
        long fullEnd = end & ~63L;
        if (bit < fullEnd) {
            // copied from a zero chunk: a slice to fill would be a Java object per span swept,
            // and word-by-word stores pay a bounds check each
            for (long off = (bit >>> 6) << 3, offEnd = (fullEnd >>> 6) << 3; off < offEnd; ) {
                long n = Math.min(ZERO_CHUNK, offEnd - off);
                MemorySegment.copy(zeroChunk, 0, bits, off, n);
                off += n;
            }
            bit = fullEnd;
        }
        if (bit < end) {
            RawMemory.getAndBitwiseAndLong(origin + ((bit >>> 6) << 3), ~rangeMask(bit, end));
        }
    }

    /** Returns the bitmap's pages to the operating system; it stays mapped and reads as zeros. */
    void release() {
        Reservation.release(bits, 0, bits.byteSize());
    }

    /** {@code [addr, addr + len)} lies in the heap: an allocator's wild span fails here, not in the JVM. */
    private void checkRange(long addr, long len) {
        if (addr < 0 || len < 0 || addr > limit - len) {
            throw new IllegalArgumentException(String.format(
                    "mark bits of [0x%x, +%d): outside the heap [0x0, 0x%x)", addr, len, limit));
        }
    }

    /** Clears the whole bitmap (a test or a collector resetting after a failed cycle). */
    void clearAll() {
        bits.fill((byte) 0);
    }
}
