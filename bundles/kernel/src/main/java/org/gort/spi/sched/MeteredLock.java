package org.gort.spi.sched;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mutex that counts what the 2012 scheduler design doc complained about: every acquisition,
 * the contended ones, and the time spent waiting. Strategies get one from
 * {@link SchedContext#newMeteredLock}; the kernel reads the counters into the run's metrics.
 *
 * <p>Implementation notes: the uncontended path is one {@code tryLock}; only when it fails do
 * we read the clock, so metering costs nothing on the fast path beyond the counter increment.
 * Never held across a goroutine switch.
 */
public final class MeteredLock {
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder contended = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();

    public MeteredLock(String name) {
        this.name = name;
    }

    public void lock() {
        acquisitions.increment();
        if (lock.tryLock()) {
            return;
        }
        long t0 = System.nanoTime();
        lock.lock();
        contended.increment();
        waitNanos.add(System.nanoTime() - t0);
    }

    public void unlock() {
        lock.unlock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
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
