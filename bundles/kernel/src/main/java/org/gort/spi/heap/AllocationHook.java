package org.gort.spi.heap;

import org.gort.spi.sched.Goroutine;

/**
 * Called by the kernel after each successful allocation, with the allocating goroutine
 * ({@code null} when the allocator is driven outside a goroutine, as in benchmarks), the new
 * object's address and its size in bytes. A collector uses it to allocate black while marking
 * (Go's {@code gcmarknewobject}) and to account allocation for pacing and assists (Go's
 * {@code gcAssistBytes}, {@code heap_live}).
 *
 * <p>The new object is not rooted yet when {@link #allocated} runs: it must not stop the world,
 * park, or start a collection itself. To trigger a cycle, request it; the request is honoured
 * at the goroutine's next safepoint, by which time the caller has rooted the object. Before an
 * allocation, at the goroutine's safepoint and before anything is allocated,
 * {@link #beforeAllocating} may park the goroutine.
 */
@FunctionalInterface
public interface AllocationHook {
    void allocated(Goroutine g, long addr, long size);

    /**
     * The same, from a goroutine that allocated on P {@code procId} (-1 off a goroutine): the
     * kernel knows the P already, so the hook need not look it up again on every allocation.
     */
    default void allocated(Goroutine g, int procId, long addr, long size) {
        allocated(g, addr, size);
    }

    /**
     * Goroutine {@code g} (never null) is about to allocate; it holds no unrooted object (the
     * rooting contract), so the hook may park it, as Go's {@code gcStart} holds an allocating
     * goroutine on {@code work.startSema} while a triggered cycle is starting.
     */
    default void beforeAllocating(Goroutine g) {
    }

    /**
     * The same, knowing the size of the object about to be allocated, so that the collector can
     * charge the goroutine for it first and make it assist (or park it) before the allocation,
     * as Go's {@code mallocgc} does in {@code deductAssistCredit}. The kernel calls this one.
     */
    default void beforeAllocating(Goroutine g, long size) {
        beforeAllocating(g);
    }
}
