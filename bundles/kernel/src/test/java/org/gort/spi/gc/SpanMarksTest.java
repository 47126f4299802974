package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.gort.spi.heap.MarkBitmap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The span protocol of Green Tea marking (tryAcquire, release, setScans) under concurrent
 * markers and span scanners: every object marked is scanned, and exactly once.
 */
class SpanMarksTest {
    private static final long HEAP = 4 * SpanMarks.SPAN_BYTES;
    /** 32-byte objects: 256 per span. */
    private static final int OBJECT = 32;

    /** The marks: one bit per granule, like the kernel's bitmap. */
    private final AtomicLongArray marks = new AtomicLongArray((int) (HEAP / MarkBitmap.WORD_BYTES));

    private boolean mark(long addr) {
        int bit = (int) (addr >>> 2);
        long mask = 1L << (bit & 63);
        return (marks.getAndUpdate(bit >>> 6, w -> w | mask) & mask) == 0;
    }

    /** scanSpan's protocol: returns the objects this visit scans, each counted in {@code scanned}. */
    private static int scanSpan(SpanMarks spans, AtomicLongArray marks, long p, AtomicIntegerArray scanned) {
        long base = SpanMarks.base(p);
        SpanMarks.Span span = spans.of(base);
        if (span.release() == SpanMarks.ONE_MARK) {
            if (span.setScanned(p)) {
                scanned.incrementAndGet((int) (p / OBJECT));
                return 1;
            }
            return 0;
        }
        int n = 0;
        for (int i = 0; i < SpanMarks.WORDS; i++) {
            long m = marks.get((int) (base / MarkBitmap.WORD_BYTES) + i);
            for (long todo = m == 0 ? 0 : span.setScans(i, m); todo != 0; todo &= todo - 1) {
                long obj = base + (((long) i << 6) + Long.numberOfTrailingZeros(todo)) * MarkBitmap.GRANULE;
                scanned.incrementAndGet((int) (obj / OBJECT));
                n++;
            }
        }
        return n;
    }

    @RepeatedTest(20)
    void everyMarkedObjectIsScannedExactlyOnceUnderConcurrentMarkersAndScanners() throws InterruptedException {
        SpanMarks spans = new SpanMarks(HEAP);
        spans.cycle = 1;
        ConcurrentLinkedQueue<Long> queue = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray scanned = new AtomicIntegerArray((int) (HEAP / OBJECT));
        AtomicBoolean markersDone = new AtomicBoolean();
        int markers = 3;
        int scanners = 3;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch marked = new CountDownLatch(markers);
        Thread[] ts = new Thread[markers + scanners];
        for (int t = 0; t < markers; t++) {
            ts[t] = new Thread(() -> {
                await(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    long obj = OBJECT * (1 + rnd.nextLong(HEAP / OBJECT - 1));
                    if (mark(obj) && spans.of(obj).tryAcquire()) {
                        queue.add(obj);
                    }
                }
                marked.countDown();
            });
        }
        for (int t = markers; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                await(start);
                while (true) {
                    Long p = queue.poll();
                    if (p != null) {
                        scanSpan(spans, marks, p, scanned);
                    } else if (markersDone.get()) {
                        return;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.start();
        }
        start.countDown();
        marked.await();
        markersDone.set(true);
        for (Thread t : ts) {
            t.join();
        }
        for (Long p; (p = queue.poll()) != null; ) {
            scanSpan(spans, marks, p, scanned);
        }
        int markedObjects = 0;
        for (int i = 1; i < scanned.length(); i++) {
            long addr = (long) i * OBJECT;
            boolean isMarked = (marks.get((int) (addr >>> 8)) & (1L << ((addr >>> 2) & 63))) != 0;
            int s = scanned.get(i);
            if (isMarked) {
                markedObjects++;
                assertEquals(1, s, "object 0x" + Long.toHexString(addr) + " marked and scanned " + s + " times");
            } else {
                assertEquals(0, s, "object 0x" + Long.toHexString(addr) + " scanned but never marked");
            }
        }
        assertTrue(markedObjects > 500, "the markers marked " + markedObjects);
        for (long i = 0; i < HEAP / SpanMarks.SPAN_BYTES; i++) {
            assertEquals(SpanMarks.UNOWNED, spans.of(i * SpanMarks.SPAN_BYTES).release(), "span " + i + " left queued");
        }
    }

    @Test
    void aLaterCycleStartsWithNoScanBitsAndNoSpanQueued() {
        SpanMarks spans = new SpanMarks(HEAP);
        spans.cycle = 1;
        long obj = 2 * SpanMarks.SPAN_BYTES + 64;
        assertTrue(spans.of(obj).tryAcquire(), "an unqueued span is acquired");
        assertFalse(spans.of(obj).tryAcquire(), "a queued one is not");
        assertTrue(spans.of(obj).setScanned(obj));
        assertFalse(spans.of(obj).setScanned(obj), "a scan bit is set once");
        spans.cycle = 2;
        assertTrue(spans.of(obj).setScanned(obj), "the next cycle's scan bits start clear");
        assertTrue(spans.of(obj).tryAcquire(), "and no span is queued");
        assertEquals(SpanMarks.ONE_MARK, spans.of(obj).release());
    }

    @Test
    void oneMarkOnReleaseOnlyWhenNobodyElseMarkedSinceTheQueueing() {
        SpanMarks spans = new SpanMarks(HEAP);
        spans.cycle = 1;
        SpanMarks.Span s = spans.of(0x4000);
        assertTrue(s.tryAcquire());
        assertEquals(SpanMarks.ONE_MARK, s.release());
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
        assertEquals(SpanMarks.ONE_MARK | SpanMarks.MANY_MARK, s.release(), "a second mark makes it many");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
