package org.gort.alloc.globalfreelist;

import java.util.Map;
import java.util.TreeMap;
import org.gort.spi.alloc.HeapArena;

/**
 * The classic first-fit page heap: free runs in address order, the first one long enough is
 * split, freed runs are merged with their neighbours; new arenas are committed when nothing
 * fits. Not thread-safe: the allocator's global lock guards it.
 */
final class FirstFitPages {
    private static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;

    private final HeapArena arena;
    /** Free runs: first page -> number of pages. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    /** Pages at or above this address were never handed out and are still zero. */
    private long zeroedBase;
    long pagesInUse;
    long growths;

    FirstFitPages(HeapArena arena) {
        this.arena = arena;
    }

    /** Address of {@code npages} free pages, or 0 if the heap limit is reached. */
    long alloc(long npages) {
        long page = firstFit(npages);
        if (page < 0) {
            if (!grow(npages)) {
                return 0;
            }
            page = firstFit(npages);
            if (page < 0) {
                return 0;
            }
        }
        pagesInUse += npages;
        return page << PAGE_SHIFT;
    }

    /** True if the run at {@code addr} of {@code npages} pages may hold old data. */
    boolean needsZero(long addr, long npages) {
        boolean dirty = addr < zeroedBase;
        zeroedBase = Math.max(zeroedBase, addr + (npages << PAGE_SHIFT));
        return dirty;
    }

    void free(long addr, long npages) {
        pagesInUse -= npages;
        insert(addr >>> PAGE_SHIFT, npages);
    }

    private long firstFit(long npages) {
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            if (e.getValue() >= npages) {
                long start = e.getKey();
                long len = e.getValue();
                free.remove(start);
                if (len > npages) {
                    free.put(start + npages, len - npages);
                }
                return start;
            }
        }
        return -1;
    }

    private void insert(long start, long npages) {
        Map.Entry<Long, Long> prev = free.floorEntry(start - 1);
        if (prev != null && prev.getKey() + prev.getValue() == start) {
            free.remove(prev.getKey());
            start = prev.getKey();
            npages += prev.getValue();
        }
        Long next = free.remove(start + npages);
        if (next != null) {
            npages += next;
        }
        free.put(start, npages);
    }

    private boolean grow(long npages) {
        long end = arena.committedEnd();
        long tail = 0;
        Map.Entry<Long, Long> last = free.lastEntry();
        if (last != null && (last.getKey() + last.getValue()) << PAGE_SHIFT == end) {
            tail = last.getValue();
        }
        long start = arena.grow((npages - tail) << PAGE_SHIFT);
        if (start == 0) {
            return false;
        }
        insert(start >>> PAGE_SHIFT, (arena.committedEnd() - start) >>> PAGE_SHIFT);
        growths++;
        return true;
    }
}
