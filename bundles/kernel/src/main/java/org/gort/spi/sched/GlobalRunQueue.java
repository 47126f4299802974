package org.gort.spi.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's global run queue ({@code sched.runq}): a FIFO of Gs linked through
 * {@link Goroutine#schedLink()}, guarded by one {@link MeteredLock} ({@code sched.lock}).
 *
 * <p>Every method here takes the lock itself; the {@code ...Locked} variants are for callers
 * that already hold it, to batch several operations under one acquisition (as
 * {@code globrunqget} runs under {@code sched.lock} in Go). The size is kept in a volatile
 * field so that {@code findRunnable}'s "is it worth taking the lock?" test and
 * {@code schedtrace} read it without locking, exactly like Go's {@code sched.runqsize}.
 */
public final class GlobalRunQueue {
    private final MeteredLock lock;
    private Goroutine head;
    private Goroutine tail;
    private volatile int size;

    public GlobalRunQueue(MeteredLock lock) {
        this.lock = lock;
    }

    public MeteredLock lock() {
        return lock;
    }

    /** Unlocked read of the length; may be stale. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** {@code globrunqput}: append {@code g} at the tail. */
    public void put(Goroutine g) {
        lock.lock();
        try {
            putLocked(g);
        } finally {
            lock.unlock();
        }
    }

    /** {@code globrunqputhead}: put {@code g} at the head, to run before the others. */
    public void putHeadLocked(Goroutine g) {
        g.setSchedLink(head);
        head = g;
        if (tail == null) {
            tail = g;
        }
        size++;
    }

    public void putLocked(Goroutine g) {
        putBatchLocked(g, g, 1);
    }

    /**
     * {@code globrunqputbatch}: append the chain {@code first} .. {@code last}, already linked
     * through {@link Goroutine#schedLink()}, of {@code n} Gs, in O(1). The caller links the
     * chain before taking the lock, as {@code runqputslow} does, so the lock is held for a
     * splice, not for {@code n} appends.
     */
    public void putBatchLocked(Goroutine first, Goroutine last, int n) {
        last.setSchedLink(null);
        if (tail == null) {
            head = first;
        } else {
            tail.setSchedLink(first);
        }
        tail = last;
        size += n;
    }

    /**
     * Detach up to {@code n} Gs from the head as one chain and return its first G (null if
     * empty); the chain is linked through {@link Goroutine#schedLink()} and ends with null. The
     * size is updated once, so the lock is held for {@code n} link reads and one write.
     */
    public Goroutine takeBatchLocked(int n) {
        Goroutine first = head;
        if (first == null || n <= 0) {
            return null;
        }
        Goroutine last = first;
        int taken = 1;
        for (; taken < n; taken++) {
            Goroutine next = (Goroutine) last.schedLink();
            if (next == null) {
                break;
            }
            last = next;
        }
        head = (Goroutine) last.schedLink();
        if (head == null) {
            tail = null;
        }
        last.setSchedLink(null);
        size -= taken;
        return first;
    }

    /** Remove and return the head, or null. */
    public Goroutine get() {
        if (size == 0) {
            return null;
        }
        lock.lock();
        try {
            return getLocked();
        } finally {
            lock.unlock();
        }
    }

    public Goroutine getLocked() {
        Goroutine g = head;
        if (g == null) {
            return null;
        }
        head = (Goroutine) g.schedLink();
        if (head == null) {
            tail = null;
        }
        g.setSchedLink(null);
        size--;
        return g;
    }

    /** Remove every G, in order. */
    public List<Goroutine> drain() {
        lock.lock();
        try {
            List<Goroutine> all = new ArrayList<>(size);
            for (Goroutine g; (g = getLocked()) != null; ) {
                all.add(g);
            }
            return all;
        } finally {
            lock.unlock();
        }
    }
}
