package org.gort.alloc.tcmalloc;

import java.util.Arrays;

/**
 * Which free pages have been given back to the operating system: Go's scavenged bits of the
 * page allocator ({@code pallocData.scavenged}), one bit per page. A page's bit is set only
 * while the page is free; allocating it clears the bit. Not thread-safe: the page heap uses it
 * under its lock.
 */
final class ScavengedPages {
    private long[] bits = new long[64];
    private long pages;

    /** Pages in the set. */
    long pages() {
        return pages;
    }

    /** Records {@code [start, start + n)}, which holds no scavenged page yet, as scavenged. */
    void add(long start, long n) {
        long end = start + n;
        int lastWord = (int) ((end - 1) >>> 6);
        if (lastWord >= bits.length) {
            bits = Arrays.copyOf(bits, Math.max(lastWord + 1, bits.length * 2));
        }
        for (long p = start; p < end; ) {
            int w = (int) (p >>> 6);
            long upto = Math.min(end, ((long) w + 1) << 6);
            bits[w] |= mask(p, upto);
            p = upto;
        }
        pages += n;
    }

    /** Takes {@code [start, start + n)} out of the set (the pages are being allocated); returns how many were in it. */
    long take(long start, long n) {
        long end = Math.min(start + n, (long) bits.length << 6);
        long taken = 0;
        for (long p = start; p < end; ) {
            int w = (int) (p >>> 6);
            long upto = Math.min(end, ((long) w + 1) << 6);
            long m = bits[w] & mask(p, upto);
            if (m != 0) {
                taken += Long.bitCount(m);
                bits[w] &= ~m;
            }
            p = upto;
        }
        pages -= taken;
        return taken;
    }

    /**
     * The highest run of pages in {@code [start, end)} that is not scavenged, as
     * {@code {from, to}}, or null if every page there is.
     */
    long[] highestGap(long start, long end) {
        long to = highestWith(start, end, false);
        if (to < 0) {
            return null;
        }
        long from = highestWith(start, to + 1, true);
        return new long[] {from < 0 ? start : from + 1, to + 1};
    }

    /** The highest page in {@code [start, end)} whose bit is {@code set}, or -1. */
    private long highestWith(long start, long end, boolean set) {
        for (long p = end; p > start; ) {
            int w = (int) ((p - 1) >>> 6);
            long lo = Math.max(start, (long) w << 6);
            long word = w < bits.length ? bits[w] : 0;
            long m = (set ? word : ~word) & mask(lo, p);
            if (m != 0) {
                return ((long) w << 6) + 63 - Long.numberOfLeadingZeros(m);
            }
            p = lo;
        }
        return -1;
    }

    /** The bits of pages {@code [from, to)}, which lie in one 64-page word. */
    private static long mask(long from, long to) {
        int hi = (int) (to - (from & ~63L)); // 1..64
        long upper = hi == 64 ? -1L : (1L << hi) - 1;
        return upper & (-1L << (from & 63));
    }
}
