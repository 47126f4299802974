package org.gort.kernel;

import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.GoPanic;
import org.gort.kernel.heap.ManagedHeap;

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
 *
 * Pointer channels (make(chan *T)) carry heap addresses, and the collector must see every one of
 * them wherever it is, as Go's does:
 *  - a blocked sender's value and a blocked receiver's destination are slots of the goroutine's
 *    own root stack (in Go, sudog.elem points into the goroutine's stack), pushed for the
 *    operation and popped after it; a sender roots its value before its first safepoint, so
 *    sending a fresh allocation is safe, as storing it is;
 *  - the buffer is a []* heap object, written with the write barrier and rooted by
 *    ManagedHeap's channel-buffer root set while the channel is reachable;
 *  - a value handed straight from one stack to another (a direct send into a waiting
 *    receiver's slot, or a receive from a waiting sender) runs the barrier first, as Go's
 *    sendDirect and recvDirect do: the receiving stack may already be black.
 * The zero value of a pointer channel is 0 (nil), not null.
 */
public final class HChan<T> {
    private static final AtomicLong IDS = new AtomicLong();
    /** A pointer channel's zero value, nil. */
    private static final Long ZERO_POINTER = 0L;
    /** Goroutines readied between two safepoints when a close (or a WaitGroup) wakes many. */
    static final int READY_BATCH = 256;

    /** Orders channel locks in a select (Go orders by address). */
    final long id = IDS.incrementAndGet();
    final SpinLock lock = new SpinLock();
    private final Object[] buf;
    /** True for a channel of heap addresses ({@code Long}s). */
    final boolean pointers;
    /** A pointer channel's heap: its buffer's home and barrier; null otherwise. */
    private final ManagedHeap heap;
    /** A buffered pointer channel's buffer, a []* heap object; 0 otherwise. */
    private final long pointerBuf;
    private final int cap;
    private int count;
    private int sendx;
    private int recvx;
    boolean closed;
    final WaitQ recvq = new WaitQ();
    final WaitQ sendq = new WaitQ();

    public HChan(int cap) {
        this(cap, false);
    }

    /**
     * A channel of {@code cap} elements; with {@code pointers}, of heap addresses, whose buffer
     * is allocated on the calling goroutine's heap (so it must be called on a goroutine).
     */
    public HChan(int cap, boolean pointers) {
        if (cap < 0) {
            throw new GoPanic("makechan: size out of range");
        }
        this.cap = cap;
        this.pointers = pointers;
        if (pointers) {
            G g = Current.g();
            this.heap = g.rt.heap();
            this.buf = null;
            this.pointerBuf = cap == 0 ? 0 : heap.newChannelBuffer(g, g.lastProc(), this, cap);
        } else {
            this.heap = null;
            this.buf = new Object[cap];
            this.pointerBuf = 0;
        }
    }

    /** What a receive on a closed, drained channel returns: nil. */
    Object zero() {
        return pointers ? ZERO_POINTER : null;
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

    /**
     * {@code chansend}. On a pointer channel {@code v} stays rooted in a slot of the sender's
     * stack, pushed before the first safepoint, until it is delivered.
     */
    public void send(T v) {
        G g = Current.g();
        if (!pointers) {
            send(g, v, -1);
            return;
        }
        if (v == null) {
            throw new NullPointerException("send of null on a pointer channel: send 0 for nil");
        }
        heap.checkSentValue((Long) v);
        int slot = g.roots.push(1);
        g.roots.set(slot, (Long) v);
        try {
            send(g, v, slot);
        } finally {
            g.roots.pop(slot);
        }
    }

    /** The body of {@code chansend}; {@code slot} is the sender's root slot holding a pointer {@code v}, or -1. */
    private void send(G g, Object v, int slot) {
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
        Sudog s = plainSudog(g, slot < 0 ? v : null, slot);
        sendq.enqueue(s);
        g.rt.gopark(g, "chan send", lock.unlocker);
        s.elem = null; // taken by a receiver, or left by close
        if (!s.success) {
            throw new GoPanic("send on closed channel");
        }
    }

    /**
     * A receiver was waiting: hand it {@code v} directly and wake it. Releases the lock.
     * {@code waker} is the calling goroutine, or null on a kernel thread.
     */
    void completeSend(Sudog r, Object v, G waker) {
        if (pointers) { // sendDirect: into the receiver's stack slot, barrier first
            long p = (Long) v;
            heap.handOverBarrier(p);
            r.g.roots.set(r.rootSlot, p);
        } else {
            r.elem = v;
        }
        r.success = true;
        r.g.param = r;
        lock.unlock();
        r.g.rt.goready(r.g, waker);
    }

    /** {@code chanrecv}: the received value and whether it came from a send (Go's {@code ok}). */
    public T recv(boolean[] ok) {
        G g = Current.g();
        T v = recv(g);
        ok[0] = g.recvOk;
        if (pointers) {
            heap.obtained((Long) v); // --check-roots: valid until the next safepoint
        }
        return v;
    }

    /** Under {@code --check-roots}, an address received from a pointer channel is fresh (see RootCheck). */
    void received(Object v) {
        if (pointers && v instanceof Long a) {
            heap.obtained(a);
        }
    }

    /** {@code <-c}, without the ok flag. */
    public T recv() {
        T v = recv(Current.g());
        if (pointers) {
            heap.obtained((Long) v);
        }
        return v;
    }

    /**
     * A receive by the runtime's own waits (a collector's note): parks with {@code waitReason}
     * instead of {@code "chan receive"}, so that tracebacks and the leak analysis see what the
     * goroutine waits for. Not for pointer channels.
     */
    void recvWaiting(String waitReason) {
        recv(Current.g(), waitReason);
    }

    private T recv(G g) {
        return recv(g, "chan receive");
    }

    @SuppressWarnings("unchecked")
    private T recv(G g, String waitReason) {
        g.rt.safepoint(g);
        lock.lock();
        if (closed && count == 0) {
            lock.unlock();
            g.recvOk = false;
            return (T) zero();
        }
        Sudog s = sendq.dequeue();
        if (s != null) {
            g.recvOk = true;
            return (T) completeRecv(s, g);
        }
        if (count > 0) {
            Object v = bufTake();
            lock.unlock();
            g.recvOk = true;
            return (T) v;
        }
        // On a pointer channel the sender delivers into a slot of this goroutine's stack.
        int slot = pointers ? g.roots.push(1) : -1;
        Sudog r = plainSudog(g, null, slot);
        recvq.enqueue(r);
        g.rt.gopark(g, waitReason, lock.unlocker);
        g.recvOk = r.success;
        Object v;
        if (slot >= 0) {
            v = g.roots.get(slot);
            g.roots.pop(slot);
        } else {
            v = r.elem;
            r.elem = null;
        }
        return (T) v;
    }

    /** The calling goroutine's own sudog, for a plain (not select) wait on this channel. */
    private Sudog plainSudog(G g, Object elem, int rootSlot) {
        Sudog s = g.plainSudog;
        if (s == null) {
            s = g.plainSudog = new Sudog(g, this, null, false, -1, -1);
        }
        return s.reuse(this, elem, rootSlot);
    }

    /**
     * A sender was waiting ({@code recv} in chan.go): take its value directly if unbuffered,
     * else take the head of the full buffer and put the sender's value at the tail. Releases
     * the lock. {@code waker} is the calling goroutine.
     */
    Object completeRecv(Sudog s, G waker) {
        Object v;
        if (pointers) {
            long sent = s.g.roots.get(s.rootSlot); // the blocked sender's stack slot
            if (cap == 0) { // recvDirect
                heap.handOverBarrier(sent);
                v = sent;
            } else {
                v = heap.loadPtr(pointerBuf, recvx);
                heap.storeChannelBuffer(pointerBuf, recvx, sent);
                recvx = (recvx + 1) % cap;
                sendx = recvx;
            }
        } else if (cap == 0) {
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
        closeFrom(g);
    }

    /**
     * {@code closechan} from a kernel thread (a firing timer that cancels a context): as
     * {@link #close()}, without safepoints, which a thread with no goroutine has none of.
     */
    public void closeFromTimer() {
        closeFrom(null);
    }

    /** The body of {@code closechan}; {@code g} is the closing goroutine, or null on a kernel thread. */
    private void closeFrom(G g) {
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
            if (g != null) {
                g.rt.safepoint(g);
            }
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
        if (pointers) {
            heap.storeChannelBuffer(pointerBuf, sendx, (Long) v);
        } else {
            buf[sendx] = v;
        }
        sendx = (sendx + 1) % cap;
        count++;
    }

    Object bufTake() {
        Object v;
        if (pointers) {
            v = heap.loadPtr(pointerBuf, recvx);
            heap.storeChannelBuffer(pointerBuf, recvx, 0); // the deletion half of the barrier shades v
        } else {
            v = buf[recvx];
            buf[recvx] = null;
        }
        recvx = (recvx + 1) % cap;
        count--;
        return v;
    }
}
