package org.gort.spi.alloc;

/**
 * One heap's allocator, made by an {@link AllocatorStrategy}.
 *
 * <h2>Allocation</h2>
 * {@link #allocate} returns zeroed memory, aligned to 8 bytes, except that a noscan request
 * under 16 bytes that is not a multiple of 8 needs only 4-byte alignment (Go's tiny allocator
 * packs such objects). The kernel calls it with the id of the P the caller holds; at most one
 * thread allocates with a given proc id at a time, so per-P state needs no lock.
 *
 * <h2>Sweeping (Go's sweep generations)</h2>
 * The allocator keeps a heap {@code sweepgen} that advances by 2 per cycle; a span whose
 * {@code sweepgen} is {@code h-2} needs sweeping, {@code h-1} is being swept, {@code h} is swept.
 * <ol>
 *   <li>At mark termination, with the world stopped, the collector calls
 *       {@link #startSweepCycle}: {@code sweepgen += 2}, every per-P cache is flushed, every
 *       span now needs sweeping.</li>
 *   <li>Sweeping then proceeds eagerly ({@link #finishSweep}) or lazily: a background sweeper
 *       calls {@link #sweepOne} until it returns -1, and allocation sweeps spans before reusing
 *       them. Sweeping a span frees every block whose mark bit is clear (a tiny block: whose
 *       16 bytes hold no set bit) and clears the span's mark bits.</li>
 *   <li>Before marking the next cycle, the collector calls {@link #finishSweep} (Go's
 *       {@code finishsweep_m}), so the mark bitmap is clear when marking starts.</li>
 * </ol>
 * Invariant: the allocator never allocates into an unswept span, so a block allocated after
 * {@code startSweepCycle} is never freed by that cycle's sweep.
 */
public interface Allocator {

    /**
     * Go's {@code mallocgc} minus the object header: a zeroed block of at least {@code size}
     * bytes for a scan ({@code noscan == false}) or pointer-free object, allocated on behalf of
     * P {@code procId}; 0 when the heap limit is reached.
     */
    long allocate(long size, boolean noscan, int procId);

    /**
     * Mark termination, world stopped: advance {@code sweepgen} by 2 and flush every per-P
     * cache, so that every span needs sweeping. Finishes any sweep left from the previous cycle
     * first.
     */
    void startSweepCycle();

    /**
     * Go's {@code sweepone}: sweeps one span that needs it; returns the number of pages swept,
     * or -1 when nothing is left to sweep this cycle. Safe from any thread, concurrently with
     * allocation.
     */
    long sweepOne();

    /** True when every span is swept for the current {@code sweepgen}. */
    boolean sweepDone();

    /** Go's {@code finishsweep_m}: sweeps everything that still needs it. */
    default void finishSweep() {
        while (sweepOne() >= 0) {
            // keep sweeping
        }
    }

    /** Sweeps at least {@code npages} pages, or until nothing is left; returns pages swept. */
    default long sweepPages(long npages) {
        long swept = 0;
        while (swept < npages) {
            long n = sweepOne();
            if (n < 0) {
                break;
            }
            swept += n;
        }
        return swept;
    }

    /** Eager sweep of a whole cycle ({@code gcstoptheworld=2}): world stopped. */
    default void sweepNow() {
        startSweepCycle();
        finishSweep();
    }

    /** The heap's current {@code sweepgen}. */
    long sweepgen();

    /**
     * Releases P {@code procId}'s cache (Go's {@code mcache.releaseAll}), e.g. when the P is
     * destroyed or a benchmark thread is done. The caller owns {@code procId}.
     */
    void releaseCache(int procId);

    /**
     * Visits every allocated block (for verification and heap dumps). World stopped: nobody
     * allocates or sweeps meanwhile.
     */
    void forEachAllocated(BlockVisitor visitor);

    /** True if {@code addr} lies in an allocated block. */
    boolean isAllocated(long addr);

    /** Start of the allocated block containing {@code addr}, or 0 if it is not in one. */
    long blockStart(long addr);

    /** Size of the allocated block containing {@code addr}, or 0 if it is not in one. */
    long blockSize(long addr);

    /** Counters; exact when nobody allocates or sweeps meanwhile. */
    AllocStats stats();

    /**
     * Pages in in-use spans (Go's {@code mheap_.pagesInUse}), for sweep pacing at mark
     * termination, with the world stopped: override with an O(1) counter, as the default
     * builds the whole {@link #stats()}.
     */
    default long pagesInUse() {
        return stats().bytesInSpans() / HeapArena.PAGE_SIZE;
    }

    /**
     * Block bytes allocated and not yet freed by a sweep (Go's {@code totalAlloc - totalFree},
     * the {@code heapAlloc} of the memory limit's goal): after mark termination, garbage not
     * swept yet still counts, as in Go, until its sweep frees it. Read by sysmon about every
     * millisecond while a memory limit is set, from any thread, without the allocator's locks:
     * approximate while others allocate or sweep. Override with a cheap sum; the default builds
     * the whole {@link #stats()}.
     *
     * @since 1.4
     */
    default long bytesInUse() {
        return stats().bytesInUse();
    }

    /**
     * Go's scavenger ({@code mheap.scavenge}): gives up to {@code bytes} of free pages back to
     * the operating system ({@link HeapArena#release}), and returns how many bytes it released:
     * 0 when nothing free is left to release, or when this allocator does not scavenge (the
     * default). Safe from any thread, concurrently with allocation.
     */
    default long scavenge(long bytes) {
        return 0;
    }

    /** Free bytes given back to the operating system and not reused since (Go's {@code HeapReleased}). */
    default long releasedBytes() {
        return 0;
    }

    /**
     * The heap's memory this allocator keeps from the operating system: committed and not
     * released (the memory limit's figure, Go's {@code mappedReady}), given the arena's
     * {@code committedBytes}. The default is {@code committedBytes - releasedBytes()}. Read
     * without the allocator's lock, that difference is only as consistent as the order of its
     * two counters: an allocator that counts a new arena's untouched pages as released
     * ({@link #releasedBytes}) after the arena has published them would show the whole arena as
     * retained in between, so it keeps this figure in a field of its own and overrides this.
     * Safe from any thread.
     */
    default long retainedBytes(long committedBytes) {
        return Math.max(0, committedBytes - releasedBytes());
    }

    /** Called once when the heap is closed. */
    default void close() {
    }
}
