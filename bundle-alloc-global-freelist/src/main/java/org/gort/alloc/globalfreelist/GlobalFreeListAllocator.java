package org.gort.alloc.globalfreelist;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.BlockVisitor;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.alloc.LockStats;
import org.gort.spi.alloc.SizeClassStats;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.sched.MeteredLock;

/*
 * Baseline allocator: one global lock around segregated free lists.
 *
 * This is the "before" that Go's tcmalloc-style allocator is measured against: a textbook
 * allocator in the style of 4.2BSD's malloc, made thread-safe the simple way.
 *
 *     Buckets:  a request is rounded up to a power of two from 8 bytes to 32 KiB (13 buckets);
 *               each bucket has a free list (a stack of free block addresses).
 *     Runs:     a bucket's blocks are carved from a run of pages (one page, or one block's worth
 *               for 16 and 32 KiB); a run keeps an alloc bit per block.
 *     Pages:    runs and large objects (over 32 KiB, a run of their own) come from a first-fit
 *               page heap (FirstFitPages) that commits arenas as it grows.
 *
 * Every allocate, sweep step, and free takes the one global lock; there is no per-P cache and
 * no tiny allocator, so "allocations per lock acquisition" is exactly 1 here, and every P
 * contends for the same lock. Power-of-two rounding wastes up to half a block; the per-class
 * waste statistics show it next to Go's table.
 *
 * Sweeping follows the SPI's sweep generations with runs in place of spans: startSweepCycle
 * advances sweepgen by 2 and snapshots the in-use runs; sweepOne sweeps the next run of the
 * snapshot that still needs it. A free list may hold blocks of unswept runs, so popping a block
 * of a run whose sweepgen is h-2 sweeps that run first ("sweep before reuse"): nothing is ever
 * allocated into an unswept run. Before carving new pages while sweeping is unfinished, the
 * allocator sweeps until enough pages were freed (as Go's mheap.reclaim does).
 *
 * Free lists use lazy deletion: when a run becomes empty its pages go back to the page heap at
 * once, and its blocks' entries stay in the free list; a popped entry is used only if a run of
 * the same bucket is in use there, a block starts at that address, and its alloc bit is clear.
 * A stale or duplicate entry is simply dropped, so no block is ever handed out twice.
 *
 * Lookups for isAllocated/blockStart (a diagnostic path, used by checkptr) read the page->run
 * table without the lock; the table is published with release stores.
 */
final class GlobalFreeListAllocator implements Allocator {
    static final int MIN_SHIFT = 3;
    static final int NUM_BUCKETS = 13;
    static final long MAX_SMALL = 1L << (MIN_SHIFT + NUM_BUCKETS - 1);
    private static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;
    private static final long PAGE = HeapArena.PAGE_SIZE;
    private static final int ARENA_SHIFT = Long.numberOfTrailingZeros(HeapArena.ARENA_BYTES);
    private static final int PAGES_PER_ARENA = (int) (HeapArena.ARENA_BYTES / PAGE);
    private static final VarHandle RUN_AT = MethodHandles.arrayElementVarHandle(Run[].class);
    private static final VarHandle ARENA_AT = MethodHandles.arrayElementVarHandle(Run[][].class);

    private final MeteredLock lock;
    private final HeapArena arena;
    private final MarkBitmap marks;
    private final boolean clobberfree;
    private final FirstFitPages pages;
    private final LongStack[] freeLists = new LongStack[NUM_BUCKETS];
    private final Run[][] runsByPage;
    private final List<Run> runs = new ArrayList<>();

    // sweep state, under the lock (sweepgen also readable without it)
    private volatile int sweepgen;
    private Run[] toSweep = new Run[0];
    private int sweepCursor;
    private volatile boolean sweepdone = true;
    private long reclaimedPages;

    // statistics, under the lock; index 0 = large objects, 1 + b = bucket b
    private final long[] allocs = new long[NUM_BUCKETS + 1];
    private final long[] requested = new long[NUM_BUCKETS + 1];
    private final long[] frees = new long[NUM_BUCKETS + 1];
    private final long[] runsInUse = new long[NUM_BUCKETS + 1];
    private long largeBytes;
    private long largeBytesFreed;

    GlobalFreeListAllocator(AllocContext ctx) {
        this.arena = ctx.arena();
        this.marks = ctx.markBitmap();
        this.clobberfree = ctx.clobberfree();
        this.lock = ctx.newMeteredLock("global");
        this.pages = new FirstFitPages(arena);
        for (int b = 0; b < NUM_BUCKETS; b++) {
            freeLists[b] = new LongStack();
        }
        this.runsByPage = new Run[(int) ((arena.reservedBytes() + HeapArena.ARENA_BYTES - 1) >>> ARENA_SHIFT)][];
    }

    static int bucketOf(long size) {
        int shift = 64 - Long.numberOfLeadingZeros(size - 1);
        return Math.max(shift, MIN_SHIFT) - MIN_SHIFT;
    }

