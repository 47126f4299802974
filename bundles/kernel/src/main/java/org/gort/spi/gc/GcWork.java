package org.gort.spi.gc;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's {@code gcWork}: one P's buffer of grey objects, plus the global list of full buffers
 * ({@code work.full}) that lets idle drainers take work from busy ones.
 *
 * <p>A P's buffer is touched only by the thread that holds the P (the goroutine running on it,
 * or its M marking while the P is idle), or by the coordinator while the world is stopped, so
 * {@link #put} and {@link #tryGet} take no lock. Hand-offs between threads go through
 * {@link Full}, a lock-free list (Go's {@code lfstack}).
 *
 * <p>The counters are the P's share of the cycle's totals (Go's {@code gcw.bytesMarked},
 * {@code gcw.heapScanWork}); the controller sums them with the world stopped.
 */
public final class GcWork extends GcWorkFields {
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7;

    /** Go's workbuf holds (2048 - 24) / 8 = 253 pointers. */
    static final int CAPACITY = 253;
    /** A mutator (barrier, self-scan) publishes its greys once this many are buffered. */
    static final int MUTATOR_FLUSH = 64;

    /**
     * The global list of non-empty buffers, and of empty ones to reuse ({@code work.full},
     * {@code work.empty}): a buffer emptied by a drainer goes back to be filled again, so
     * marking does not allocate a fresh 2 KB array for every 253 grey objects.
     */
    public static final class Full {
        private final ConcurrentLinkedDeque<Buf> bufs = new ConcurrentLinkedDeque<>();
        private final ConcurrentLinkedQueue<long[]> empty = new ConcurrentLinkedQueue<>();
        /**
         * Buffers on the list, counted before a push and after a pop, so never fewer than the
         * deque holds: "is there global work?" is one load, asked once per grey object by a
         * drainer, instead of a walk to the deque's first live node, whose rare branches (a
         * node being unlinked by another thread) made the JIT recompile the drain loop.
         */
        private final AtomicInteger count = new AtomicInteger();

        void push(long[] items, int n) {
            count.incrementAndGet();
            bufs.push(new Buf(items, n));
        }

        /** {@code getempty}: an empty buffer, reused if one is free. */
        long[] getEmpty() {
            long[] b = empty.poll();
            return b != null ? b : new long[CAPACITY];
        }

        /** {@code putempty}: a buffer whose objects were all taken. */
        void putEmpty(long[] b) {
            empty.add(b);
        }

        Buf pop() {
            if (count.get() == 0) {
                return null;
            }
            Buf b = bufs.poll();
            if (b != null) {
                count.decrementAndGet();
            }
            return b;
        }

        /**
         * True if no buffer is on the list. Never true while one is (the count rises before
         * the push); may be false for a moment after the last was taken, which only makes a
         * drainer look again and the termination check wait for that drainer's own check.
         */
        public boolean isEmpty() {
            return count.get() == 0;
        }

        /** World stopped, as a cycle starts. */
        void clear() {
            bufs.clear();
            count.set(0);
        }
    }

    record Buf(long[] items, int n) {
    }

    GcWork(Full full, SpanQueue.Shared spans) {
        super(full, spans);
    }

    /** Queues a grey object, moving a full buffer to the global list ({@code putFast}/{@code putFull}). */
    void put(long obj) {
        if (n == CAPACITY) {
            full.push(buf, n);
            buf = full.getEmpty();
            n = 0;
        }
        buf[n++] = obj;
    }

    /** {@code tryGetObjFast}: a grey object from this buffer only; 0 when it is empty. */
    long tryGetFast() {
        return n == 0 ? 0 : buf[--n];
    }

    /** A grey object from this buffer, else from the global list; 0 when there is none. */
    long tryGet() {
        if (n == 0 && !refill()) {
            return 0;
        }
        return buf[--n];
    }

    private boolean refill() {
        Buf b = full.pop();
        if (b == null) {
            return false;
        }
        full.putEmpty(buf); // n == 0: every object in it was taken
        buf = b.items();
        n = b.n();
        return true;
    }

    /**
     * Publishes every buffered grey object to the global list, and every queued span to the
     * shared span queue ({@code gcw.dispose}); true if there was any.
     */
    boolean flush() {
        boolean spans = spanq.flush();
        if (n == 0) {
            return spans;
        }
        full.push(buf, n);
        buf = full.getEmpty();
        n = 0;
        return true;
    }

    /** {@code gcw.balance}: when the global list is empty, give it half of this buffer. */
    void balance() {
        if (n >= 4 && full.isEmpty()) {
            int half = n / 2;
            long[] out = full.getEmpty();
            System.arraycopy(buf, n - half, out, 0, half);
            n -= half;
            full.push(out, half);
        }
    }

    int buffered() {
        return n;
    }

    /** True if no grey object is buffered here (queued spans aside). */
    boolean isEmpty() {
        return n == 0;
    }

    /** Drops every buffered object (a cycle abandoned at shutdown). */
    void discard() {
        n = 0;
        spanq.discard();
    }
}

/**
 * GcWork's fields, between padding (superclass fields are laid out first): each P's buffer is
 * written on every grey object by the thread holding that P, so two Ps' buffers must not share
 * a cache line.
 */
class GcWorkFields extends GcWorkPad {
    final GcWork.Full full;
    /** Go's {@code gcw.spanq}: used only under {@link MarkQueue#SPANS}. */
    final SpanQueue spanq;
    long[] buf = new long[GcWork.CAPACITY];
    int n;
    /** The P this buffer belongs to, -1 for the no-P buffer. */
    int proc = -1;

    // the P's share of the run's counters (they only grow)
    long markedObjects;
    long markedBytes;
    long scanWork;
    /** Scan work not yet published to the global count the assist ratio reads. */
    long unpublishedScanWork;
    /** Objects scanned ({@code scanobject} calls, span scans included). */
    long objectsScanned;
    /** Spans taken from a span queue and visited ({@code scanSpan} calls). */
    long spanVisits;
    /** Objects those visits scanned. */
    long spanObjects;
    /** A span visit's objects to scan, one word per 64 granules (Go's {@code gc.ObjMask}). */
    final long[] spanToScan = new long[SpanMarks.WORDS];

    GcWorkFields(GcWork.Full full, SpanQueue.Shared spans) {
        this.full = full;
        this.spanq = new SpanQueue(spans);
    }
}

class GcWorkPad {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7;
}
