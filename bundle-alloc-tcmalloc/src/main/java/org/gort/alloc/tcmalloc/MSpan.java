package org.gort.alloc.tcmalloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.MarkBitmap;

/**
 * Go's {@code mspan}: a run of pages holding objects of one span class (or one large object).
 *
 * <p>Allocation state, as in Go: object {@code n} is allocated if {@code n < freeindex} or bit
 * {@code n} of {@code allocBits} is set. {@code allocCache} holds the complement of
 * {@code allocBits} from the 64-aligned word containing {@code freeindex}, shifted so that its
 * lowest bit is {@code freeindex}: {@link Long#numberOfTrailingZeros} finds the next free object.
 *
 * <p>Ownership: a span is owned by one party at a time: the mcache of the P that cached it
 * ({@code sweepgen == h+3}), the sweeper that won the CAS {@code h-2 -> h-1}, or the mcentral
 * set it sits in (under that mcentral's lock). Only the owner touches the allocation state;
 * ownership moves through a lock or the sweepgen CAS, which publishes it.
 */
final class MSpan {
    private static final VarHandle SWEEPGEN;

    static {
        try {
            SWEEPGEN = MethodHandles.lookup().findVarHandle(MSpan.class, "sweepgen", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * Per size class under 256 bytes (else null), for gatherLive: of 64 consecutive objects, which
     * bits of the j-th of their mark words are object starts, the first object in that word, and
     * which of the 64 objects start in it.
     */
    private static final long[][] GATHER_MASK = new long[SizeClasses.NUM_SIZE_CLASSES][];
    private static final int[][] GATHER_OFF = new int[SizeClasses.NUM_SIZE_CLASSES][];
    private static final long[][] GATHER_OBJECTS = new long[SizeClasses.NUM_SIZE_CLASSES][];

    static {
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            int size = SizeClasses.CLASS_TO_SIZE[c];
            if (size >= MarkBitmap.WORD_BYTES) {
                continue;
            }
            int g = size / MarkBitmap.GRANULE;
            long[] masks = new long[g];
            int[] offs = new int[g];
            long[] objects = new long[g];
            Arrays.fill(offs, -1);
            for (int o = 0; o < 64; o++) {
                int granule = o * g;
                int j = granule >>> 6;
                masks[j] |= 1L << (granule & 63);
                objects[j] |= 1L << o;
                if (offs[j] < 0) {
                    offs[j] = o;
                }
            }
            GATHER_MASK[c] = masks;
            GATHER_OFF[c] = offs;
            GATHER_OBJECTS[c] = objects;
        }
    }

    /** Go's {@code emptymspan}: what an mcache holds for a class it has no span of. */
    static final MSpan EMPTY = new MSpan();

    final long startAddr;
    final int npages;
    final int spanclass;
    final int sizeclass;
    final long elemsize;
    final int nelems;

    int freeindex;
    long allocCache;
    final long[] allocBits;
    int allocCount;
    /** Freed objects need zeroing on reuse (Go's {@code needzero}). */
    boolean needzero;
    /** See the sweepgen rules in {@link MHeap}. */
    volatile int sweepgen;
    /** False once returned to the page heap (Go's {@code mSpanDead}). */
    volatile boolean inUse;

    private MSpan() {
        startAddr = 0;
        npages = 0;
        spanclass = 0;
        sizeclass = 0;
        elemsize = 0;
        nelems = 0;
        allocBits = new long[1];
    }

    /** A span of {@code npages} pages at {@code startAddr}, all of it free (Go's {@code initSpan}). */
    MSpan(long startAddr, int npages, int spanclass, int sweepgen) {
        this.startAddr = startAddr;
        this.npages = npages;
        this.spanclass = spanclass;
        this.sizeclass = SizeClasses.sizeclass(spanclass);
        if (sizeclass == 0) {
            this.elemsize = npages * HeapArena.PAGE_SIZE;
            this.nelems = 1;
        } else {
            this.elemsize = SizeClasses.CLASS_TO_SIZE[sizeclass];
            this.nelems = SizeClasses.CLASS_TO_NELEMS[sizeclass];
        }
        this.allocBits = new long[(nelems + 63) >>> 6];
        this.allocCache = ~0L;
        this.sweepgen = sweepgen;
        this.inUse = true;
    }

    long base() {
        return startAddr;
    }

    long bytes() {
        return npages * HeapArena.PAGE_SIZE;
    }

    boolean isLarge() {
        return sizeclass == 0;
    }

    boolean casSweepgen(int expect, int update) {
        return SWEEPGEN.compareAndSet(this, expect, update);
    }

    /** Go's {@code refillAllocCache}: the complement of the alloc bits of word {@code word}. */
    void refillAllocCache(int word) {
        allocCache = word < allocBits.length ? ~allocBits[word] : 0L;
    }

    /**
     * Go's {@code nextFreeIndex}: the index of the next free object at or after
     * {@code freeindex}, or {@code nelems} if there is none; consumes it by advancing
     * {@code freeindex} past it.
     */
    int nextFreeIndex() {
        int sfreeindex = freeindex;
        int snelems = nelems;
        if (sfreeindex == snelems) {
            return sfreeindex;
        }
        long aCache = allocCache;
        int bitIndex = Long.numberOfTrailingZeros(aCache);
        while (bitIndex == 64) {
            // Move to the start of the next word of alloc bits.
            sfreeindex = (sfreeindex + 64) & ~63;
            if (sfreeindex >= snelems) {
                freeindex = snelems;
                return snelems;
            }
            refillAllocCache(sfreeindex >>> 6);
            aCache = allocCache;
            bitIndex = Long.numberOfTrailingZeros(aCache);
        }
        int result = sfreeindex + bitIndex;
        if (result >= snelems) {
            freeindex = snelems;
            return snelems;
        }
        allocCache = aCache >>> (bitIndex + 1);
        sfreeindex = result + 1;
        if ((sfreeindex & 63) == 0 && sfreeindex != snelems) {
            refillAllocCache(sfreeindex >>> 6);
        }
        freeindex = sfreeindex;
        return result;
    }

    /**
     * Zeroes every free object from {@code freeindex} on, a run of free objects at a time, and
     * clears {@code needzero}: the objects an mcache will hand out from this span (see
     * {@link MCache#refill}). The caller owns the span.
     */
    void zeroFree(HeapArena arena) {
        for (int w = freeindex >>> 6; w < allocBits.length; w++) {
            long free = ~allocBits[w];
            int first = w << 6;
            if (first < freeindex) {
                free &= -1L << (freeindex - first);
            }
            if (nelems - first < 64) {
                free &= (1L << (nelems - first)) - 1;
            }
            while (free != 0) {
                int start = Long.numberOfTrailingZeros(free);
                int len = Long.numberOfTrailingZeros(~(free >>> start)); // 64 when the run reaches the top bit
                arena.zero(startAddr + (first + start) * elemsize, len * elemsize);
                free = len + start >= 64 ? 0 : free & (-1L << (start + len));
            }
        }
        needzero = false;
    }

    /** True if object {@code index} is free (Go's {@code isFree}). */
    boolean isFree(int index) {
        if (index < freeindex) {
            return false;
        }
        return (allocBits[index >>> 6] & (1L << index)) == 0;
    }

    /**
     * Whether any object of this span is allocated according to its bits (for a large span:
     * whether it is in use). Used by enumeration with the world stopped.
     */
    boolean isAllocated(int index) {
        return isLarge() ? inUse : index < nelems && !isFree(index);
    }

    /**
     * Go's {@code mspan.sweep}, on the allocation state: every allocated object whose mark bit
     * is clear becomes free (poisoned under clobberfree); allocBits becomes the mark bits; the
     * span's mark bits are cleared. The caller owns the span (sweepgen {@code h-1}). Returns the
     * number of objects freed; the caller decides where the span goes.
     */
    int sweepBits(MarkBitmap marks, HeapArena arena, boolean clobberfree) {
        boolean tiny = sizeclass == SizeClasses.TINY_SIZE_CLASS && SizeClasses.noscan(spanclass);
        int nfreed = 0;
        int nalloc = 0;
        long base = startAddr;
        // Objects smaller than a mark word's 256 bytes share mark words: gather their bits a
        // word at a time (spans start on a page, so on a mark word boundary).
        long[] gatherMasks = tiny ? null : GATHER_MASK[sizeclass];
        for (int w = 0; w < allocBits.length; w++) {
            int first = w << 6;
            // Objects below freeindex are allocated whatever their bit says.
            long allocated = allocBits[w];
            if (freeindex > first) {
                int below = Math.min(64, freeindex - first);
                allocated |= below == 64 ? -1L : (1L << below) - 1;
            }
            int inWord = Math.min(64, nelems - first);
            if (inWord < 64) {
                allocated &= (1L << inWord) - 1;
            }
            long live = 0;
            if (gatherMasks != null) {
                if (allocated != 0) {
                    live = gatherLive(marks, base, w, allocated, gatherMasks, GATHER_OFF[sizeclass],
                            GATHER_OBJECTS[sizeclass]);
                }
            } else {
                long bits = allocated;
                while (bits != 0) {
                    int b = Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    long addr = base + (first + b) * elemsize;
                    // A tiny block packs several objects: it lives if any of them is marked.
                    if (tiny ? marks.anyMarked(addr, elemsize) : marks.isMarked(addr)) {
                        live |= 1L << b;
                    }
                }
            }
            nalloc += Long.bitCount(live);
            long freed = allocated & ~live;
            nfreed += Long.bitCount(freed);
            if (clobberfree) {
                while (freed != 0) {
                    int b = Long.numberOfTrailingZeros(freed);
                    freed &= freed - 1;
                    arena.poison(base + (first + b) * elemsize, elemsize);
                }
            }
            allocBits[w] = live;
        }
        marks.clear(base, bytes());
        allocCount = nalloc;
        freeindex = 0;
        refillAllocCache(0);
        if (nfreed > 0) {
            // A fresh span that was swept without frees still has all its free slots zeroed.
            needzero = true;
        }
        return nfreed;
    }

    /**
     * The mark bits of objects {@code 64w .. 64w+63} of a span of objects under 256 bytes, as
     * one word (bit {@code i} for object {@code 64w + i}), and-ed with {@code allocated}. Those
     * 64 objects take exactly {@code g = elemsize / GRANULE} mark words, and where each object
     * starts within the j-th of them is the same for every {@code w}: {@code masks[j]} has a bit
     * at each object start, so {@link Long#compress} packs the objects' bits in order, to be
     * shifted to {@code offs[j]}, the first of them. A mark word without an allocated object is
     * not read.
     */
    private static long gatherLive(MarkBitmap marks, long base, int w, long allocated, long[] masks, int[] offs,
            long[] objects) {
        int g = masks.length;
        long at = base + (long) w * g * MarkBitmap.WORD_BYTES;
        long live = 0;
        for (int j = 0; j < g; j++, at += MarkBitmap.WORD_BYTES) {
            if ((allocated & objects[j]) != 0) {
                live |= Long.compress(marks.word(at), masks[j]) << offs[j];
            }
        }
        return live & allocated;
    }

    @Override
    public String toString() {
        return String.format("span[0x%x, %d pages, class %d%s, %d/%d allocated, sweepgen %d]", startAddr, npages,
                sizeclass, SizeClasses.noscan(spanclass) ? " noscan" : "", allocCount, nelems, sweepgen);
    }
}
