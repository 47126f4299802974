package org.gort.kernel;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.gort.spi.sched.MeteredLock;

/**
 * The runtime's timers: {@code Go.sleep}, {@code time.After}-like channels and stoppable
 * timers. A min-heap ordered by deadline, served by one kernel thread that fires each timer's
 * action when it is due (Go keeps a heap per P and checks it in {@code findRunnable}; one
 * heap is enough here because firing only readies a G or sends on a buffered channel).
 *
 * <p>Implementation notes: goroutines add and stop timers, so the heap is guarded by a
 * thread-agnostic {@link MeteredLock} and the timer thread sleeps with
 * {@code parkNanos}, unparked when a new earliest deadline arrives (see {@link Current} for why
 * no {@code Condition}).
 *
 * <p>A timer with a period (a ticker) is put back into the heap when it fires, before its
 * action runs, and stays pending until it is removed: a ticker nobody stops keeps its timer,
 * and whatever its action refers to, alive for the rest of the run, as in Go before 1.23.
 *
 * <p>Invariant for deadlock detection: {@link #pending()} counts a timer from
 * {@link #add} until its action has returned, so there is no instant at which a timer has
 * left the heap but the G it readies is not yet runnable. When the count falls to 0 the
 * {@code quiet} hook runs (the deadlock check): the G a timer readied may already have run,
 * exited and idled its P while the timer still counted, and then nobody else checks again.
 */
final class Timers {
    /** One timer. {@code when} is in {@link System#nanoTime()} units. */
    static final class Timer implements Comparable<Timer> {
        /** The heap this timer belongs to, so that any thread can stop it. */
        final Timers owner;
        final Runnable action;
        // when, seq, period and inHeap are guarded by the owner's lock; when and seq change
        // only while the timer is out of the heap.
        long when;
        long seq;
        /** A ticker's period ({@code runtimeTimer.period}); 0 for a one-shot timer. */
        long period;
        boolean inHeap;

        Timer(Timers owner, long when, long seq, long period, Runnable action) {
            this.owner = owner;
            this.when = when;
            this.seq = seq;
            this.period = period;
            this.action = action;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(when, o.when);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final MeteredLock lock = new MeteredLock("timers");
    private final PriorityQueue<Timer> heap = new PriorityQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread thread;
    private long seq;
    private volatile boolean stopped;
    /** Runs, on no lock, each time the pending count falls to 0. */
    private final Runnable quiet;

    Timers(String name, Runnable quiet) {
        this.quiet = quiet;
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Timer add(long when, Runnable action) {
        return add(when, 0, action);
    }

    /**
     * A timer that runs {@code action} at {@code when} and, with a {@code period} above 0, every
     * period after that until it is removed (a ticker).
     */
    Timer add(long when, long period, Runnable action) {
        lock.lock();
        try {
            Timer t = new Timer(this, when, 0, period, action);
            insertLocked(t);
            return t;
        } finally {
            lock.unlock();
        }
    }

    private void insertLocked(Timer t) {
        t.seq = seq++;
        t.inHeap = true;
        heap.add(t);
        pending.incrementAndGet();
        if (heap.peek() == t) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * {@code resettimer}: {@code t} fires next at {@code when}, then every {@code period} if
     * above 0. True if it was still pending (Go's {@code Reset} result).
     */
    boolean reset(Timer t, long when, long period) {
        lock.lock();
        try {
            boolean active = t.inHeap;
            if (active) {
                heap.remove(t);
                pending.decrementAndGet();
            }
            t.when = when;
            t.period = period;
            insertLocked(t);
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code t}; true if it had not fired yet ({@code stopTimer}'s result). */
    boolean remove(Timer t) {
        int left;
        lock.lock();
        try {
            if (!t.inHeap) {
                return false;
            }
            t.inHeap = false;
            heap.remove(t);
            left = pending.decrementAndGet();
        } finally {
            lock.unlock();
        }
        if (left == 0) {
            quiet.run();
        }
        return true;
    }

    int pending() {
        return pending.get();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    Thread thread() {
        return thread;
    }

    private void loop() {
        while (!stopped) {
            Timer due = null;
            long wait = Long.MAX_VALUE;
            lock.lock();
            try {
                Timer head = heap.peek();
                if (head != null) {
                    wait = head.when - System.nanoTime();
                    if (wait <= 0) {
                        heap.poll();
                        head.inHeap = false;
                        due = head;
                        if (head.period > 0) {
                            // A ticker goes back into the heap at once, for its next period after
                            // now: ticks it was too late for are skipped, as in Go's runOneTimer.
                            long late = -wait;
                            head.when += head.period * (1 + late / head.period);
                            insertLocked(head);
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
            if (due == null) {
                if (wait == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, wait);
                }
                continue;
            }
            try {
                due.action.run();
            } finally {
                if (pending.decrementAndGet() == 0 && !stopped) {
                    quiet.run();
                }
            }
        }
    }
}
