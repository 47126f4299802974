package org.gort.alloc.globalfreelist;

import org.gort.spi.alloc.HeapArena;

/**
 * A run of pages: either carved into blocks of one power-of-two bucket, or holding one large
 * object. All fields are guarded by the allocator's global lock, except that lookups for
 * {@code isAllocated} read them without it (a diagnostic path; see the allocator).
 */
final class Run {
    final long start;
    final int npages;
    /** Bucket index, or -1 for a large object. */
    final int bucket;
    final long elemSize;
    final int nelems;
    final long[] allocBits;
    int allocCount;
    int sweepgen;
    boolean inUse = true;
    /** Some free block may hold old data (poison, or a freed object): zero blocks on allocation. */
    boolean needzero;
    /** Position in the allocator's list of in-use runs. */
    int listIndex;

    Run(long start, int npages, int bucket, long elemSize, int sweepgen) {
        this.start = start;
        this.npages = npages;
        this.bucket = bucket;
        this.elemSize = elemSize;
        this.nelems = bucket < 0 ? 1 : (int) (npages * HeapArena.PAGE_SIZE / elemSize);
        this.allocBits = new long[(nelems + 63) >>> 6];
        this.sweepgen = sweepgen;
    }

    long bytes() {
        return npages * HeapArena.PAGE_SIZE;
    }

    boolean isAllocated(int i) {
        return (allocBits[i >>> 6] & (1L << i)) != 0;
    }

    void setAllocated(int i, boolean on) {
        if (on) {
            allocBits[i >>> 6] |= 1L << i;
        } else {
            allocBits[i >>> 6] &= ~(1L << i);
        }
    }

    /** Index of the block starting at {@code addr}, or -1 if no block starts there. */
    int indexOf(long addr) {
        long off = addr - start;
        if (off < 0 || off >= (long) nelems * elemSize || off % elemSize != 0) {
            return -1;
        }
        return (int) (off / elemSize);
    }
}
