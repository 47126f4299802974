package org.gort.api;

import org.gort.kernel.SyncImpl;

/** {@code sync.Mutex}: FIFO hand-off under contention; unlocking an unlocked mutex is a fatal error. */
public final class Mutex {
    private final SyncImpl.Mutex impl = new SyncImpl.Mutex();

    public void lock() {
        impl.lock();
    }

    public boolean tryLock() {
        return impl.tryLock();
    }

    public void unlock() {
        impl.unlock();
    }
}
