package org.gort.api;

import org.gort.kernel.SyncImpl;

/** {@code sync.RWMutex}: a waiting writer blocks new readers. */
public final class RWMutex implements Locker {
    private final SyncImpl.RWMutex impl = new SyncImpl.RWMutex();

    public void rlock() {
        impl.rlock();
    }

    public void runlock() {
        impl.runlock();
    }

    @Override
    public void lock() {
        impl.lock();
    }

    @Override
    public void unlock() {
        impl.unlock();
    }

    /** {@code rw.RLocker()}: a {@link Locker} whose lock and unlock are {@link #rlock} and {@link #runlock}. */
    public Locker rlocker() {
        return new Locker() {
            @Override
            public void lock() {
                rlock();
            }

            @Override
            public void unlock() {
                runlock();
            }
        };
    }
}
