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
    private ArrayDeque<G> waiters = new ArrayDeque<>();

    /** Parks the calling goroutine; the caller holds {@link #lock}, which is released on suspension. */
    void parkLocked(G g, String reason) {
        waiters.addLast(g);
        g.rt.gopark(g, reason, lock.unlocker);
    }

    G pollLocked() {
        return waiters.pollFirst();
    }

    /**
     * Takes every waiter at once, in O(1) whatever their number (Go's wake-ups collect a
     * {@code gList} the same way), so that the lock is not held while 100 000 are readied.
     */
    ArrayDeque<G> takeAllLocked() {
        ArrayDeque<G> all = waiters;
        waiters = new ArrayDeque<>();
        return all;
    }

    boolean isEmptyLocked() {
        return waiters.isEmpty();
    }
}
