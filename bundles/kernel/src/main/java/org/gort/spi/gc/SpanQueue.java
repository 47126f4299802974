package org.gort.spi.gc;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Go's {@code spanQueue}: one P's FIFO of queued spans, each entry the address of the object
 * that queued it (Go's {@code objptr}: the span is {@code SpanMarks.base(entry)}), plus the
 * shared FIFO of batches that other Ps take from.
 *
 * <p>FIFO, unlike the object work buffers' LIFO, because a span waits in the queue while more of
 * its objects are marked, and the later it is scanned the more it holds (Go found FIFO best).
 * The ring is touched only by the thread holding the P (or the coordinator with the world
 * stopped), so it takes no lock. Spans move to the shared queue in batches, oldest first: half
 * the ring when it is full, a few every {@value #SPILL_PERIOD} puts when the shared queue is
 * empty (so that idle workers find work, Go's periodic spill), and all of it on
 * {@link #flush}. Go keeps a stealable chain per P; here one shared lock-free queue plays it,
 * which keeps the order FIFO across Ps.
 */
final class SpanQueue {
    static final int RING = 256;
    /** Go's {@code spillPeriod}: puts between checks for spilling to an empty shared queue. */
    static final int SPILL_PERIOD = 64;
    /** Go's {@code spillMax}: spans spilled at most by one such check. */
    static final int SPILL_MAX = 16;

    /** The spans every P can take, in batches ({@code work.spanq}, Go's chains of {@code spanSPMC}). */
    static final class Shared {
        private final ConcurrentLinkedQueue<long[]> batches = new ConcurrentLinkedQueue<>();

        boolean isEmpty() {
            return batches.isEmpty();
        }

        void clear() {
            batches.clear();
        }
    }

    private final Shared shared;
    private final long[] ring = new long[RING];
    private int head;
    private int tail;
    private int putsSinceDrain;

    SpanQueue(Shared shared) {
        this.shared = shared;
    }

    int size() {
        return tail - head;
    }

    /** {@code put}: queues a span; true if spans were published to the shared queue (wake a worker). */
    boolean put(long s) {
        if (tail - head == RING) {
            drain(RING / 2);
            ring[tail++ & (RING - 1)] = s;
            return true;
        }
        ring[tail++ & (RING - 1)] = s;
        if (++putsSinceDrain >= SPILL_PERIOD) {
            putsSinceDrain = 0;
            int n = Math.min((tail - head) / 2, SPILL_MAX);
            if (n > 4 && shared.isEmpty()) {
                drain(n);
                return true;
            }
        }
        return false;
    }

    /** {@code tryGetFast}: the oldest span of this P's ring, 0 if it is empty. */
    long tryGetFast() {
        if (tail == head) {
            return 0;
        }
        return ring[head++ & (RING - 1)];
    }

    /** {@code tryGetSpan}: from the ring, else the oldest batch of the shared queue; 0 if none. */
    long tryGet() {
        long s = tryGetFast();
        if (s != 0) {
            return s;
        }
        long[] b = shared.batches.poll();
        if (b == null) {
            return 0;
        }
        head = 0;
        tail = b.length;
        System.arraycopy(b, 0, ring, 0, b.length);
        return tryGetFast();
    }

    /** Publishes every span in the ring; true if there was any. */
    boolean flush() {
        int n = tail - head;
        if (n == 0) {
            return false;
        }
        drain(n);
        return true;
    }

    /** Drops every queued span of the ring (a cycle abandoned, or a new one starting). */
    void discard() {
        head = tail = 0;
        putsSinceDrain = 0;
    }

    /** {@code drain}: moves the {@code n} oldest spans to the shared queue as one batch. */
    private void drain(int n) {
        putsSinceDrain = 0;
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            b[i] = ring[head++ & (RING - 1)];
        }
        shared.batches.add(b);
    }
}
