package org.gort.example.region;

import java.util.Arrays;

/**
 * One region: a run of pages that one P fills by bumping a pointer, or that holds one large
 * object. Its blocks are recorded in address order, so an interior pointer finds its block by
 * binary search.
 *
 * <p>Implementation notes: only the P that owns the region appends (the SPI gives each proc id
 * one thread at a time), while any thread may look blocks up. {@code starts} and {@code sizes}
 * are replaced by larger copies before an append writes past their end, and {@code count} is
 * written last: a reader that reads {@code count} first sees arrays that hold that many
 * blocks. A retired region (no owner) is never appended to again; only the sweeper, under the
 * allocator's lock, writes its {@code dead} marks.
 */
final class Region {
    final long start;
    final long end;
    final int npages;
    /** The bump pointer: the next block starts here (owner only). */
    long top;
    private volatile long[] starts = new long[32];
    private volatile long[] sizes = new long[32];
    private volatile int count;
    /** Blocks freed by sweeping; null until the first sweep that freed one. */
    private volatile boolean[] dead;
    /** Blocks allocated and not freed (owner while it bumps, then the sweeper). */
    int live;
    /** The heap's sweepgen when this region was last swept (under the allocator's lock). */
    long sweepgen;
    /** Position in the allocator's list of regions in use (under its lock). */
    int listIndex;

    Region(long start, int npages, long sweepgen) {
        this.start = start;
        this.npages = npages;
        this.end = start + npages * org.gort.spi.alloc.HeapArena.PAGE_SIZE;
        this.top = start;
        this.sweepgen = sweepgen;
    }

    /** Records the block {@code [addr, addr + size)} (owner only; blocks come in address order). */
    void append(long addr, long size) {
        int n = count;
        if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            sizes = Arrays.copyOf(sizes, n * 2);
        }
        starts[n] = addr;
        sizes[n] = size;
        count = n + 1;
        live++;
    }

    int count() {
        return count;
    }

    long startOf(int i) {
        return starts[i];
    }

    long sizeOf(int i) {
        return sizes[i];
    }

    boolean isDead(int i) {
        boolean[] d = dead;
        return d != null && d[i];
    }

    /** Frees block {@code i} (the sweeper, under the allocator's lock, of a retired region). */
    void kill(int i) {
        boolean[] d = dead;
        if (d == null) {
            d = new boolean[count];
        }
        d[i] = true;
        dead = d;
        live--;
    }

    /** The index of the live block containing {@code addr}, or -1. */
    int indexOf(long addr) {
        int c = count;
        long[] s = starts;
        long[] z = sizes;
        int lo = 0;
        int hi = c - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s[mid] <= addr) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0 || addr >= s[hi] + z[hi] || isDead(hi)) {
            return -1;
        }
        return hi;
    }
}
