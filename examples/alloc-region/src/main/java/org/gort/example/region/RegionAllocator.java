package org.gort.example.region;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * A bump-pointer region allocator: the simplest fast path there is, paid for in space.
 *
 * Policy:
 *  - Each P owns one region of 64 KiB (8 pages) and allocates by bumping a pointer in it:
 *    round the size up to 8 bytes, hand out the pointer, move it on. No size classes, no free
 *    lists, no lock on the fast path (the SPI gives each proc id one thread at a time). When
 *    the region is full, the P takes a fresh one under the lock.
 *  - An object over 16 KiB gets a region of its own, of as many pages as it needs.
 *  - Nothing is reused before a GC cycle, and then only whole regions: sweeping marks the
 *    unmarked blocks of a region dead (they stop being allocated at once), but the region's
 *    pages go back to the page heap only when none of its blocks is left alive. A region
 *    with one survivor keeps all its 64 KiB: that is the price of bumping.
 *  - Pages come from a first-fit page heap that commits arenas as it grows; pages handed out
 *    again are zeroed when taken, so every block is zero when allocated.
 *
 * Invariants (the SPI's sweeping contract): startSweepCycle, with the world stopped, retires
 * every P's region, so no region that needs sweeping is ever bumped again; a region taken
 * afterwards is born swept (its sweepgen is the heap's). Before growing the heap while a sweep
 * is unfinished, the allocator finishes it, so memory that a sweep would free is never
 * committed twice.
 */
final class RegionAllocator implements Allocator {
    static final int REGION_PAGES = 8;
    static final long LARGE = 16 * 1024;
    private static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;
    private static final long PAGE = HeapArena.PAGE_SIZE;
    private static final int ARENA_SHIFT = Long.numberOfTrailingZeros(HeapArena.ARENA_BYTES);
    private static final int PAGES_PER_ARENA = (int) (HeapArena.ARENA_BYTES / PAGE);
    private static final VarHandle REGION_AT = MethodHandles.arrayElementVarHandle(Region[].class);
    private static final VarHandle TABLE_AT = MethodHandles.arrayElementVarHandle(Region[][].class);

    private final HeapArena arena;
    private final MarkBitmap marks;
    private final boolean clobberfree;
    private final MeteredLock lock;
    /** Per P: the region it bumps in, and its counters (written by that P only). */
    private final Region[] current;
    private final long[] objects;
    private final long[] requested;
    private final long[] bytes;
    /** Page -> region, two levels (arena, page), published with release stores. */
    private final Region[][] byPage;

    // under the lock
    private final List<Region> regions = new ArrayList<>();
    private final TreeMap<Long, Long> freePages = new TreeMap<>(); // first page -> pages
    private long zeroedBase = PAGE; // pages from here on were never handed out: still zero
    private volatile long pagesInUse;
    private long growths;
    private long regionsTaken;
    private long blocksFreed;
    private long bytesFreed;
    private Region[] toSweep = new Region[0];
    private int sweepCursor;
    private volatile boolean sweepdone = true;
    private volatile long sweepgen;

    RegionAllocator(AllocContext ctx) {
        this.arena = ctx.arena();
        this.marks = ctx.markBitmap();
        this.clobberfree = ctx.clobberfree();
        this.lock = ctx.newMeteredLock("region");
        int procs = ctx.gomaxprocs();
        this.current = new Region[procs];
        this.objects = new long[procs];
        this.requested = new long[procs];
        this.bytes = new long[procs];
        this.byPage = new Region[(int) ((arena.reservedBytes() + HeapArena.ARENA_BYTES - 1) >>> ARENA_SHIFT)][];
    }

    // ------------------------------------------------------------------ allocation

    @Override
    public long allocate(long size, boolean noscan, int procId) {
        if (size <= 0) {
            throw new IllegalArgumentException("region: allocation size must be positive, got " + size);
        }
        long need = (size + 7) & ~7L;
        Region r;
        if (need > LARGE) {
            r = take((int) ((need + PAGE - 1) >>> PAGE_SHIFT), false);
        } else {
            r = current[procId];
            if (r == null || r.top + need > r.end) {
                r = take(REGION_PAGES, true);
                current[procId] = r;
            }
        }
        if (r == null) {
            return 0;
        }
        long addr = r.top;
        r.top += need;
        r.append(addr, need);
        objects[procId]++;
        requested[procId] += size;
        bytes[procId] += need;
        return addr;
    }

    /** A fresh region of {@code npages} pages, zeroed; null at the heap limit. */
    private Region take(int npages, boolean small) {
        lock.lock();
        try {
            long page = firstFit(npages);
            if (page < 0 && !sweepdone) {
                while (sweepOneLocked() >= 0) {
                    // free what this cycle's sweep would free before growing the heap
                }
                page = firstFit(npages);
            }
            if (page < 0) {
                if (!grow(npages)) {
                    return null;
                }
                page = firstFit(npages);
                if (page < 0) {
                    return null;
                }
            }
            long addr = page << PAGE_SHIFT;
            long len = (long) npages << PAGE_SHIFT;
            if (addr < zeroedBase) {
                arena.zero(addr, len);
            }
            zeroedBase = Math.max(zeroedBase, addr + len);
            pagesInUse += npages;
            Region r = new Region(addr, npages, sweepgen);
            r.listIndex = regions.size();
            regions.add(r);
            setTable(r, r);
            if (small) {
                regionsTaken++;
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    private long firstFit(long npages) {
        for (Map.Entry<Long, Long> e : freePages.entrySet()) {
            long start = e.getKey();
            long len = e.getValue();
            if (len >= npages) {
                freePages.remove(start);
                if (len > npages) {
                    freePages.put(start + npages, len - npages);
                }
                return start;
            }
        }
        return -1;
    }

    private void freePagesOf(long page, long npages) {
        Map.Entry<Long, Long> prev = freePages.floorEntry(page - 1);
        if (prev != null && prev.getKey() + prev.getValue() == page) {
            freePages.remove(prev.getKey());
            page = prev.getKey();
            npages += prev.getValue();
        }
        Long next = freePages.remove(page + npages);
        freePages.put(page, next == null ? npages : npages + next);
    }

    private boolean grow(long npages) {
        long start = arena.grow(npages << PAGE_SHIFT);
        if (start == 0) {
            return false;
        }
        freePagesOf(start >>> PAGE_SHIFT, (arena.committedEnd() - start) >>> PAGE_SHIFT);
        growths++;
        return true;
    }

    private void setTable(Region r, Region value) {
        long first = r.start >>> PAGE_SHIFT;
        for (long p = first; p < first + r.npages; p++) {
            int a = (int) (p / PAGES_PER_ARENA);
            Region[] table = byPage[a];
            if (table == null) {
                table = new Region[PAGES_PER_ARENA];
                TABLE_AT.setRelease(byPage, a, table);
            }
            REGION_AT.setRelease(table, (int) (p % PAGES_PER_ARENA), value);
        }
    }

    private Region regionOf(long addr) {
        if (addr <= 0 || addr >= arena.reservedBytes()) {
            return null;
        }
        Region[] table = (Region[]) TABLE_AT.getAcquire(byPage, (int) (addr >>> ARENA_SHIFT));
        return table == null ? null : (Region) REGION_AT.getAcquire(table, (int) ((addr >>> PAGE_SHIFT) % PAGES_PER_ARENA));
    }

    // ------------------------------------------------------------------ sweeping

    /** Frees the unmarked blocks of {@code r}, clears its mark bits, frees its pages if nothing is alive. */
    private void sweep(Region r) {
        for (int i = 0; i < r.count(); i++) {
            long addr = r.startOf(i);
            if (r.isDead(i) || marks.isMarked(addr)) {
                continue;
            }
            r.kill(i);
            blocksFreed++;
            bytesFreed += r.sizeOf(i);
            if (clobberfree) {
                arena.poison(addr, r.sizeOf(i));
            }
        }
        marks.clear(r.start, r.end - r.start);
        r.sweepgen = sweepgen;
        if (r.live == 0) {
            setTable(r, null);
            Region last = regions.remove(regions.size() - 1);
            if (last != r) {
                regions.set(r.listIndex, last);
                last.listIndex = r.listIndex;
            }
            pagesInUse -= r.npages;
            freePagesOf(r.start >>> PAGE_SHIFT, r.npages);
        }
    }

    private long sweepOneLocked() {
        while (sweepCursor < toSweep.length) {
            Region r = toSweep[sweepCursor];
            toSweep[sweepCursor++] = null;
            if (r.sweepgen == sweepgen - 2) {
                sweep(r);
                return r.npages;
            }
        }
        sweepdone = true;
        return -1;
    }

    @Override
    public void startSweepCycle() {
        lock.lock();
        try {
            while (sweepOneLocked() >= 0) {
                // finish the previous cycle
            }
            sweepgen += 2;
            Arrays.fill(current, null); // retired: never bumped again
            toSweep = regions.toArray(new Region[0]);
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
        current[procId] = null;
    }

    // ------------------------------------------------------------------ introspection

    @Override
    public void forEachAllocated(BlockVisitor visitor) {
        lock.lock();
        try {
            for (Region r : regions) {
                for (int i = 0; i < r.count(); i++) {
                    if (!r.isDead(i)) {
                        visitor.visit(r.startOf(i), r.sizeOf(i), false);
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
        Region r = regionOf(addr);
        int i = r == null ? -1 : r.indexOf(addr);
        return i < 0 ? 0 : r.startOf(i);
    }

    @Override
    public long blockSize(long addr) {
        Region r = regionOf(addr);
        int i = r == null ? -1 : r.indexOf(addr);
        return i < 0 ? 0 : r.sizeOf(i);
    }

    @Override
    public long pagesInUse() {
        return pagesInUse;
    }

    @Override
    public AllocStats stats() {
        LockStats region = LockStats.of("region", lock); // before we take it ourselves
        lock.lock();
        try {
            long n = 0;
            long req = 0;
            long b = 0;
            for (int p = 0; p < objects.length; p++) {
                n += objects[p];
                req += requested[p];
                b += bytes[p];
            }
            // one "class" of variable-size blocks, as large objects are in Go's table
            SizeClassStats all = new SizeClassStats(0, 0, n, req, b - req, blocksFreed, regions.size(),
                    REGION_PAGES * PAGE, 0);
            return new AllocStats(RegionStrategy.NAME, n, 0, blocksFreed, b, req, bytesFreed, pagesInUse * PAGE,
                    arena.committedEnd(), arena.arenasCommitted(), growths, regionsTaken, List.of(region), List.of(all));
        } finally {
            lock.unlock();
        }
    }
}
