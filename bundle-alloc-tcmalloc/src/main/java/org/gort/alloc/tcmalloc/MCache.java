package org.gort.alloc.tcmalloc;

import java.util.Arrays;
import org.gort.spi.sched.CacheLinePadding;

/**
 * Go's {@code mcache}: one P's cache, one span per span class, plus the tiny block. Only the
 * thread holding the P touches it, so it needs no lock; that is the whole point of it.
 * Statistics are counted here too, in plain fields, and summed by {@link TcmallocAllocator#stats}.
 * Padded ({@link CacheLinePadding}): the counters written on every allocation must not share a
 * line with another P's cache, nor with the {@code mcaches} array every allocation reads.
 */
final class MCache extends CacheLinePadding {
    private final MHeap heap;
    /** The span cached for each span class, or {@link MSpan#EMPTY}. */
    final MSpan[] alloc = new MSpan[MHeap.NUM_SPAN_CLASSES];

    /** Go's {@code tiny}: the current tiny block, or 0. */
    long tiny;
    /** Go's {@code tinyoffset}: bytes of the tiny block already used. */
    long tinyoffset;

    // statistics (owner-written)
    /** Blocks handed out per size class (class 0: large objects). */
    final long[] nmalloc = new long[SizeClasses.NUM_SIZE_CLASSES];
    /** Bytes requested per size class; class 2 includes the objects packed into tiny blocks. */
    final long[] requested = new long[SizeClasses.NUM_SIZE_CLASSES];
    long largeBytes;
    long objects;
    long tinyAllocs;
    long refills;

    MCache(MHeap heap) {
        this.heap = heap;
        Arrays.fill(alloc, MSpan.EMPTY);
    }

    /**
     * Go's {@code nextFreeFast}: the next free object of {@code s} from its alloc cache, or 0
     * when the cache is exhausted (the caller then takes the slow path, {@link #nextFree}).
     */
    static long nextFreeFast(MSpan s) {
        int theBit = Long.numberOfTrailingZeros(s.allocCache);
        if (theBit < 64) {
            int result = s.freeindex + theBit;
            if (result < s.nelems) {
                int freeidx = result + 1;
                if ((freeidx & 63) == 0 && freeidx != s.nelems) {
                    return 0;
                }
                s.allocCache >>>= theBit + 1;
                s.freeindex = freeidx;
                s.allocCount++;
                return s.base() + result * s.elemsize;
            }
        }
        return 0;
    }

    /**
     * Go's {@code mcache.nextFree}: the next free object of span class {@code spc}, refilling
     * the cached span from the mcentral when it is full; 0 if the heap is exhausted.
     */
    long nextFree(int spc) {
        MSpan s = alloc[spc];
        int freeIndex = s.nextFreeIndex();
        if (freeIndex == s.nelems) {
            // The span is full.
            if (s.allocCount != s.nelems) {
                throw new IllegalStateException("tcmalloc: s.allocCount != s.nelems && freeIndex == s.nelems: " + s);
            }
            if (!refill(spc)) {
                return 0;
            }
            s = alloc[spc];
            freeIndex = s.nextFreeIndex();
        }
        if (freeIndex >= s.nelems) {
            throw new IllegalStateException("tcmalloc: freeIndex is not valid: " + freeIndex + " in " + s);
        }
        s.allocCount++;
        if (s.allocCount > s.nelems) {
            throw new IllegalStateException("tcmalloc: s.allocCount > s.nelems: " + s);
        }
        return s.base() + freeIndex * s.elemsize;
    }

    /**
     * Go's {@code mcache.refill}: return the full span to its mcentral and cache one with free
     * objects. False if the heap is exhausted.
     */
    boolean refill(int spc) {
        refills++;
        MSpan s = alloc[spc];
        if (s.allocCount != s.nelems) {
            throw new IllegalStateException("tcmalloc: refill of a span with free space remaining: " + s);
        }
        if (s != MSpan.EMPTY) {
            heap.central[spc].uncacheSpan(s);
        }
        s = heap.central[spc].cacheSpan();
        if (s == null) {
            alloc[spc] = MSpan.EMPTY;
            return false;
        }
        if (s.allocCount == s.nelems) {
            throw new IllegalStateException("tcmalloc: span has no free space: " + s);
        }
        // Cached: no sweeper may touch it until it is uncached.
        s.sweepgen = heap.sweepgen + 3;
        if (s.needzero && !heap.clobberfree) {
            // Go's mallocgc zeroes each object of a needzero span as it hands it out; the
            // same objects are zeroed here, in runs, as the span is cached. mallocgc's fast
            // path then has no branch whose direction changes once the first swept span comes
            // back (the JIT recompiled every allocating method when it did). Under clobberfree
            // freed objects keep their poison until allocated, so mallocgc zeroes them then.
            s.zeroFree(heap.arena);
        }
        alloc[spc] = s;
        return true;
    }

    /** Go's {@code mcache.releaseAll}: every cached span back to its mcentral; drop the tiny block. */
    void releaseAll() {
        for (int spc = 0; spc < alloc.length; spc++) {
            MSpan s = alloc[spc];
            if (s != MSpan.EMPTY) {
                heap.central[spc].uncacheSpan(s);
                alloc[spc] = MSpan.EMPTY;
            }
        }
        tiny = 0;
        tinyoffset = 0;
    }
}
