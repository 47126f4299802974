package org.gort.alloc.tcmalloc;

import java.util.ArrayList;
import java.util.List;
import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.BlockVisitor;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.alloc.LockStats;
import org.gort.spi.alloc.SizeClassStats;

/*
 * Memory allocator (Go's runtime/malloc.go, after TCMalloc).
 *
 * The main allocator works in runs of pages. Small allocation sizes (up to and including 32 KiB)
 * are rounded to one of 67 size classes (SizeClasses, Go 1.19's table), each of which has its
 * own set of objects of exactly that size. Any free page of memory can be split into a set of
 * objects of one size class.
 *
 * The allocator's data structures are:
 *
 *     MHeap:    the page heap, managed at page (8 KiB) granularity, under one lock.
 *     MSpan:    a run of in-use pages managed by the mheap.
 *     MCentral: all spans of a given span class, under its own lock.
 *     MCache:   a per-P cache of spans with free space, one per span class; no lock.
 *
 * A span class is sizeclass<<1 | noscan, so pointer-free objects never share a span with
 * objects the collector must scan.
 *
 * Allocating a small object proceeds up a hierarchy of caches (mallocgc):
 *
 *  1. Round the size up to its size class and look at the corresponding mspan in this P's
 *     mcache. Scan the mspan's allocCache for a free slot (nextFreeFast: one count-trailing-
 *     zeros). If there is one, allocate it. This is done without acquiring a lock.
 *  2. If the mspan has no free slots, obtain a new mspan from the mcentral's list of mspans of
 *     the required span class that have free space (refill -> cacheSpan). Obtaining a whole
 *     span amortizes the cost of locking the mcentral.
 *  3. If the mcentral's list is empty, obtain a run of pages from the mheap to use for the
 *     mspan (mcentral.grow -> mheap.alloc).
 *  4. If the mheap is empty or has no page runs large enough, commit another arena (mheap.grow).
 *     If the heap limit forbids it, the allocation returns 0 and the kernel reports out of memory.
 *
 * Noscan objects under 16 bytes go to the tiny allocator first: they are packed into the
 * current 16-byte tiny block of the mcache (aligned to 8, 4 or 2 bytes by size) and share its
 * fate: the block is freed when no object in it is marked. Go measured this to reduce the number
 * of allocations by ~12% and the heap size by ~20% on a json benchmark.
 *
 * Objects over 32 KiB (large objects) get their own span straight from the mheap (largeAlloc);
 * the span sits in the full set of span class 0 (or 1, noscan), where the sweeper finds it.
 *
 * Sweeping turns mark bits into alloc bits (MSpan.sweepBits) and returns empty spans to the
 * mheap. Spans are swept lazily by sweepone (a collector's background sweeper), by cacheSpan
 * before reuse, and by mheap.reclaim before the heap grows; or eagerly by finishSweep. No object
 * is ever allocated in an unswept span. Go also makes allocating goroutines sweep in
 * proportion to what they allocate (deductSweepCredit); here the collector drives that pacing
 * through Allocator.sweepPages.
 *
 * Memory handed out is zero: fresh pages are zero, reused spans are zeroed by mheap.alloc, and
 * the free objects of a swept span that freed something (needzero) are zeroed as an mcache
 * takes the span (Go zeroes each as mallocgc hands it out; under clobberfree, so does this).
 *
 * Locks, counted per level (MeteredLock): mcentral (one per span class, taken per span, not per
 * object) and mheap (per span allocation and free); mcache refills count how often a P had to
 * go to an mcentral at all.
 */
final class TcmallocAllocator implements Allocator {
    private static final int TINY_SPAN_CLASS = SizeClasses.spanClass(SizeClasses.TINY_SIZE_CLASS, true);

    private final MHeap heap;
    private final MCache[] mcaches;
    private final HeapArena arena;

    TcmallocAllocator(AllocContext ctx) {
        this.arena = ctx.arena();
        this.heap = new MHeap(arena, ctx.markBitmap(), ctx.clobberfree(), ctx::newMeteredLock);
        this.mcaches = new MCache[ctx.gomaxprocs()];
        for (int i = 0; i < mcaches.length; i++) {
            mcaches[i] = new MCache(heap);
        }
    }

    // ------------------------------------------------------------------ mallocgc

    @Override
    public long allocate(long size, boolean noscan, int procId) {
        return mallocgc(size, noscan, procId);
    }

