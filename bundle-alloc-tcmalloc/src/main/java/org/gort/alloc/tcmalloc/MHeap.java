package org.gort.alloc.tcmalloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.sched.MeteredLock;

/**
 * Go's {@code mheap}: the page heap, the span lookup, the mcentrals, and the sweeper's state.
 *
 * <h2>Pages</h2>
 * Free pages are kept as coalesced runs, indexed by (length, address) for best fit with the
 * lowest address among equals, the policy of Go's treap-based page heap (Go 1.12's
 * {@code mheap.allocSpanLocked}): runs of up to {@value #SMALL_RUN} pages, what small spans are
 * carved from, in one bitmap per length with a bit at each run's first page (the lowest set bit
 * is the lowest address), longer ones in a set ordered by (length, address). The first and the
 * last page of each free run carry its length (boundary tags, one int per page of each
 * committed arena), so freeing pages finds the free neighbours to merge with in two array
 * reads, as Go 1.12 did with {@code h.spans} of the pages either side. When no run fits,
 * {@link #grow} commits more arenas (Go's {@code mheap.grow} / {@code sysAlloc}); arenas are
 * contiguous, so the new range merges with a free run at the old end. Everything here is under
 * the one mheap lock.
 * A page that was ever handed out may be dirty; pages above {@code zeroedBase} are still zero
 * (Go's {@code heapArena.zeroedBase}), so only reused pages are zeroed.
 *
 * <h2>Scavenging</h2>
 * {@link #scavenge} gives free pages back to the operating system ({@code sysUnused}), the
 * highest addresses first, as Go's scavenger does, so that the pages the heap reuses first
 * (best fit, lowest address) stay resident; {@link ScavengedPages} records which free pages are
 * released. Allocating a page takes it out of that set (touching it commits it again). Pages
 * of a newly committed arena start in the set: nothing has touched them yet.
 *
 * <h2>Sweep generations</h2>
 * {@code sweepgen} advances by 2 per cycle. For a span:
 * <pre>
 * sweepgen == h-2   needs sweeping
 * sweepgen == h-1   being swept
 * sweepgen == h     swept, ready to use
 * sweepgen == h+3   swept and cached in an mcache
 * </pre>
 * Every in-use span that no mcache caches is in one of its mcentral's sets (large spans in the
 * full set of span class 0 or 1). {@link #sweepone} pops unswept spans class by class (Go's
 * {@code nextSpanForSweep}), wins each by CAS {@code h-2 -> h-1}, and sweeps it; a span with no
 * object left goes back to the page heap, and its pages count as reclaim credit.
 * {@link #alloc} first reclaims (Go's {@code mheap.reclaim}): while sweeping is unfinished it
 * sweeps until as many pages as it needs were freed, so lazy sweeping never grows the heap
 * needlessly.
 */
final class MHeap {
    static final int NUM_SPAN_CLASSES = SizeClasses.NUM_SIZE_CLASSES << 1;
    private static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;
    private static final long PAGE = HeapArena.PAGE_SIZE;
    private static final int ARENA_SHIFT = Long.numberOfTrailingZeros(HeapArena.ARENA_BYTES);
    private static final int PAGES_PER_ARENA = (int) (HeapArena.ARENA_BYTES / PAGE);
    private static final int PAGES_PER_ARENA_SHIFT = Integer.numberOfTrailingZeros(PAGES_PER_ARENA);
    private static final VarHandle SPAN_AT = MethodHandles.arrayElementVarHandle(MSpan[].class);
    private static final VarHandle ARENA_AT = MethodHandles.arrayElementVarHandle(MSpan[][].class);

    final HeapArena arena;
    final MarkBitmap marks;
    final boolean clobberfree;
    final MeteredLock lock;
    final MCentral[] central = new MCentral[NUM_SPAN_CLASSES];

    volatile int sweepgen;
    private volatile boolean sweepdone = true;
    private final AtomicInteger sweepers = new AtomicInteger();
    /** Go's {@code sweep.centralIndex}: where sweepers look next; only moves forward in a cycle. */
    private final AtomicInteger sweepClass = new AtomicInteger();
    /** Go's {@code reclaimCredit}: pages freed by sweeping that {@link #reclaim} may count. */
    private final AtomicLong reclaimCredit = new AtomicLong();

