package org.gort.api;

import org.gort.kernel.SyncImpl;

/**
 * {@code sync.Cond}: goroutines wait for a condition under a {@link Locker}.
 *
 * <pre>{@code
 * mu.lock();
 * while (!ready) {
 *     cond.await();           // c.Wait(): unlocks mu, parks, locks mu again
 * }
 * mu.unlock();
 * }</pre>
 *
 * As in Go, waiters are served in the order they began waiting (a ticket each), and a
 * {@link #signal()} that arrives between a waiter's unlock and its park is not lost.
 */
public final class Cond {
    /** {@code c.L}: the lock held while the condition is observed or changed. */
    public final Locker l;
    private final SyncImpl.NotifyList notify = new SyncImpl.NotifyList();

    /** {@code sync.NewCond(l)}. */
    public Cond(Locker l) {
        if (l == null) {
            throw new NullPointerException("sync.NewCond: nil Locker");
        }
        this.l = l;
    }

    /**
     * {@code c.Wait()}: atomically unlocks {@link #l} and parks; locks {@link #l} again before
     * returning. Named {@code await} because {@code Object.wait} is final.
     */
    public void await() {
        long t = notify.add();
        l.unlock();
        notify.await(t);
        l.lock();
    }

    /** {@code c.Signal()}: wakes the goroutine that has waited longest, if any. */
    public void signal() {
        notify.notifyOne();
    }

    /** {@code c.Broadcast()}: wakes every waiting goroutine. */
    public void broadcast() {
        notify.notifyEveryone();
    }
}
