package org.gort.api;

/** {@code sync.Locker}: something that can be locked and unlocked ({@link Mutex}, {@link RWMutex}). */
public interface Locker {
    void lock();

    void unlock();
}