    static long bucketSize(int b) {
        return 1L << (b + MIN_SHIFT);
    }

    // ------------------------------------------------------------------ allocation

    @Override
    public long allocate(long size, boolean noscan, int procId) {
        if (size <= 0) {
            throw new IllegalArgumentException("global-freelist: allocation size must be positive, got " + size);
        }
        lock.lock();
        try {
            return size <= MAX_SMALL ? allocSmall(size) : allocLarge(size);
        } finally {
            lock.unlock();
        }
    }

    private long allocSmall(long size) {
        int b = bucketOf(size);
        long elem = bucketSize(b);
        LongStack list = freeLists[b];
        for (;;) {
            long addr = list.pop();
            if (addr == 0) {
                if (!refillBucket(b)) {
                    return 0;
                }
                continue;
            }
            Run r = runOf(addr);
            if (r == null || r.bucket != b) {
                continue; // stale: the run was freed
            }
            int i = r.indexOf(addr);
            if (i < 0) {
                continue; // stale: a different run starts elsewhere now
            }
            if (r.sweepgen == sweepgen - 2) {
                sweepRun(r);
                if (!r.inUse) {
                    continue;
                }
            }
            if (r.isAllocated(i)) {
                continue; // duplicate entry of a block already handed out
            }
            r.setAllocated(i, true);
            r.allocCount++;
            if (r.needzero) {
                arena.zero(addr, elem);
            }
            allocs[b + 1]++;
            requested[b + 1] += size;
            return addr;
        }
    }

    /** Refills bucket {@code b}'s free list: by sweeping if that frees enough, else with a new run. */
    private boolean refillBucket(int b) {
        long elem = bucketSize(b);
        int npages = (int) Math.max(1, elem / PAGE);
        reclaim(npages);
        if (freeLists[b].size() > 0) {
            return true;
        }
        long addr = pages.alloc(npages);
        if (addr == 0) {
            return false;
        }
        Run r = newRun(addr, npages, b, elem);
        for (int i = r.nelems - 1; i >= 0; i--) {
            freeLists[b].push(addr + i * elem);
        }
        return true;
    }

    private long allocLarge(long size) {
        long npages = (size + PAGE - 1) >>> PAGE_SHIFT;
        if (npages << PAGE_SHIFT > arena.reservedBytes()) {
            return 0;
        }
        reclaim(npages);
        long addr = pages.alloc(npages);
        if (addr == 0) {
            return 0;
        }
        Run r = newRun(addr, (int) npages, -1, npages << PAGE_SHIFT);
        r.setAllocated(0, true);
        r.allocCount = 1;
        if (r.needzero) {
            arena.zero(addr, r.bytes());
        }
        allocs[0]++;
        requested[0] += size;
        largeBytes += r.bytes();
        return addr;
    }

    private Run newRun(long addr, int npages, int bucket, long elem) {
        Run r = new Run(addr, npages, bucket, elem, sweepgen);
        r.needzero = pages.needsZero(addr, npages);
        setRuns(r, r);
        r.listIndex = runs.size();
        runs.add(r);
        runsInUse[bucket + 1]++;
        return r;
    }

    private void freeRun(Run r) {
        r.inUse = false;
        setRuns(r, null);
        Run last = runs.remove(runs.size() - 1);
        if (last != r) {
            runs.set(r.listIndex, last);
            last.listIndex = r.listIndex;
        }
        runsInUse[r.bucket + 1]--;
        pages.free(r.start, r.npages);
        reclaimedPages += r.npages;
    }

    private void setRuns(Run r, Run value) {
        long first = r.start >>> PAGE_SHIFT;
        for (long p = first; p < first + r.npages; p++) {
            int a = (int) (p / PAGES_PER_ARENA);
            Run[] table = runsByPage[a];
            if (table == null) {
                table = new Run[PAGES_PER_ARENA];
                ARENA_AT.setRelease(runsByPage, a, table);
            }
            RUN_AT.setRelease(table, (int) (p % PAGES_PER_ARENA), value);
        }
    }

    private Run runOf(long addr) {
        if (addr <= 0 || addr >= arena.reservedBytes()) {
            return null;
        }
        Run[] table = (Run[]) ARENA_AT.getAcquire(runsByPage, (int) (addr >>> ARENA_SHIFT));
        return table == null ? null : (Run) RUN_AT.getAcquire(table, (int) ((addr >>> PAGE_SHIFT) % PAGES_PER_ARENA));
    }

    // ------------------------------------------------------------------ sweeping

