package org.gort.spi.gc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.MarkBitmap;

/*
 * Span-based marking's per-span state (Go's spanInlineMarkBits, mgcmark_greenteagc.go).
 *
 * A span here is the 8 KiB page an object starts in: Go's small objects (up to 512 bytes) all
 * live in one-page spans, and gort's mark bitmap is the allocator's, not the span's, so the
 * page is the unit every allocator shares. Each span used while marking has:
 *
 *   marks  the kernel's mark bits for the page (MarkBitmap, 32 words of 64 granules): set
 *          when an object is first found, as for every collector;
 *   scans  one bit per granule, set when the object there has been scanned (or allocated
 *          black, gcmarknewobject): marks & ~scans are the objects marked and not yet scanned;
 *   owned  whether the span is queued: UNOWNED, ONE_MARK (queued for one object), MANY_MARK
 *          (more objects were marked after it was queued).
 *
 *   tryAcquire  after marking an object: true if the caller must queue the span (it was not
 *               queued); otherwise record that more than one object waits.
 *   release     a worker that took the span: un-queue it before reading the marks, and learn
 *               whether only the object that queued it was marked since (ONE_MARK).
 *   setScans    scans |= marks word by word (an atomic OR), returning the bits this caller
 *               set: the objects it must scan (spanSetScans).
 *
 * Invariants.
 *  - An object marked while marking is on its span's marks before the span is queued, and it
 *    is scanned by a visit that reads the marks after the visit's release: either the visit in
 *    progress had released before the mark's tryAcquire, so that tryAcquire queues the span
 *    again, or the tryAcquire found it owned, so the release comes later and the marks read
 *    after it include the object.
 *  - An object is scanned at most once per cycle: only the caller whose atomic OR set its scan
 *    bit scans it (Go's spanSetScans ORs without reading the result, so two workers on one
 *    span may both scan an object; the result here makes them disjoint).
 *  - ONE_MARK on release means no tryAcquire since the queueing one, so the queued object is
 *    the only one that can be waiting: it alone is scanned, without reading the marks.
 *
 * Implementation notes. The scan bits and owned belong to one cycle: a span records its cycle
 * and is reset (scans cleared, unowned) by the first access of a later cycle, under the span's
 * monitor, before the new cycle number is published (a volatile write); every access checks the
 * cycle first, so no scan bit of an earlier cycle is seen and nothing is cleared at a pause.
 * Nobody touches a span outside a cycle's marking (Marking's invariant), so a reset never races
 * a use of the same cycle. Span objects are made on first use, one per page ever queued or
 * allocated into while marking, and reused for the run.
 */
final class SpanMarks {
    /** Go's {@code gcUsesSpanInlineMarkBits}: objects up to 512 bytes ({@code heapBitsInSpan}). */
    static final long MAX_SMALL_BYTES = 512;
    static final int SPAN_SHIFT = HeapArena.PAGE_SHIFT;
    static final long SPAN_BYTES = 1L << SPAN_SHIFT;
    /** Mark (and scan) words per span: 8192 / 4 / 64 = 32. */
    static final int WORDS = (int) (SPAN_BYTES / MarkBitmap.WORD_BYTES);

    static final int UNOWNED = 0;
    static final int ONE_MARK = 1;
    static final int MANY_MARK = 2;

    private static final VarHandle OWNED;
    private static final VarHandle SCANS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            OWNED = MethodHandles.lookup().findVarHandle(Span.class, "owned", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicReferenceArray<Span> spans;
    /** The cycle marking now; set with the world stopped. */
    long cycle;

    SpanMarks(long heapBytes) {
        this.spans = new AtomicReferenceArray<>((int) ((heapBytes >>> SPAN_SHIFT) + 1));
    }

    /** The base address of the span {@code addr} lies in. */
    static long base(long addr) {
        return addr & -SPAN_BYTES;
    }

    /** The span {@code addr} lies in, its state belonging to this cycle. */
    Span of(long addr) {
        int i = (int) (addr >>> SPAN_SHIFT);
        long c = cycle;
        Span s = spans.get(i);
        if (s == null) {
            Span made = new Span(c);
            s = spans.compareAndExchange(i, null, made);
            if (s == null) {
                return made;
            }
        }
        if (s.cycle != c) {
            s.reset(c);
        }
        return s;
    }

    /** One span's scan bits and queue ownership (Go's {@code spanInlineMarkBits} without the marks). */
    static final class Span {
        private volatile long cycle;
        private final long[] scans = new long[WORDS];
        @SuppressWarnings("unused") // through OWNED
        private int owned;

        Span(long cycle) {
            this.cycle = cycle;
        }

        private synchronized void reset(long c) {
            if (cycle != c) {
                Arrays.fill(scans, 0);
                OWNED.setVolatile(this, UNOWNED);
                cycle = c;
            }
        }

        /** {@code tryAcquire}: true if the caller must queue this span. */
        boolean tryAcquire() {
            switch ((int) OWNED.getVolatile(this)) {
                case UNOWNED:
                    if ((int) OWNED.getAndBitwiseOr(this, ONE_MARK) == UNOWNED) {
                        return true;
                    }
                    // raced with another marker: it queued the span; say that two wait
                case ONE_MARK:
                    return (int) OWNED.getAndBitwiseOr(this, MANY_MARK) == UNOWNED;
                default:
                    return false;
            }
        }

        /** {@code release}: un-queues the span; ONE_MARK if only the queueing object was marked since. */
        int release() {
            return (int) OWNED.getAndSet(this, UNOWNED);
        }

        /** Sets the scan bit of the object at {@code obj}; true if this call set it. */
        boolean setScanned(long obj) {
            int bit = (int) ((obj & (SPAN_BYTES - 1)) >>> 2);
            long mask = 1L << (bit & 63);
            return ((long) SCANS.getAndBitwiseOr(scans, bit >>> 6, mask) & mask) == 0;
        }

        /**
         * {@code spanSetScans} for word {@code i}: ORs {@code marks} into the scan bits and
         * returns the bits this call set (marked, not scanned before, and now this caller's to scan).
         */
        long setScans(int i, long marks) {
            long scanned = (long) SCANS.getVolatile(scans, i);
            long todo = marks & ~scanned;
            if (todo == 0) {
                return 0;
            }
            return todo & ~(long) SCANS.getAndBitwiseOr(scans, i, todo);
        }
    }
}
