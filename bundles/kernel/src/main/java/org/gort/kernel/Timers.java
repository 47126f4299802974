package org.gort.kernel;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runtime's timers: {@code Go.sleep}, {@code time.After}-like channels and stoppable
 * timers. A min-heap ordered by deadline, served by one kernel thread that fires each timer's
 * action when it is due (Go keeps a heap per P and checks it in {@code findRunnable}; one
 * heap is enough here because firing only readies a G or sends on a buffered channel).
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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
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
                changed.signal();
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
        lock.lock();
        try {
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    Thread thread() {
        return thread;
    }

    private void loop() {
        while (!stopped) {
            Timer due;
            lock.lock();
            try {
                Timer head = heap.peek();
                if (head == null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long wait = head.when - System.nanoTime();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                heap.poll();
                head.inHeap = false;
                due = head;
            } catch (InterruptedException e) {
                continue;
            } finally {
                lock.unlock();
            }
            try {
                due.action.run();
            } finally {
                pending.decrementAndGet();
            }
        }
    }
}
