package org.gort.spi.alloc;

import java.util.List;

/**
 * An allocator's counters, comparable across strategies. Bytes are counted in blocks (what an
 * allocation occupies after rounding to its size class); a tiny block counts once, when it is
 * taken, however many objects it packs.
 *
 * @param allocator        strategy name
 * @param objectsAllocated objects handed out, cumulative (tiny objects included)
 * @param tinyAllocs       of those, objects packed into a tiny block
 * @param blocksFreed      blocks freed by sweeping, cumulative (a tiny block counts once)
 * @param bytesAllocated   block bytes handed out, cumulative
 * @param bytesRequested   bytes asked for, cumulative
 * @param bytesFreed       block bytes freed by sweeping, cumulative
 * @param bytesInSpans     bytes of pages held by spans (in use or cached), Go's {@code HeapInuse}
 * @param bytesCommitted   bytes of committed arenas, Go's {@code HeapSys}
 * @param arenasCommitted  arenas committed (heap growth)
 * @param heapGrowths      calls that grew the heap
 * @param cacheRefills     per-P cache refills (Go's {@code mcache.refill}); 0 without a cache
 * @param locks            acquisitions per lock level
 * @param sizeClasses      per size class, class 0 = large objects
 */
public record AllocStats(String allocator,
                         long objectsAllocated, long tinyAllocs, long blocksFreed,
                         long bytesAllocated, long bytesRequested, long bytesFreed,
                         long bytesInSpans, long bytesCommitted, long arenasCommitted, long heapGrowths,
                         long cacheRefills,
                         List<LockStats> locks,
                         List<SizeClassStats> sizeClasses) {

    /** Blocks handed out: every object except those packed into an existing tiny block. */
    public long blocksAllocated() {
        return objectsAllocated - tinyAllocs;
    }

    /** Blocks allocated and not yet freed. */
    public long blocksInUse() {
        return blocksAllocated() - blocksFreed;
    }

    /** Block bytes allocated and not yet freed: {@code bytesAllocated - bytesFreed}. */
    public long bytesInUse() {
        return bytesAllocated - bytesFreed;
    }

    /** Internal fragmentation: bytes lost to size-class rounding, cumulative. */
    public long internalWaste() {
        long w = 0;
        for (SizeClassStats s : sizeClasses) {
            w += s.internalWaste();
        }
        return w;
    }

    /** Acquisitions of every lock level together. */
    public long lockAcquisitions() {
        long n = 0;
        for (LockStats l : locks) {
            n += l.acquisitions();
        }
        return n;
    }

    /** Objects allocated per lock acquisition: what a per-P cache buys. */
    public double allocationsPerLock() {
        long n = lockAcquisitions();
        return n == 0 ? objectsAllocated : (double) objectsAllocated / n;
    }

    /** The lock level named {@code name}, or an all-zero entry. */
    public LockStats lock(String name) {
        for (LockStats l : locks) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return new LockStats(name, 0, 0, 0);
    }
}