    // page heap, under lock
    /** Free runs of up to this many pages are indexed by bitmaps, longer ones by a sorted set. */
    static final int SMALL_RUN = 16;
    /** Per run length up to {@link #SMALL_RUN}: a bit at the first page of each free run of that length. */
    private final long[][] smallRuns = new long[SMALL_RUN + 1][0];
    private final int[] smallRunCount = new int[SMALL_RUN + 1];
    /** Per run length: no bit is set in a word below this one. */
    private final int[] smallRunLowWord = new int[SMALL_RUN + 1];
    /** Free runs longer than {@link #SMALL_RUN} pages, as {@code length << 32 | start}. */
    private final TreeSet<Long> largeRuns = new TreeSet<>();
    /**
     * Per committed arena, per page: the length of the free run whose first or last page this
     * is, else 0. Only the two ends of a current free run are ever non-zero.
     */
    private final int[][] freeTag;
    private long zeroedBase;
    private final ScavengedPages scavenged = new ScavengedPages();
    /** Pages released to the OS and not reused since; written under the lock. */
    private volatile long releasedPages;
    /**
     * Pages committed and not released (the retained figure), kept as one field, written under
     * the lock, so that a reader without it never sees a half-counted growth: a new arena's
     * pages are committed and released at once, so growing leaves it unchanged; taking
     * released pages into a span adds them; scavenging subtracts what it releases.
     */
    private volatile long retainedPages;
    /** Written under the lock, read by statistics without it. */
    private volatile long pagesInUse;
    private volatile long growths;

    /** Span of every in-use page, one array per committed arena (Go's {@code heapArena.spans}). */
    private final MSpan[][] spans;

    // statistics written by sweepers and the page heap
    final AtomicLongArray nfree = new AtomicLongArray(SizeClasses.NUM_SIZE_CLASSES);
    final AtomicLongArray spansInUse = new AtomicLongArray(SizeClasses.NUM_SIZE_CLASSES);
    final AtomicLong largeBytesFreed = new AtomicLong();
    final AtomicLong pagesSwept = new AtomicLong();

    MHeap(HeapArena arena, MarkBitmap marks, boolean clobberfree, Function<String, MeteredLock> newLock) {
        if (arena.reservedBytes() >= (1L << (32 + PAGE_SHIFT))) {
            throw new IllegalArgumentException("tcmalloc: the heap limit must be below 32 TiB");
        }
        this.arena = arena;
        this.marks = marks;
        this.clobberfree = clobberfree;
        this.lock = newLock.apply("mheap");
        this.spans = new MSpan[(int) ((arena.reservedBytes() + HeapArena.ARENA_BYTES - 1) >>> ARENA_SHIFT)][];
        this.freeTag = new int[spans.length][];
        for (int spc = 0; spc < NUM_SPAN_CLASSES; spc++) {
            central[spc] = new MCentral(spc, this, newLock.apply("mcentral"));
        }
    }

    // ------------------------------------------------------------------ span allocation

    /**
     * Go's {@code mheap.alloc}: a span of {@code npages} pages for {@code spanclass}, zeroed,
     * swept for the current cycle; null if the heap limit is reached.
     */
    MSpan alloc(int npages, int spanclass) {
        if (!sweepdone) {
            reclaim(npages);
        }
        MSpan s = allocSpan(npages, spanclass);
        if (s != null && s.needzero) {
            arena.zero(s.base(), s.bytes());
            s.needzero = false;
        }
        return s;
    }