    /** Go's {@code mallocgc}, minus what the kernel does (header, hooks, safepoint). */
    private long mallocgc(long size, boolean noscan, int procId) {
        if (size <= 0) {
            throw new IllegalArgumentException("tcmalloc: allocation size must be positive, got " + size);
        }
        MCache c = mcaches[procId];
        if (size <= SizeClasses.MAX_SMALL_SIZE) {
            if (noscan && size < SizeClasses.MAX_TINY_SIZE) {
                return tinyAlloc(c, size);
            }
            int sizeclass = SizeClasses.sizeToClass(size);
            int spc = SizeClasses.spanClass(sizeclass, noscan);
            MSpan span = c.alloc[spc];
            long v = MCache.nextFreeFast(span);
            if (v == 0) {
                v = c.nextFree(spc);
                if (v == 0) {
                    return 0;
                }
                span = c.alloc[spc];
            }
            if (span.needzero) { // only under clobberfree: MCache.refill zeroed the free objects otherwise
                arena.zero(v, SizeClasses.CLASS_TO_SIZE[sizeclass]);
            }
            c.nmalloc[sizeclass]++;
            c.requested[sizeclass] += size;
            c.objects++;
            return v;
        }
        return largeAlloc(c, size, noscan);
    }

    /** The tiny-allocator branch of {@code mallocgc}. */
    private long tinyAlloc(MCache c, long size) {
        long off = c.tinyoffset;
        // Align the tiny pointer for the object's size. Go also packs 2- and 1-byte aligned
        // objects; here 4 bytes is the least, the mark bitmap's granule (every object starts
        // on its own mark bit).
        if ((size & 7) == 0) {
            off = (off + 7) & ~7L;
        } else {
            off = (off + 3) & ~3L;
        }
        if (off + size <= SizeClasses.MAX_TINY_SIZE && c.tiny != 0) {
            // The object fits into the existing tiny block.
            long x = c.tiny + off;
            c.tinyoffset = off + size;
            c.tinyAllocs++;
            c.objects++;
            c.requested[SizeClasses.TINY_SIZE_CLASS] += size;
            return x;
        }
        // Allocate a new 16-byte block.
        MSpan span = c.alloc[TINY_SPAN_CLASS];
        long v = MCache.nextFreeFast(span);
        if (v == 0) {
            v = c.nextFree(TINY_SPAN_CLASS);
            if (v == 0) {
                return 0;
            }
        }
        arena.zero(v, SizeClasses.MAX_TINY_SIZE);
        // Keep whichever block has more room left.
        if (size < c.tinyoffset || c.tiny == 0) {
            c.tiny = v;
            c.tinyoffset = size;
        }
        c.nmalloc[SizeClasses.TINY_SIZE_CLASS]++;
        c.requested[SizeClasses.TINY_SIZE_CLASS] += size;
        c.objects++;
        return v;
    }

    /** Go's {@code largeAlloc}: a span of its own, filed where the sweeper finds it. */
    private long largeAlloc(MCache c, long size, boolean noscan) {
        long npages = (size + HeapArena.PAGE_SIZE - 1) >>> HeapArena.PAGE_SHIFT;
        if (npages > Integer.MAX_VALUE || npages << HeapArena.PAGE_SHIFT > arena.reservedBytes()) {
            return 0;
        }
        int spc = SizeClasses.spanClass(0, noscan);
        MSpan s = heap.alloc((int) npages, spc);
        if (s == null) {
            return 0;
        }
        s.freeindex = 1;
        s.allocCount = 1;
        heap.central[spc].pushFullSwept(heap.sweepgen, s);
        c.nmalloc[0]++;
        c.requested[0] += size;
        c.largeBytes += s.bytes();
        c.objects++;
        return s.base();
    }

    // ------------------------------------------------------------------ sweeping

    @Override
    public void startSweepCycle() {
        finishSweep();
        // Go flushes each mcache lazily (prepareForSweep); with the world stopped we flush
        // them all before advancing sweepgen, so no span is swept inside the pause.
        for (MCache c : mcaches) {
            c.releaseAll();
        }
        heap.advanceSweepgen();
    }

    @Override
    public long sweepOne() {
        return heap.sweepone();
    }

    @Override
    public boolean sweepDone() {
        return heap.sweepDone();
    }

    /** See {@link MHeap#everySpanSwept}. */
    boolean everySpanSwept() {
        return heap.everySpanSwept();
    }

    @Override
    public long sweepgen() {
        return heap.sweepgen;
    }

    @Override
    public void releaseCache(int procId) {
        mcaches[procId].releaseAll();
    }

    // ------------------------------------------------------------------ introspection

    @Override
    public void forEachAllocated(BlockVisitor visitor) {
        heap.forEachSpan(s -> {
            if (s.isLarge()) {
                visitor.visit(s.base(), s.bytes(), false);
                return;
            }
            boolean tiny = s.spanclass == TINY_SPAN_CLASS;
            for (int i = 0; i < s.nelems; i++) {
                if (!s.isFree(i)) {
                    visitor.visit(s.base() + i * s.elemsize, s.elemsize, tiny);
                }
            }
        });
    }

