package org.gort.api;

import org.gort.kernel.SyncImpl;

/** {@code sync.RWMutex}: a waiting writer blocks new readers. */
public final class RWMutex {
    private final SyncImpl.RWMutex impl = new SyncImpl.RWMutex();

    public void rlock() {
        impl.rlock();
    }

    public void runlock() {
        impl.runlock();
    }

    public void lock() {
        impl.lock();
    }

    public void unlock() {
        impl.unlock();
    }
}
