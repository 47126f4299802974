package org.gort.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.gort.api.FatalError;
import org.gort.api.GoPanic;

/*
 * Go's sync package over goroutine parking.
 *
 * Mutex: a CAS fast path on an uncontended lock; under contention, waiters queue FIFO and
 * unlock hands the mutex directly to the first waiter (Go's starvation mode, which is what
 * keeps 10 000 contending goroutines fair). The state stays locked across a hand-off, so a
 * barging fast-path CAS can never take it from the woken waiter.
 *
 * RWMutex: readers share, writers exclude; a waiting writer blocks new readers (as Go's
 * readerWait does), and releasing a writer admits every waiting reader before the next writer.
 *
 * WaitGroup: a counter; Wait parks until it reaches zero; a negative counter panics with Go's
 * message.
 */
public final class SyncImpl {
    private SyncImpl() {
    }

    public static final class Mutex {
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        private final GQueue q = new GQueue();

        public void lock() {
            G g = Current.g();
            g.rt.safepoint(g);
            if (state.compareAndSet(0, 1)) {
                return;
            }
            q.lock.lock();
            if (state.compareAndSet(0, 1)) {
                q.lock.unlock();
                return;
            }
            q.parkLocked(g, "sync.Mutex.Lock");
            // Woken by unlock: ownership was handed to us.
        }

        public boolean tryLock() {
            return state.compareAndSet(0, 1);
        }

        public void unlock() {
            q.lock.lock();
            if (state.get() == 0) {
                q.lock.unlock();
                throw new FatalError("sync: unlock of unlocked mutex");
            }
            G next = q.pollLocked();
            if (next == null) {
                state.set(0);
            }
            q.lock.unlock();
            if (next != null) {
                next.rt.goready(next);
            }
        }
    }

    public static final class RWMutex {
        private final GQueue q = new GQueue();
        private final java.util.ArrayDeque<G> writers = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<G> readers = new java.util.ArrayDeque<>();
        private int activeReaders;
        private boolean writerActive;

        public void rlock() {
            G g = Current.g();
            g.rt.safepoint(g);
            q.lock.lock();
            if (!writerActive && writers.isEmpty()) {
                activeReaders++;
                q.lock.unlock();
                return;
            }
            readers.addLast(g);
            g.rt.gopark(g, "sync.RWMutex.RLock", q.lock.unlocker);
        }

        public void runlock() {
            G wake = null;
            q.lock.lock();
            if (activeReaders <= 0) {
                q.lock.unlock();
                throw new FatalError("sync: RUnlock of unlocked RWMutex");
            }
            if (--activeReaders == 0 && !writers.isEmpty()) {
                wake = writers.pollFirst();
                writerActive = true;
            }
            q.lock.unlock();
            if (wake != null) {
                wake.rt.goready(wake);
            }
        }

        public void lock() {
            G g = Current.g();
            g.rt.safepoint(g);
            q.lock.lock();
            if (!writerActive && activeReaders == 0) {
                writerActive = true;
                q.lock.unlock();
                return;
            }
            writers.addLast(g);
            g.rt.gopark(g, "sync.RWMutex.Lock", q.lock.unlocker);
        }

        public void unlock() {
            List<G> wake = new ArrayList<>();
            q.lock.lock();
            if (!writerActive) {
                q.lock.unlock();
                throw new FatalError("sync: Unlock of unlocked RWMutex");
            }
            if (!readers.isEmpty()) {
                writerActive = false;
                activeReaders += readers.size();
                wake.addAll(readers);
                readers.clear();
            } else if (!writers.isEmpty()) {
                wake.add(writers.pollFirst()); // stays writerActive: handed over
            } else {
                writerActive = false;
            }
            q.lock.unlock();
            for (G w : wake) {
                w.rt.goready(w);
            }
        }
    }

    public static final class WaitGroup {
        private final GQueue q = new GQueue();
        private long counter;

        public void add(long delta) {
            ArrayDeque<G> wake = null;
            q.lock.lock();
            counter += delta;
            if (counter < 0) {
                q.lock.unlock();
                throw new GoPanic("sync: negative WaitGroup counter");
            }
            if (counter == 0 && !q.isEmptyLocked()) {
                wake = q.takeAllLocked();
            }
            q.lock.unlock();
            if (wake != null) {
                G self = Current.gOrNull();
                int i = 0;
                for (G w; (w = wake.pollFirst()) != null; i++) {
                    w.rt.goready(w, self);
                    if (self != null && (i & 255) == 255) {
                        self.rt.safepoint(self); // as HChan.close: a long wake-up list stays preemptible
                    }
                }
            }
        }

        public void await() {
            G g = Current.g();
            g.rt.safepoint(g);
            q.lock.lock();
            if (counter == 0) {
                q.lock.unlock();
                return;
            }
            q.parkLocked(g, "sync.WaitGroup.Wait");
        }
    }
}
