package org.gort.spi.heap;

import org.gort.spi.sched.Goroutine;

/**
 * Called when the allocator has no memory left for a request of {@code size} bytes, before the
 * kernel raises the out-of-memory error. A collector may run a full, blocking cycle here (the
 * calling goroutine holds no unrooted object yet, so the world may be stopped) and return true
 * to have the allocation retried once; returning false fails it.
 */
@FunctionalInterface
public interface AllocationFailureHook {
    boolean collectBeforeFailing(Goroutine g, long size);
}
