package org.gort.kernel;

import java.util.ArrayDeque;

/**
 * A FIFO of parked goroutines under a {@link SpinLock}: the wait list behind the
 * {@code sync} primitives (Go's {@code semaRoot}, without the treap: one queue per primitive).
 * A goroutine enqueues itself with the lock held and parks with {@code unlock} as its
 * {@code unlockf}; a waker dequeues with the lock held and readies after releasing it.
 */
final class GQueue {
    final SpinLock lock = new SpinLock();
    private final ArrayDeque<G> waiters = new ArrayDeque<>();

    /** Parks the calling goroutine; the caller holds {@link #lock}, which is released on suspension. */
    void parkLocked(G g, String reason) {
        waiters.addLast(g);
        g.rt.gopark(g, reason, lock.unlocker);
    }

    G pollLocked() {
        return waiters.pollFirst();
    }

    boolean isEmptyLocked() {
        return waiters.isEmpty();
    }

    int sizeLocked() {
        return waiters.size();
    }
}
