package org.gort.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * {@code sync.WaitGroup} as Go has it: one atomic word holds the counter (high 32 bits) and
     * the number of waiters (low 32), so {@code Add} and {@code Done} are one atomic add and take
     * no lock, unless they bring the counter to zero while goroutines wait. (A lock taken by
     * every {@code Done} made the goroutines of a spawn benchmark, finishing on two Ps at once,
     * bounce that lock's cache line between the cores.)
     *
     * <p>Implementation notes: a waiter registers by a CAS on the word while it holds the wait
     * queue's lock, and queues itself before that lock is released (on its suspension). The
     * {@code Add} that brings the counter to zero resets the word, then takes the same lock, so
     * every waiter that registered is queued by then; one that had not registered sees the zero
     * counter (its CAS fails against the reset word) and returns without waiting.
     */
    public static final class WaitGroup {
        private final GQueue q = new GQueue();
        private final AtomicLong state = new AtomicLong();

        public void add(long delta) {
            long s = state.addAndGet(delta << 32);
            int v = (int) (s >> 32);
            int w = (int) s;
            if (v < 0) {
                throw new GoPanic("sync: negative WaitGroup counter");
            }
            if (v > 0 || w == 0) {
                return;
            }
            // The counter reached zero with w goroutines waiting: reset the word, wake them all.
            if (!state.compareAndSet(s, 0)) {
                throw new GoPanic("sync: WaitGroup misuse: Add called concurrently with Wait");
            }
            q.lock.lock();
            ArrayDeque<G> wake = q.takeAllLocked();
            q.lock.unlock();
            G self = Current.gOrNull();
            int i = 0;
            for (G g; (g = wake.pollFirst()) != null; i++) {
                g.rt.goready(g, self);
                if (self != null && i % HChan.READY_BATCH == HChan.READY_BATCH - 1) {
                    self.rt.safepoint(self); // as HChan.close: a long wake-up list stays preemptible
                }
            }
        }

        public void await() {
            G g = Current.g();
            g.rt.safepoint(g);
            for (;;) {
                long s = state.get();
                if ((int) (s >> 32) == 0) {
                    return;
                }
                q.lock.lock();
                if (state.compareAndSet(s, s + 1)) {
                    q.parkLocked(g, "sync.WaitGroup.Wait");
                    return;
                }
                q.lock.unlock();
            }
        }
    }
}
