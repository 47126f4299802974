package org.gort.kernel;

import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.GoPanic;

/*
 * Channels, after Go's runtime/chan.go.
 *
 * An hchan is a lock, a circular buffer of cap elements, and two queues of waiting goroutines
 * (recvq, sendq). Invariants, as in Go:
 *  - at least one of recvq and sendq is empty, except for an unbuffered channel with a single
 *    goroutine blocked on it in a select with both a send and a receive;
 *  - for a buffered channel: count > 0 implies recvq is empty; count < cap implies sendq is
 *    empty.
 * A sender that finds a waiting receiver copies the value straight to it and readies it (and
 * vice versa); otherwise it uses the buffer; otherwise it queues a sudog and parks, releasing
 * the lock only after it has suspended (gopark's unlockf), so a waker always finds a parked G.
 *
 * Every operation is a safepoint.
 */
public final class HChan<T> {
    private static final AtomicLong IDS = new AtomicLong();
    /** Goroutines readied between two safepoints when a close (or a WaitGroup) wakes many. */
    static final int READY_BATCH = 256;

    /** Orders channel locks in a select (Go orders by address). */
    final long id = IDS.incrementAndGet();
    final SpinLock lock = new SpinLock();
    private final Object[] buf;
    private final int cap;
    private int count;
    private int sendx;
    private int recvx;
    boolean closed;
    final WaitQ recvq = new WaitQ();
    final WaitQ sendq = new WaitQ();

    public HChan(int cap) {
        if (cap < 0) {
            throw new GoPanic("makechan: size out of range");
        }
        this.cap = cap;
        this.buf = new Object[Math.max(cap, 0)];
    }

    public int cap() {
        return cap;
    }

    public int len() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** {@code chansend}. */
    public void send(T v) {
        G g = Current.g();
        g.rt.safepoint(g);
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new GoPanic("send on closed channel");
        }
        Sudog r = recvq.dequeue();
        if (r != null) {
            completeSend(r, v, g);
            return;
        }
        if (count < cap) {
            bufPut(v);
            lock.unlock();
            return;
        }
        Sudog s = new Sudog(g, this, v, false, -1);
        sendq.enqueue(s);
        g.rt.gopark(g, "chan send", lock.unlocker);
        if (!s.success) {
            throw new GoPanic("send on closed channel");
        }
    }

    /**
     * A receiver was waiting: hand it {@code v} directly and wake it. Releases the lock.
     * {@code waker} is the calling goroutine, or null on a kernel thread.
     */
    void completeSend(Sudog r, Object v, G waker) {
        r.elem = v;
        r.success = true;
        r.g.param = r;
        lock.unlock();
        r.g.rt.goready(r.g, waker);
    }

    /** {@code chanrecv}: the received value and whether it came from a send (Go's {@code ok}). */
    @SuppressWarnings("unchecked")
    public T recv(boolean[] ok) {
        G g = Current.g();
        g.rt.safepoint(g);
        lock.lock();
        if (closed && count == 0) {
            lock.unlock();
            ok[0] = false;
            return null;
        }
        Sudog s = sendq.dequeue();
        if (s != null) {
            ok[0] = true;
            return (T) completeRecv(s, g);
        }
        if (count > 0) {
            Object v = bufTake();
            lock.unlock();
            ok[0] = true;
            return (T) v;
        }
        Sudog r = new Sudog(g, this, null, false, -1);
        recvq.enqueue(r);
        g.rt.gopark(g, "chan receive", lock.unlocker);
        ok[0] = r.success;
        return (T) r.elem;
    }

    /**
     * A sender was waiting ({@code recv} in chan.go): take its value directly if unbuffered,
     * else take the head of the full buffer and put the sender's value at the tail. Releases
     * the lock. {@code waker} is the calling goroutine.
     */
    Object completeRecv(Sudog s, G waker) {
        Object v;
        if (cap == 0) {
            v = s.elem;
        } else {
            v = buf[recvx];
            buf[recvx] = s.elem;
            recvx = (recvx + 1) % cap;
            sendx = recvx;
        }
        s.elem = null;
        s.success = true;
        s.g.param = s;
        lock.unlock();
        s.g.rt.goready(s.g, waker);
        return v;
    }

    /**
     * {@code closechan}: wake every waiting receiver (zero value, ok=false) and sender (panics).
     *
     * <p>Go collects every waiter under the channel lock and readies them after unlocking; its
     * loop can be preempted asynchronously. Here waiters are taken in batches of
     * {@link #READY_BATCH}, with the lock released and a safepoint passed between batches, so
     * that closing a channel 100 000 goroutines wait on holds up neither a stop-the-world nor
     * other users of the channel for milliseconds. Batching changes nothing a goroutine can
     * see: once {@code closed} is set no new waiter queues, so the queues only shrink, and
     * each waiter is woken exactly once, by whoever dequeues it.
     */
    public void close() {
        G g = Current.g();
        g.rt.safepoint(g);
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new GoPanic("close of closed channel");
        }
        closed = true;
        Sudog[] wake = new Sudog[READY_BATCH];
        for (;;) {
            int n = 0;
            for (Sudog r; n < READY_BATCH && (r = recvq.dequeue()) != null; ) {
                r.elem = null;
                r.success = false;
                r.g.param = r;
                wake[n++] = r;
            }
            for (Sudog s; n < READY_BATCH && (s = sendq.dequeue()) != null; ) {
                s.success = false;
                s.g.param = s;
                wake[n++] = s;
            }
            lock.unlock();
            for (int i = 0; i < n; i++) {
                wake[i].g.rt.goready(wake[i].g, g);
                wake[i] = null;
            }
            if (n < READY_BATCH) {
                return;
            }
            g.rt.safepoint(g);
            lock.lock();
        }
    }

    /**
     * A non-blocking send from a kernel thread (a firing timer): like Go's {@code sendTime},
     * drop the value if nobody can take it now. Returns true if delivered.
     */
    public boolean offerFromTimer(Object v) {
        lock.lock();
        if (closed) {
            lock.unlock();
            return false;
        }
        Sudog r = recvq.dequeue();
        if (r != null) {
            completeSend(r, v, null);
            return true;
        }
        if (count < cap) {
            bufPut(v);
            lock.unlock();
            return true;
        }
        lock.unlock();
        return false;
    }

    // --- used by select with the lock held

    boolean canSendNow() {
        return count < cap;
    }

    boolean canRecvFromBuffer() {
        return count > 0;
    }

    void bufPut(Object v) {
        buf[sendx] = v;
        sendx = (sendx + 1) % cap;
        count++;
    }

    Object bufTake() {
        Object v = buf[recvx];
        buf[recvx] = null;
        recvx = (recvx + 1) % cap;
        count--;
        return v;
    }
}
