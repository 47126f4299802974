package org.gort.spi.alloc;

import org.gort.spi.sched.MeteredLock;

/**
 * Acquisitions of one lock level, e.g. {@code mcentral} or {@code mheap} or the baseline's
 * single global lock; {@code contended} acquisitions had to wait, for {@code waitNanos} in all.
 */
public record LockStats(String name, long acquisitions, long contended, long waitNanos) {
    public static LockStats of(String level, MeteredLock lock) {
        return new LockStats(level, lock.acquisitions(), lock.contended(), lock.waitNanos());
    }

    public LockStats plus(LockStats other) {
        return new LockStats(name, acquisitions + other.acquisitions, contended + other.contended,
                waitNanos + other.waitNanos);
    }
}
