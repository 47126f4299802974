package org.gort.alloc.tcmalloc;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which free pages have been given back to the operating system: Go's scavenged bits of the
 * page allocator ({@code pallocData.scavenged}), kept as disjoint, coalesced runs of pages.
 * A page is in a run only while it is free; allocating it takes it out. Not thread-safe: the
 * page heap uses it under its lock.
 */
final class ScavengedPages {
    private final TreeMap<Long, Long> runs = new TreeMap<>(); // first page -> number of pages
    private long pages;

    /** Pages in the set. */
    long pages() {
        return pages;
    }

    /** Records {@code [start, start + n)}, which holds no scavenged page yet, as scavenged. */
    void add(long start, long n) {
        Map.Entry<Long, Long> below = runs.floorEntry(start - 1);
        if (below != null && below.getKey() + below.getValue() == start) {
            runs.remove(below.getKey());
            start = below.getKey();
            n += below.getValue();
            pages -= below.getValue();
        }
        Long above = runs.remove(start + n);
        if (above != null) {
            n += above;
            pages -= above;
        }
        runs.put(start, n);
        pages += n;
    }

    /** Takes {@code [start, start + n)} out of the set (the pages are being allocated); returns how many were in it. */
    long take(long start, long n) {
        long end = start + n;
        long taken = 0;
        Map.Entry<Long, Long> e = runs.floorEntry(start);
        if (e == null || e.getKey() + e.getValue() <= start) {
            e = runs.higherEntry(start);
        }
        while (e != null && e.getKey() < end) {
            long rs = e.getKey();
            long re = rs + e.getValue();
            runs.remove(rs);
            if (rs < start) {
                runs.put(rs, start - rs);
            }
            if (re > end) {
                runs.put(end, re - end);
            }
            taken += Math.min(re, end) - Math.max(rs, start);
            e = runs.higherEntry(rs);
        }
        pages -= taken;
        return taken;
    }

    /**
     * The highest run of pages in {@code [start, end)} that is not scavenged, as
     * {@code {from, to}}, or null if every page there is.
     */
    long[] highestGap(long start, long end) {
        long to = end;
        while (to > start) {
            Map.Entry<Long, Long> e = runs.floorEntry(to - 1);
            if (e == null || e.getKey() + e.getValue() < to) {
                long from = e == null ? start : Math.max(start, e.getKey() + e.getValue());
                return new long[] {from, to};
            }
            to = e.getKey(); // page to-1 is scavenged: skip its run
        }
        return null;
    }
}