    /** Frees the unmarked blocks of {@code r}, clears its mark bits, frees it if empty. */
    private void sweepRun(Run r) {
        int freed = 0;
        long[] freedAddrs = null;
        int nfreed = 0;
        for (int i = 0; i < r.nelems; i++) {
            if (!r.isAllocated(i)) {
                continue;
            }
            long addr = r.start + i * r.elemSize;
            if (marks.isMarked(addr)) {
                continue;
            }
            r.setAllocated(i, false);
            r.allocCount--;
            freed++;
            if (clobberfree) {
                arena.poison(addr, r.elemSize);
            }
            if (r.bucket >= 0) {
                if (freedAddrs == null) {
                    freedAddrs = new long[r.nelems];
                }
                freedAddrs[nfreed++] = addr;
            }
        }
        marks.clear(r.start, r.bytes());
        r.sweepgen = sweepgen;
        frees[r.bucket + 1] += freed;
        if (r.bucket < 0) {
            if (freed > 0) {
                largeBytesFreed += r.bytes();
                freeRun(r);
            }
            return;
        }
        if (freed > 0) {
            r.needzero = true;
        }
        if (r.allocCount == 0) {
            freeRun(r);
            return;
        }
        for (int k = nfreed - 1; k >= 0; k--) {
            freeLists[r.bucket].push(freedAddrs[k]);
        }
    }

    /** Sweeps the next run of this cycle that needs it; its pages, or -1 if none is left. */
    private long sweepOneLocked() {
        int sg = sweepgen;
        while (sweepCursor < toSweep.length) {
            Run r = toSweep[sweepCursor];
            toSweep[sweepCursor++] = null;
            if (r.inUse && r.sweepgen == sg - 2) {
                sweepRun(r);
                return r.npages;
            }
        }
        sweepdone = true;
        return -1;
    }

    /** Before taking new pages while sweeping is unfinished: sweep until {@code npages} pages were freed. */
    private void reclaim(long npages) {
        long start = reclaimedPages;
        while (!sweepdone && reclaimedPages - start < npages) {
            sweepOneLocked();
        }
    }

    @Override
    public void startSweepCycle() {
        lock.lock();
        try {
            while (sweepOneLocked() >= 0) {
                // finish the previous cycle
            }
            sweepgen += 2;
            toSweep = runs.toArray(new Run[0]);
            sweepCursor = 0;
            sweepdone = toSweep.length == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long sweepOne() {
        if (sweepdone) {
            return -1;
        }
        lock.lock();
        try {
            return sweepOneLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean sweepDone() {
        return sweepdone;
    }

    @Override
    public long sweepgen() {
        return sweepgen;
    }

    @Override
    public void releaseCache(int procId) {
        // No per-P cache.
    }

    // ------------------------------------------------------------------ introspection

    @Override
    public void forEachAllocated(BlockVisitor visitor) {
        lock.lock();
        try {
            for (Run r : runs) {
                for (int i = 0; i < r.nelems; i++) {
                    if (r.isAllocated(i)) {
                        visitor.visit(r.start + i * r.elemSize, r.elemSize, false);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isAllocated(long addr) {
        return blockStart(addr) != 0;
    }

    @Override
    public long blockStart(long addr) {
        Run r = runOf(addr);
        if (r == null) {
            return 0;
        }
        long i = (addr - r.start) / r.elemSize;
        if (i >= r.nelems || !r.isAllocated((int) i)) {
            return 0;
        }
        return r.start + i * r.elemSize;
    }

    @Override
    public long blockSize(long addr) {
        return blockStart(addr) == 0 ? 0 : runOf(addr).elemSize;
    }

    @Override
    public AllocStats stats() {
        LockStats global = LockStats.of("global", lock); // before we take it ourselves
        lock.lock();
        try {
            long objects = 0;
            long bytesAllocated = largeBytes;
            long bytesFreed = largeBytesFreed;
            long bytesRequested = 0;
            long blocksFreed = 0;
            List<SizeClassStats> classes = new ArrayList<>(NUM_BUCKETS + 1);
            classes.add(new SizeClassStats(0, 0, allocs[0], requested[0], largeBytes - requested[0], frees[0],
                    runsInUse[0], 0, 0));
            for (int c = 0; c <= NUM_BUCKETS; c++) {
                objects += allocs[c];
                bytesRequested += requested[c];
                blocksFreed += frees[c];
            }
            for (int b = 0; b < NUM_BUCKETS; b++) {
                long size = bucketSize(b);
                long runBytes = Math.max(PAGE, size);
                bytesAllocated += allocs[b + 1] * size;
                bytesFreed += frees[b + 1] * size;
                classes.add(new SizeClassStats(b + 1, size, allocs[b + 1], requested[b + 1],
                        allocs[b + 1] * size - requested[b + 1], frees[b + 1], runsInUse[b + 1], runBytes,
                        runsInUse[b + 1] * (runBytes % size)));
            }
            return new AllocStats(GlobalFreeListStrategy.NAME, objects, 0, blocksFreed, bytesAllocated,
                    bytesRequested, bytesFreed, pages.pagesInUse * PAGE, arena.committedEnd(),
                    arena.arenasCommitted(), pages.growths, 0, List.of(global), List.copyOf(classes));
        } finally {
            lock.unlock();
        }
    }
}
