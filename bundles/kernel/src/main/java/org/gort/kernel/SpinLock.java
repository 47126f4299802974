package org.gort.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runtime mutex in the sense of Go's {@code runtime.lock}: short critical sections, not
 * owned by a thread. A goroutine that parks while holding one hands the unlock to its M
 * ({@code gopark}'s {@code unlockf}), which runs it after the goroutine has suspended, possibly
 * on a path where a thread-owned {@code ReentrantLock} would refuse.
 *
 * <p>Implementation notes: test-and-test-and-set with {@code onSpinWait}, falling back to
 * {@code Thread.yield} after a bounded spin so that a preempted holder on a 2-core machine is
 * not starved by spinners.
 */
public final class SpinLock extends AtomicInteger {
    /** {@link #unlock()} as a {@code gopark} unlockf, made once instead of at every park. */
    final Runnable unlocker = this::unlock;

    public void lock() {
        if (compareAndSet(0, 1)) {
            return;
        }
        int spins = 0;
        while (true) {
            if (get() == 0 && compareAndSet(0, 1)) {
                return;
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** A release store, as any spin lock's unlock: the next locker's CAS acquires it. */
    public void unlock() {
        lazySet(0);
    }
}
