package org.gort.api;

import org.gort.kernel.SyncImpl;

/**
 * {@code sync.Mutex}, with Go 1.9's two modes. In normal mode a woken waiter competes with
 * newly arriving goroutines (which usually win: they are already running); a waiter that has
 * waited more than 1 ms switches the mutex to starvation mode, in which unlock hands it
 * straight to the oldest waiter and newcomers queue behind. Unlocking an unlocked mutex is a
 * fatal error.
 */
public final class Mutex implements Locker {
    private final SyncImpl.Mutex impl = new SyncImpl.Mutex();

    @Override
    public void lock() {
        impl.lock();
    }

    /** {@code m.TryLock()}: takes the mutex if it is free (never in starvation mode). */
    public boolean tryLock() {
        return impl.tryLock();
    }

    @Override
    public void unlock() {
        impl.unlock();
    }

    /** True while the mutex is in starvation mode (not in Go's API: for seeing the mode switch). */
    public boolean starving() {
        return impl.starving();
    }

    /** How many times this mutex has entered starvation mode (not in Go's API). */
    public long starvations() {
        return impl.starvations();
    }
}
