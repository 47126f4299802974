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
 * Mutex: Go 1.9's normal and starvation modes over a runtime semaphore (see Mutex and Sema).
 *
 * Cond: Go's notifyList, tickets served in order (see NotifyList).
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

    /**
     * Go's runtime semaphore for sync ({@code runtime/sema.go}: {@code semacquire1} and
     * {@code semrelease1}), one wait queue per semaphore. {@code acquire} takes a unit if there
     * is one, else queues (at the front with {@code lifo}, for a waiter that has waited before)
     * and parks; {@code release} adds a unit and wakes the first waiter. With {@code handoff}
     * the releaser takes the unit for the waiter itself ({@code s.ticket = 1}) and yields its P
     * so that the waiter runs at once, as Go's starving mutex does.
     *
     * <p>Implementation notes: {@code nwait} is read without the lock on the release fast path;
     * a waiter increments it under the lock before its last {@code cansemacquire} check, so a
     * releaser that added its unit before that check is seen by it, and one that added after
     * finds {@code nwait > 0} (Go's reasoning in semrelease1).
     */
    /** An unlock is about to wake {@code waiter}: the mutex profile charges its wait to the unlocker (Go's mutexevent). */
    static void mutexevent(G waiter) {
        Profiles pr = waiter.rt.profiles;
        if (pr != null && pr.mutex) {
            pr.unlocked(waiter.parkedAt);
        }
    }

    static final class Sema {
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger nwait = new java.util.concurrent.atomic.AtomicInteger();
        private final SpinLock lock = new SpinLock();
        private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        private static final class Waiter {
            final G g;
            /** A sync.Mutex waiter: its wake-up is a mutex profile event (Go's semaroot waiters of a mutex). */
            boolean mutex;
            /** 1 when the releaser handed its unit straight to this waiter. */
            int ticket;

            Waiter(G g) {
                this.g = g;
            }
        }

        private boolean cansemacquire() {
            for (;;) {
                int v = count.get();
                if (v == 0) {
                    return false;
                }
                if (count.compareAndSet(v, v - 1)) {
                    return true;
                }
            }
        }

        void acquire(G g, boolean lifo, String reason) {
            if (cansemacquire()) {
                return;
            }
            Waiter w = new Waiter(g);
            w.mutex = reason.startsWith("sync.Mutex");
            for (;;) {
                lock.lock();
                nwait.incrementAndGet();
                if (cansemacquire()) {
                    nwait.decrementAndGet();
                    lock.unlock();
                    return;
                }
                if (lifo) {
                    waiters.addFirst(w);
                } else {
                    waiters.addLast(w);
                }
                g.rt.gopark(g, reason, lock.unlocker);
                if (w.ticket != 0 || cansemacquire()) {
                    return;
                }
            }
        }

        void release(boolean handoff) {
            count.incrementAndGet();
            if (nwait.get() == 0) {
                return;
            }
            lock.lock();
            if (nwait.get() == 0) {
                lock.unlock();
                return;
            }
            Waiter w = waiters.pollFirst();
            if (w != null) {
                nwait.decrementAndGet();
            }
            lock.unlock();
            if (w == null) {
                return;
            }
            if (handoff && cansemacquire()) {
                w.ticket = 1;
            }
            if (w.mutex) {
                mutexevent(w.g);
            }
            G self = Current.gOrNull();
            w.g.rt.goready(w.g, self);
            if (w.ticket == 1 && self != null) {
                self.rt.gosched(self); // goyield: let the waiter that now owns the unit run
            }
        }
    }

    /**
     * {@code sync.Mutex}, as Go 1.9+ has it (sync/mutex.go): one atomic word holds the locked
     * bit, the woken bit, the starving bit and the number of waiters.
     *
     * <p>Normal mode: waiters queue FIFO on a semaphore, but a woken waiter does not own the
     * mutex: it competes with newly arriving goroutines, which have the advantage of already
     * running on a CPU, so it often loses; then it queues again at the front. A waiter that has
     * waited more than {@link #STARVATION_THRESHOLD_NS} (1 ms) switches the mutex to
     * starvation mode.
     *
     * <p>Starvation mode: unlock hands the mutex straight to the waiter at the front; newcomers
     * do not try to take it nor spin, they queue at the tail. The last waiter, or one that waited
     * less than 1 ms, switches back to normal mode. Normal mode performs better (a goroutine can
     * take the mutex several times in a row); starvation mode bounds the tail latency.
     *
     * <p>An arriving goroutine spins a little ({@code sync_runtime_canSpin}: at most 4 rounds,
     * only with GOMAXPROCS above 1, another P running and its own run queue empty) before
     * queueing, since the holder may be about to release.
     */
    public static final class Mutex {
        static final int MUTEX_LOCKED = 1;
        static final int MUTEX_WOKEN = 2;
        static final int MUTEX_STARVING = 4;
        static final int MUTEX_WAITER_SHIFT = 3;
        /** Go's {@code starvationThresholdNs}. */
        static final long STARVATION_THRESHOLD_NS = 1_000_000;
        private static final int ACTIVE_SPIN = 4;
        private static final int ACTIVE_SPIN_CNT = 30;
        private static final boolean MULTICORE = java.lang.Runtime.getRuntime().availableProcessors() > 1;

        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        private final Sema sema = new Sema();
        /** Times this mutex entered starvation mode (for tests and the curious). */
        private volatile long starvations;

        public void lock() {
            G g = Current.g();
            g.rt.safepoint(g);
            if (state.compareAndSet(0, MUTEX_LOCKED)) {
                return;
            }
            lockSlow(g);
        }

        public boolean tryLock() {
            int old = state.get();
            if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0) {
                return false;
            }
            return state.compareAndSet(old, old | MUTEX_LOCKED);
        }

        private void lockSlow(G g) {
            long waitStartTime = 0;
            boolean starving = false;
            boolean awoke = false;
            int iter = 0;
            int old = state.get();
            for (;;) {
                // Spin only in normal mode while the mutex is locked.
                if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED && canSpin(g, iter)) {
                    // Set the woken flag so that unlock does not wake another waiter.
                    if (!awoke && (old & MUTEX_WOKEN) == 0 && (old >>> MUTEX_WAITER_SHIFT) != 0
                            && state.compareAndSet(old, old | MUTEX_WOKEN)) {
                        awoke = true;
                    }
                    for (int i = 0; i < ACTIVE_SPIN_CNT; i++) {
                        Thread.onSpinWait(); // procyield
                    }
                    iter++;
                    old = state.get();
                    continue;
                }
                int next = old;
                if ((old & MUTEX_STARVING) == 0) {
                    next |= MUTEX_LOCKED; // do not try to take a starving mutex: newcomers queue
                }
                if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0) {
                    next += 1 << MUTEX_WAITER_SHIFT;
                }
                if (starving && (old & MUTEX_LOCKED) != 0) {
                    next |= MUTEX_STARVING;
                }
                if (awoke) {
                    if ((next & MUTEX_WOKEN) == 0) {
                        throw new FatalError("sync: inconsistent mutex state");
                    }
                    next &= ~MUTEX_WOKEN;
                }
                if (state.compareAndSet(old, next)) {
                    if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == 0) {
                        return; // locked with the CAS
                    }
                    if ((next & MUTEX_STARVING) != 0 && (old & MUTEX_STARVING) == 0) {
                        starvations++;
                    }
                    // A waiter that has waited before queues at the front.
                    boolean queueLifo = waitStartTime != 0;
                    if (waitStartTime == 0) {
                        waitStartTime = System.nanoTime();
                    }
                    sema.acquire(g, queueLifo, "sync.Mutex.Lock");
                    starving = starving || System.nanoTime() - waitStartTime > STARVATION_THRESHOLD_NS;
                    old = state.get();
                    if ((old & MUTEX_STARVING) != 0) {
                        // Handed off to us: the mutex is unlocked with us counted as a waiter.
                        if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) != 0 || (old >>> MUTEX_WAITER_SHIFT) == 0) {
                            throw new FatalError("sync: inconsistent mutex state");
                        }
                        int delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
                        if (!starving || (old >>> MUTEX_WAITER_SHIFT) == 1) {
                            // Leave starvation mode: the last waiter, or one that did not wait long.
                            delta -= MUTEX_STARVING;
                        }
                        state.addAndGet(delta);
                        return;
                    }
                    awoke = true;
                    iter = 0;
                } else {
                    old = state.get();
                }
            }
        }

        /** {@code sync_runtime_canSpin}. */
        private static boolean canSpin(G g, int iter) {
            RuntimeInstance rt = g.rt;
            if (iter >= ACTIVE_SPIN || !MULTICORE || rt.gomaxprocs <= rt.npidle + rt.nmspinning.get() + 1) {
                return false;
            }
            M m = g.m;
            P p = m == null ? null : m.p;
            org.gort.spi.sched.Scheduler s = rt.sched;
            try {
                return p != null && s.localQueueLength(p) == 0;
            } catch (RuntimeException | Error e) {
                rt.swaps.threw(s, "localQueueLength", e);
                return false;
            }
        }

        public void unlock() {
            int next = state.addAndGet(-MUTEX_LOCKED);
            if (next != 0) {
                unlockSlow(next);
            }
        }

        private void unlockSlow(int next) {
            if (((next + MUTEX_LOCKED) & MUTEX_LOCKED) == 0) {
                state.addAndGet(MUTEX_LOCKED); // undo, so that the state stays consistent
                throw new FatalError("sync: unlock of unlocked mutex");
            }
            if ((next & MUTEX_STARVING) == 0) {
                int old = next;
                for (;;) {
                    // No waiters, or one is already woken or has taken the lock: nobody to wake.
                    if ((old >>> MUTEX_WAITER_SHIFT) == 0 || (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)) != 0) {
                        return;
                    }
                    int n = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
                    if (state.compareAndSet(old, n)) {
                        sema.release(false);
                        return;
                    }
                    old = state.get();
                }
            } else {
                // Starvation mode: hand the mutex to the first waiter and yield to it. The
                // locked bit stays clear; the waiter sets it. A newcomer sees the starving bit
                // and queues instead of taking it.
                sema.release(true);
            }
        }

        /** How many times this mutex entered starvation mode. */
        public long starvations() {
            return starvations;
        }

        /** True while the mutex is in starvation mode. */
        public boolean starving() {
            return (state.get() & MUTEX_STARVING) != 0;
        }
    }

    /**
     * Go's {@code notifyList} (runtime/sema.go), behind {@code sync.Cond}: waiters take a ticket
     * before releasing the Cond's lock ({@code notifyListAdd}) and then wait for it
     * ({@code notifyListWait}); a signal serves the next ticket, a broadcast every ticket taken.
     * A signal that comes between the unlock and the park is not lost: the waiter finds its
     * ticket already served and returns at once.
     */
    public static final class NotifyList {
        private final SpinLock lock = new SpinLock();
        /** The next ticket to hand out. */
        private final AtomicLong wait = new AtomicLong();
        /** The next ticket to serve; guarded by lock, read without it on the fast paths. */
        private volatile long notify;
        private final java.util.LinkedHashMap<Long, G> waiting = new java.util.LinkedHashMap<>();

        /** {@code notifyListAdd}: a ticket, taken before the caller releases its lock. */
        public long add() {
            return wait.getAndIncrement();
        }

        /** {@code notifyListWait}: parks until {@code ticket} is served. */
        public void await(long ticket) {
            G g = Current.g();
            lock.lock();
            if (ticket < notify) {
                lock.unlock();
                return;
            }
            waiting.put(ticket, g);
            g.rt.gopark(g, "sync.Cond.Wait", lock.unlocker);
        }

        /** {@code notifyListNotifyOne}. */
        public void notifyOne() {
            if (wait.get() == notify) {
                return;
            }
            lock.lock();
            long t = notify;
            if (t == wait.get()) {
                lock.unlock();
                return;
            }
            notify = t + 1;
            G g = waiting.remove(t); // null: its waiter has not parked yet and will not
            lock.unlock();
            if (g != null) {
                g.rt.goready(g, Current.gOrNull());
            }
        }

        /** {@code notifyListNotifyAll}. */
        public void notifyEveryone() {
            if (wait.get() == notify) {
                return;
            }
            lock.lock();
            notify = wait.get();
            List<G> all = new ArrayList<>(waiting.values());
            waiting.clear();
            lock.unlock();
            G self = Current.gOrNull();
            for (G g : all) {
                g.rt.goready(g, self);
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
                mutexevent(wake);
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
                mutexevent(w);
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