    @Override
    public boolean isAllocated(long addr) {
        return blockStart(addr) != 0;
    }

    @Override
    public long blockStart(long addr) {
        MSpan s = heap.spanOf(addr);
        if (s == null) {
            return 0;
        }
        if (s.isLarge()) {
            return s.base();
        }
        long index = (addr - s.base()) / s.elemsize;
        if (index >= s.nelems || s.isFree((int) index)) {
            return 0;
        }
        return s.base() + index * s.elemsize;
    }

    @Override
    public long blockSize(long addr) {
        long start = blockStart(addr);
        return start == 0 ? 0 : heap.spanOf(addr).elemsize;
    }

    @Override
    public long pagesInUse() {
        return heap.pagesInUse();
    }

    /**
     * Releases whole free pages, highest first. Off under {@code clobberfree}: a released page
     * reads as zero, which would wipe the poison that makes a use after free a clear error.
     */
    @Override
    public long scavenge(long bytes) {
        if (heap.clobberfree || bytes <= 0) {
            return 0;
        }
        long pages = Math.max(1, bytes >>> HeapArena.PAGE_SHIFT);
        return heap.scavenge(pages) << HeapArena.PAGE_SHIFT;
    }

    @Override
    public long releasedBytes() {
        return heap.releasedPages() << HeapArena.PAGE_SHIFT;
    }

    /**
     * Kept in one field by the page heap (see MHeap.retainedPages); the first page, never
     * handed out, counts once the arena has grown.
     */
    @Override
    public long retainedBytes(long committedBytes) {
        return committedBytes == 0 ? 0 : (heap.retainedPages() << HeapArena.PAGE_SHIFT) + HeapArena.PAGE_SIZE;
    }

    /** {@link #stats()}'s {@code bytesAllocated - bytesFreed}, without building it. */
    @Override
    public long bytesInUse() {
        long bytes = -heap.largeBytesFreed.get();
        for (MCache c : mcaches) {
            bytes += c.largeBytes;
        }
        for (int i = 1; i < SizeClasses.NUM_SIZE_CLASSES; i++) {
            long n = -heap.nfree.get(i);
            for (MCache c : mcaches) {
                n += c.nmalloc[i];
            }
            bytes += n * SizeClasses.CLASS_TO_SIZE[i];
        }
        return bytes;
    }

    @Override
    public AllocStats stats() {
        int n = SizeClasses.NUM_SIZE_CLASSES;
        long[] nmalloc = new long[n];
        long[] requested = new long[n];
        long objects = 0;
        long tiny = 0;
        long refills = 0;
        long largeBytes = 0;
        for (MCache c : mcaches) {
            for (int i = 0; i < n; i++) {
                nmalloc[i] += c.nmalloc[i];
                requested[i] += c.requested[i];
            }
            objects += c.objects;
            tiny += c.tinyAllocs;
            refills += c.refills;
            largeBytes += c.largeBytes;
        }
        long bytesAllocated = largeBytes;
        long bytesFreed = heap.largeBytesFreed.get();
        long blocksFreed = 0;
        long bytesRequested = 0;
        List<SizeClassStats> classes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long frees = heap.nfree.get(i);
            long spans = heap.spansInUse.get(i);
            blocksFreed += frees;
            bytesRequested += requested[i];
            if (i == 0) {
                classes.add(new SizeClassStats(0, 0, nmalloc[0], requested[0], largeBytes - requested[0], frees,
                        spans, 0, 0));
                continue;
            }
            long size = SizeClasses.CLASS_TO_SIZE[i];
            bytesAllocated += nmalloc[i] * size;
            bytesFreed += frees * size;
            long spanBytes = SizeClasses.CLASS_TO_ALLOCNPAGES[i] * HeapArena.PAGE_SIZE;
            classes.add(new SizeClassStats(i, size, nmalloc[i], requested[i], nmalloc[i] * size - requested[i], frees,
                    spans, spanBytes, spans * SizeClasses.tailWaste(i)));
        }
        LockStats mcentral = new LockStats("mcentral", 0, 0, 0);
        for (MCentral c : heap.central) {
            mcentral = mcentral.plus(LockStats.of("mcentral", c.lock));
        }
        List<LockStats> locks = List.of(mcentral, LockStats.of("mheap", heap.lock));
        return new AllocStats(TcmallocStrategy.NAME, objects, tiny, blocksFreed, bytesAllocated, bytesRequested,
                bytesFreed, heap.pagesInUse() * HeapArena.PAGE_SIZE, arena.committedEnd(), arena.arenasCommitted(),
                heap.growths(), refills, locks, List.copyOf(classes));
    }
}
