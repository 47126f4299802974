package org.gort.alloc.tcmalloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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

    private static final int GRANULE_SHIFT = Integer.numberOfTrailingZeros(MarkBitmap.GRANULE);

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
        // Objects smaller than a mark word's 256 bytes share words: read each word once, not a
        // bit per object (spans start on a page, so on a word boundary)
        boolean byWord = !tiny && elemsize < MarkBitmap.WORD_BYTES;
        long markAt = -1;
        long markWord = 0;
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
            long bits = allocated;
            if (byWord) {
                // The object's mark bit, taken without a branch: which objects survive is as
                // good as random, and a mispredicted branch per object was most of the loop.
                while (bits != 0) {
                    int b = Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    long addr = base + (first + b) * elemsize;
                    long at = addr & -(long) MarkBitmap.WORD_BYTES;
                    if (at != markAt) {
                        markAt = at;
                        markWord = marks.word(at);
                    }
                    live |= ((markWord >>> ((addr - at) >>> GRANULE_SHIFT)) & 1L) << b;
                }
            } else {
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

    @Override
    public String toString() {
        return String.format("span[0x%x, %d pages, class %d%s, %d/%d allocated, sweepgen %d]", startAddr, npages,
                sizeclass, SizeClasses.noscan(spanclass) ? " noscan" : "", allocCount, nelems, sweepgen);
    }
}
