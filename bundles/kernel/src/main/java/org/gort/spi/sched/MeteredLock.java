package org.gort.spi.sched;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.gort.kernel.Current;

/**
 * A mutex that counts what the 2012 scheduler design doc complained about: every acquisition,
 * the contended ones, and the time spent waiting. Strategies get one from
 * {@link SchedContext#newMeteredLock}; the kernel reads the counters into the run's metrics.
 *
 * <p>The algorithm is Go's {@code lock_futex.go}: a word that is unlocked, locked, or locked
 * with sleepers; a contended locker spins actively a few times ({@code procyield}), yields
 * once ({@code osyield}), then sleeps until an unlock that saw sleepers wakes one
 * ({@code futexsleep} / {@code futexwakeup}, here a queue of parked carrier threads).
 *
 * <p>Implementation notes: it is owned by no thread, unlike {@code ReentrantLock}, because
 * it is taken from goroutine code, which runs on a continuation that may resume on another
 * M; every JDK lock keys on {@code Thread.currentThread()}, which compiled goroutine code can
 * read stale after such a move (see {@code org.gort.kernel.Current}). The uncontended path is
 * one CAS; only a failed CAS reads the clock. Not reentrant; never held across a goroutine
 * switch.
 */
public final class MeteredLock {
    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    private static final int SLEEPING = 2;
    private static final int ACTIVE_SPIN = 4;
    private static final int ACTIVE_SPIN_CNT = 30;

    private final String name;
    private final AtomicInteger key = new AtomicInteger();
    private final ConcurrentLinkedQueue<Thread> sleepers = new ConcurrentLinkedQueue<>();
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder contended = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();

    public MeteredLock(String name) {
        this.name = name;
    }

    public void lock() {
        acquisitions.increment();
        if (key.compareAndSet(UNLOCKED, LOCKED)) {
            return;
        }
        long t0 = System.nanoTime();
        contended.increment();
        lockSlow();
        waitNanos.add(System.nanoTime() - t0);
    }

    /** Takes the lock if it is free; counts an acquisition only on success. */
    public boolean tryLock() {
        if (key.compareAndSet(UNLOCKED, LOCKED)) {
            acquisitions.increment();
            return true;
        }
        return false;
    }

    private void lockSlow() {
        // Once we have slept we must take the lock as SLEEPING: other sleepers may remain.
        int wait = LOCKED;
        while (true) {
            for (int i = 0; i < ACTIVE_SPIN; i++) {
                if (key.get() == UNLOCKED && key.compareAndSet(UNLOCKED, wait)) {
                    return;
                }
                for (int k = 0; k < ACTIVE_SPIN_CNT; k++) {
                    Thread.onSpinWait();
                }
            }
            Thread.yield();
            if (key.get() == UNLOCKED && key.compareAndSet(UNLOCKED, wait)) {
                return;
            }
            Thread self = Current.carrier();
            sleepers.add(self);
            if (key.getAndSet(SLEEPING) == UNLOCKED) {
                sleepers.remove(self);
                return;
            }
            LockSupport.park(this);
            sleepers.remove(self);
            wait = SLEEPING;
        }
    }

    public void unlock() {
        int v = key.getAndSet(UNLOCKED);
        if (v == UNLOCKED) {
            throw new IllegalStateException(name + ": unlock of unlocked lock");
        }
        if (v == SLEEPING) {
            Thread t = sleepers.peek();
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    public boolean isLocked() {
        return key.get() != UNLOCKED;
    }

    public String name() {
        return name;
    }

    public long acquisitions() {
        return acquisitions.sum();
    }

    public long contended() {
        return contended.sum();
    }

    public long waitNanos() {
        return waitNanos.sum();
    }
}