    /** Go's {@code mheap.allocSpan}: pages from the page heap, growing it if needed. */
    MSpan allocSpan(int npages, int spanclass) {
        lock.lock();
        try {
            long page = allocPages(npages);
            if (page < 0) {
                if (!grow(npages)) {
                    return null;
                }
                page = allocPages(npages);
                if (page < 0) {
                    return null;
                }
            }
            if (releasedPages > 0) {
                long reused = scavenged.take(page, npages);
                releasedPages -= reused;
                retainedPages += reused;
            }
            long base = page << PAGE_SHIFT;
            MSpan s = new MSpan(base, npages, spanclass, sweepgen);
            s.needzero = base < zeroedBase;
            zeroedBase = Math.max(zeroedBase, base + npages * PAGE);
            setSpans(page, npages, s);
            pagesInUse += npages;
            spansInUse.incrementAndGet(s.sizeclass);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Go's {@code mheap.freeSpan}: the span's pages go back to the page heap. */
    void freeSpan(MSpan s) {
        lock.lock();
        try {
            if (!s.inUse) {
                throw new IllegalStateException("tcmalloc: freeing a span twice: " + s);
            }
            s.inUse = false;
            long page = s.base() >>> PAGE_SHIFT;
            setSpans(page, s.npages, null);
            pagesInUse -= s.npages;
            spansInUse.decrementAndGet(s.sizeclass);
            freePages(page, s.npages);
        } finally {
            lock.unlock();
        }
    }

    private long allocPages(long npages) {
        // Best fit: the shortest run that is long enough, the lowest among equals.
        long len = 0;
        long start = -1;
        for (int l = (int) Math.min(npages, SMALL_RUN + 1); l <= SMALL_RUN; l++) {
            if (smallRunCount[l] > 0) {
                len = l;
                start = lowestSmallRun(l);
                break;
            }
        }
        if (start < 0) {
            Long key = largeRuns.ceiling(Math.max(npages, SMALL_RUN + 1) << 32);
            if (key == null) {
                return -1;
            }
            len = key >>> 32;
            start = key & 0xffffffffL;
        }
        removeFree(start, len);
        if (len > npages) {
            insertFree(start + npages, len - npages);
        }
        return start;
    }

    private void freePages(long start, long npages) {
        // The pages either side are not in the run being freed: a tag on the one below can
        // only be the last page of a free run, a tag on the one above only the first.
        long prevLen = freeTag(start - 1);
        if (prevLen != 0) {
            start -= prevLen;
            removeFree(start, prevLen);
            npages += prevLen;
        }
        long nextLen = freeTag(start + npages);
        if (nextLen != 0) {
            removeFree(start + npages, nextLen);
            npages += nextLen;
        }
        insertFree(start, npages);
    }

    private void insertFree(long start, long npages) {
        setFreeTag(start, (int) npages);
        setFreeTag(start + npages - 1, (int) npages);
        if (npages <= SMALL_RUN) {
            int l = (int) npages;
            int w = (int) (start >>> 6);
            smallRuns[l][w] |= 1L << start;
            smallRunCount[l]++;
            if (w < smallRunLowWord[l]) {
                smallRunLowWord[l] = w;
            }
        } else {
            largeRuns.add(npages << 32 | start);
        }
    }

    private void removeFree(long start, long npages) {
        setFreeTag(start, 0);
        setFreeTag(start + npages - 1, 0);
        if (npages <= SMALL_RUN) {
            smallRuns[(int) npages][(int) (start >>> 6)] &= ~(1L << start);
            smallRunCount[(int) npages]--;
        } else {
            largeRuns.remove(npages << 32 | start);
        }
    }

    /** The first page of the lowest free run of {@code len} pages; there is one. */
    private long lowestSmallRun(int len) {
        long[] bits = smallRuns[len];
        int w = smallRunLowWord[len];
        while (bits[w] == 0) {
            w++;
        }
        smallRunLowWord[len] = w;
        return ((long) w << 6) + Long.numberOfTrailingZeros(bits[w]);
    }

    /** The boundary tag of {@code page}: a free run's length if it is that run's first or last page, else 0. */
    private long freeTag(long page) {
        int a = (int) (page >>> PAGES_PER_ARENA_SHIFT);
        if (page < 0 || a >= freeTag.length || freeTag[a] == null) {
            return 0;
        }
        return Integer.toUnsignedLong(freeTag[a][(int) (page & (PAGES_PER_ARENA - 1))]);
    }

    private void setFreeTag(long page, int len) {
        freeTag[(int) (page >>> PAGES_PER_ARENA_SHIFT)][(int) (page & (PAGES_PER_ARENA - 1))] = len;
    }

    /** Go's {@code mheap.grow}: commit arenas for at least {@code npages} more pages. */
    private boolean grow(long npages) {
        long end = arena.committedEnd();
        // A free run at the old end merges with the new pages.
        long tail = freeTag((end >>> PAGE_SHIFT) - 1);
        long start = arena.grow((npages - tail) << PAGE_SHIFT);
        if (start == 0) {
            return false;
        }
        long newEnd = arena.committedEnd();
        long first = start >>> PAGE_SHIFT;
        long n = (newEnd - start) >>> PAGE_SHIFT;
        // Never touched, so not resident: counted as released from the start, as Go's
        // pageAlloc.grow marks new memory scavenged, so the scavenger leaves it alone; the
        // retained figure does not change (see retainedPages).
        releasedPages += n;
        for (long a = start >>> ARENA_SHIFT; a <= (newEnd - 1) >>> ARENA_SHIFT; a++) {
            if (spans[(int) a] == null) {
                freeTag[(int) a] = new int[PAGES_PER_ARENA];
                ARENA_AT.setRelease(spans, (int) a, new MSpan[PAGES_PER_ARENA]);
            }
        }
        int words = (int) (((newEnd >>> PAGE_SHIFT) + 63) >>> 6);
        for (int l = 1; l <= SMALL_RUN; l++) {
            if (smallRuns[l].length < words) {
                smallRuns[l] = Arrays.copyOf(smallRuns[l], words);
            }
        }
        freePages(first, n);
        scavenged.add(first, n);
        growths++;
        return true;
    }

    private void setSpans(long page, long npages, MSpan s) {
        for (long p = page; p < page + npages; p++) {
            MSpan[] a = spans[(int) (p / PAGES_PER_ARENA)];
            SPAN_AT.setRelease(a, (int) (p % PAGES_PER_ARENA), s);
        }
    }

    /** Go's {@code spanOf}: the in-use span holding {@code addr}, or null. */
    MSpan spanOf(long addr) {
        if (addr <= 0 || addr >= arena.reservedBytes()) {
            return null;
        }
        MSpan[] a = (MSpan[]) ARENA_AT.getAcquire(spans, (int) (addr >>> ARENA_SHIFT));
        if (a == null) {
            return null;
        }
        return (MSpan) SPAN_AT.getAcquire(a, (int) ((addr >>> PAGE_SHIFT) % PAGES_PER_ARENA));
    }

    long pagesInUse() {
        return pagesInUse;
    }

    /**
     * Go's {@code mheap.scavenge}: releases up to {@code maxPages} free pages, from the highest
     * free run down, skipping pages already released; returns how many it released (fewer when
     * no more are free, none when the arena cannot release memory).
     */
    long scavenge(long maxPages) {
        lock.lock();
        try {
            long done = 0;
            // Free runs from the highest down: each page reached is either in a span, skipped
            // whole, or the last page of a free run.
            long page = (arena.committedEnd() >>> PAGE_SHIFT) - 1;
            while (page > 0) {
                long len = freeTag(page);
                if (len == 0) {
                    MSpan[] a = spans[(int) (page >>> PAGES_PER_ARENA_SHIFT)];
                    MSpan s = a == null ? null : a[(int) (page & (PAGES_PER_ARENA - 1))];
                    page = s == null ? page - 1 : (s.base() >>> PAGE_SHIFT) - 1;
                    continue;
                }
                long start = page - len + 1;
                long end = page + 1;
                page = start - 1;
                while (done < maxPages && end > start) {
                    long[] gap = scavenged.highestGap(start, end);
                    if (gap == null) {
                        break;
                    }
                    long n = Math.min(maxPages - done, gap[1] - gap[0]);
                    long from = gap[1] - n;
                    if (!arena.release(from << PAGE_SHIFT, n << PAGE_SHIFT)) {
                        releasedPages += done;
                        retainedPages -= done;
                        return done;
                    }
                    scavenged.add(from, n);
                    done += n;
                    end = from;
                }
                if (done >= maxPages) {
                    break;
                }
            }
            releasedPages += done;
            retainedPages -= done;
            return done;
        } finally {
            lock.unlock();
        }
    }

    long releasedPages() {
        return releasedPages;
    }

    /** Pages committed and not released, the first (never handed out) aside. */
    long retainedPages() {
        return retainedPages;
    }

    long growths() {
        return growths;
    }

    // ------------------------------------------------------------------ sweeping

    /**
     * Starts a cycle's sweep (the caller has flushed every mcache): sweepgen += 2 turns every
     * mcentral's swept sets into its unswept sets. The caller finished the previous sweep, so
     * every unswept set is empty (within a cycle a span only ever goes to a swept set); nothing
     * walks the 136 mcentrals to check it, which with the world stopped cost a few cache misses
     * each (Go's gcSweep, inside the pause, only advances sweepgen and resets the counters).
     */
    void advanceSweepgen() {
        int sg = sweepgen;
        sweepClass.set(0);
        reclaimCredit.set(0);
        sweepgen = sg + 2;
        sweepdone = false;
    }

    /** True if no mcentral holds an unswept span (a check for tests: it walks all 136). */
    boolean everySpanSwept() {
        int sg = sweepgen;
        for (MCentral c : central) {
            if (!c.unsweptSetsEmpty(sg)) {
                return false;
            }
        }
        return true;
    }

    boolean sweepDone() {
        return sweepdone && sweepers.get() == 0;
    }

    /** Go's {@code sweepone}: sweeps one span; returns its pages, or -1 when none is left. */
    long sweepone() {
        if (sweepdone) {
            return -1;
        }
        sweepers.incrementAndGet();
        try {
            int sg = sweepgen;
            MSpan s;
            for (;;) {
                s = nextSpanForSweep(sg);
                if (s == null) {
                    sweepdone = true;
                    return -1;
                }
                if (s.inUse && s.sweepgen == sg - 2 && s.casSweepgen(sg - 2, sg - 1)) {
                    break;
                }
            }
            int npages = s.npages;
            if (sweep(s, false)) {
                reclaimCredit.addAndGet(npages);
            }
            return npages;
        } finally {
            sweepers.decrementAndGet();
        }
    }

    /** Go's {@code nextSpanForSweep}: pops an unswept span, partial sets before full ones, class by class. */
    private MSpan nextSpanForSweep(int sg) {
        for (int sc = sweepClass.get(); sc < NUM_SPAN_CLASSES * 2; sc++) {
            MCentral c = central[sc >>> 1];
            MSpan s = (sc & 1) == 0 ? c.popPartialUnswept(sg) : c.popFullUnswept(sg);
            if (s != null) {
                // Write down that we found something, so that later sweepers start from here.
                updateSweepClass(sc);
                return s;
            }
        }
        updateSweepClass(NUM_SPAN_CLASSES * 2);
        return null;
    }

    /**
     * Go's {@code sweepClass.update}: raises the shared index to {@code sc} if it is lower; it
     * only increases within a cycle, so the common case, already there, is a read, not a CAS.
     */
    private void updateSweepClass(int sc) {
        int old = sweepClass.get();
        while (old < sc && !sweepClass.compareAndSet(old, sc)) {
            old = sweepClass.get();
        }
    }

    /**
     * Go's {@code mspan.sweep}: frees the span's unmarked objects and files it. The caller owns
     * it (sweepgen {@code h-1}). With {@code preserve} the caller (mcentral.cacheSpan) keeps
     * the span; otherwise an empty span goes back to the page heap and any other to its
     * mcentral's swept set. Returns true if the span was freed.
     */
    boolean sweep(MSpan s, boolean preserve) {
        int sg = sweepgen;
        if (s.sweepgen != sg - 1) {
            throw new IllegalStateException("tcmalloc: sweeping a span that is not being swept: " + s
                    + " (heap sweepgen " + sg + ")");
        }
        int nfreed = s.sweepBits(marks, arena, clobberfree);
        pagesSwept.addAndGet(s.npages);
        if (nfreed > 0) {
            nfree.addAndGet(s.sizeclass, nfreed);
            if (s.isLarge()) {
                largeBytesFreed.addAndGet(s.bytes());
            }
        }
        s.sweepgen = sg;
        MCentral c = central[s.spanclass];
        if (!s.isLarge()) {
            if (!preserve) {
                if (s.allocCount == 0) {
                    freeSpan(s);
                    return true;
                }
                if (s.allocCount == s.nelems) {
                    c.pushFullSwept(sg, s);
                } else {
                    c.pushPartialSwept(sg, s);
                }
            }
        } else if (!preserve) {
            if (nfreed != 0) {
                freeSpan(s);
                return true;
            }
            c.pushFullSwept(sg, s);
        }
        return false;
    }

    /**
     * Go's {@code mheap.reclaim}: before taking new pages while sweeping is unfinished, sweep
     * until {@code npages} pages have been freed (by us or by other sweepers) or nothing is left.
     */
    private void reclaim(long npages) {
        while (!sweepdone) {
            long credit = reclaimCredit.get();
            if (credit >= npages) {
                if (reclaimCredit.compareAndSet(credit, credit - npages)) {
                    return;
                }
                continue;
            }
            if (sweepone() < 0) {
                return;
            }
        }
    }

    /** Calls {@code action} once per in-use span (world stopped). */
    void forEachSpan(java.util.function.Consumer<MSpan> action) {
        for (int ai = 0; ai < spans.length; ai++) {
            MSpan[] a = spans[ai];
            if (a == null) {
                continue;
            }
            for (int i = 0; i < a.length; i++) {
                MSpan s = a[i];
                if (s != null && s.base() >>> PAGE_SHIFT == (long) ai * PAGES_PER_ARENA + i) {
                    action.accept(s);
                }
            }
        }
    }
}
