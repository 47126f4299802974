package org.gort.alloc.tcmalloc;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.gort.spi.sched.MeteredLock;

/**
 * Go's {@code mcentral}: the central free list of one span class, shared by all Ps.
 *
 * <p>It holds every in-use span of its class that no mcache has cached, in four sets, as Go
 * (1.15+) does: partial (some free objects) or full, each swept or unswept. Which physical set
 * is "swept" flips with the heap's sweepgen: {@code partial[sweepgen/2 % 2]} holds the swept
 * partial spans, the other one the unswept; when the heap advances sweepgen by 2 at the start of
 * a cycle, every swept set becomes an unswept set at once, with no span touched. (Go's sets are
 * lock-free; ours are guarded by the mcentral's own lock, as Go's lists were before 1.15, and
 * the lock is metered.)
 *
 * <p>{@link #cacheSpan} gives an mcache a span with free objects, sweeping unswept spans before
 * use, so no object is ever allocated in an unswept span; {@link #uncacheSpan} takes it back.
 */
final class MCentral {
    private static final int SPAN_BUDGET = 100;

    final int spanclass;
    private final MHeap heap;
    final MeteredLock lock;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<MSpan>[] partial = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<MSpan>[] full = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    /**
     * Spans in each set ({@code [partial0, partial1, full0, full1]}), written under the lock and
     * read without it, so that a sweeper looking through 134 classes skips empty sets without
     * taking their locks (Go's sets are lock-free, and an empty check costs nothing there).
     */
    private final AtomicIntegerArray sizes = new AtomicIntegerArray(4);

    MCentral(int spanclass, MHeap heap, MeteredLock lock) {
        this.spanclass = spanclass;
        this.heap = heap;
        this.lock = lock;
    }

    private static int swept(int sg) {
        return (sg >>> 1) & 1;
    }

    private static int unswept(int sg) {
        return ((sg >>> 1) + 1) & 1;
    }

    private int sizeSlot(ArrayDeque<MSpan>[] sets, int index) {
        return (sets == partial ? 0 : 2) + index;
    }

    private MSpan pop(ArrayDeque<MSpan>[] sets, int index) {
        int slot = sizeSlot(sets, index);
        if (sizes.get(slot) == 0) {
            return null;
        }
        lock.lock();
        try {
            MSpan s = sets[index].pollFirst();
            if (s != null) {
                sizes.decrementAndGet(slot);
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    private void push(ArrayDeque<MSpan>[] sets, int index, MSpan s) {
        lock.lock();
        try {
            sets[index].addFirst(s);
            sizes.incrementAndGet(sizeSlot(sets, index));
        } finally {
            lock.unlock();
        }
    }

    void pushPartialSwept(int sg, MSpan s) {
        push(partial, swept(sg), s);
    }

    void pushFullSwept(int sg, MSpan s) {
        push(full, swept(sg), s);
    }

    MSpan popPartialUnswept(int sg) {
        return pop(partial, unswept(sg));
    }

    MSpan popFullUnswept(int sg) {
        return pop(full, unswept(sg));
    }

    /**
     * Go's {@code mcentral.cacheSpan}: a span with at least one free object for an mcache, or
     * null if the heap is exhausted. Tries, in order: a swept partial span; an unswept partial
     * span, swept now; an unswept full span, swept now in the hope it frees something; a new
     * span from the heap ({@link #grow}). At most {@value #SPAN_BUDGET} unswept spans are tried
     * before growing, as in Go, to bound the latency of one refill.
     */
    MSpan cacheSpan() {
        int sg = heap.sweepgen;
        MSpan s = pop(partial, swept(sg));
        if (s != null) {
            return haveSpan(s);
        }
        int budget = SPAN_BUDGET;
        for (; budget >= 0; budget--) {
            s = pop(partial, unswept(sg));
            if (s == null) {
                break;
            }
            if (s.sweepgen == sg - 2 && s.casSweepgen(sg - 2, sg - 1)) {
                // We own it now: sweep it and use it.
                heap.sweep(s, true);
                return haveSpan(s);
            }
            // A background sweeper is sweeping it; it will file it in a swept set.
        }
        for (; budget >= 0; budget--) {
            s = pop(full, unswept(sg));
            if (s == null) {
                break;
            }
            if (s.sweepgen == sg - 2 && s.casSweepgen(sg - 2, sg - 1)) {
                heap.sweep(s, true);
                int freeIndex = s.nextFreeIndex();
                if (freeIndex != s.nelems) {
                    s.freeindex = freeIndex;
                    return haveSpan(s);
                }
                // Sweeping freed nothing: it stays full.
                push(full, swept(sg), s);
            }
        }
        s = grow();
        return s == null ? null : haveSpan(s);
    }

    private MSpan haveSpan(MSpan s) {
        if (s.nelems - s.allocCount == 0 || s.freeindex == s.nelems) {
            throw new IllegalStateException("tcmalloc: span has no free objects: " + s);
        }
        // Init the alloc cache so that freeindex corresponds to its low bit.
        s.refillAllocCache(s.freeindex >>> 6);
        s.allocCache >>>= s.freeindex & 63;
        return s;
    }

    /**
     * Go's {@code mcentral.uncacheSpan}: an mcache returns a span it cached in this cycle; it
     * goes back to the swept partial or full set. (Go also handles a span cached before the
     * cycle began, which must be swept now; here mcaches are flushed before sweepgen advances,
     * so that cannot happen.)
     */
    void uncacheSpan(MSpan s) {
        int sg = heap.sweepgen;
        if (s.sweepgen != sg + 3) {
            throw new IllegalStateException("tcmalloc: uncaching a span that is not cached in this cycle: " + s
                    + " (heap sweepgen " + sg + ")");
        }
        s.sweepgen = sg;
        if (s.allocCount < s.nelems) {
            push(partial, swept(sg), s);
        } else {
            push(full, swept(sg), s);
        }
    }

    /** Go's {@code mcentral.grow}: a fresh span of this class from the heap, or null. */
    private MSpan grow() {
        int c = SizeClasses.sizeclass(spanclass);
        return heap.alloc(SizeClasses.CLASS_TO_ALLOCNPAGES[c], spanclass);
    }

    /** True if both unswept sets are empty (all swept for heap sweepgen {@code sg}). */
    boolean unsweptSetsEmpty(int sg) {
        return sizes.get(sizeSlot(partial, unswept(sg))) == 0 && sizes.get(sizeSlot(full, unswept(sg))) == 0;
    }
}
