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
 * <p>Invariant for deadlock detection: {@link #pending()} counts a timer from
 * {@link #add} until its action has returned, so there is no instant at which a timer has
 * left the heap but the G it readies is not yet runnable.
 */
final class Timers {
    /** One timer. {@code when} is in {@link System#nanoTime()} units. */
    static final class Timer implements Comparable<Timer> {
        final long when;
        final long seq;
        final Runnable action;
        boolean inHeap;

        Timer(long when, long seq, Runnable action) {
            this.when = when;
            this.seq = seq;
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

    Timers(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Timer add(long when, Runnable action) {
        lock.lock();
        try {
            Timer t = new Timer(when, seq++, action);
            t.inHeap = true;
            heap.add(t);
            pending.incrementAndGet();
            if (heap.peek() == t) {
                LockSupport.unpark(thread);
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code t}; true if it had not fired yet ({@code stopTimer}'s result). */
    boolean remove(Timer t) {
        lock.lock();
        try {
            if (!t.inHeap) {
                return false;
            }
            t.inHeap = false;
            heap.remove(t);
            pending.decrementAndGet();
            return true;
        } finally {
            lock.unlock();
        }
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
                pending.decrementAndGet();
            }
        }
    }
}
