package org.gort.kernel.heap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.gort.api.FatalError;
import org.gort.kernel.SpinLock;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.heap.RootSet;

/*
 * Finalizers on managed-heap objects (Go's runtime.SetFinalizer: mfinal.go, and the finalizer
 * specials of mheap.go, markrootSpans and mspan.sweep).
 *
 * The table maps an object's address to its finalizer. Three moments in each cycle, all the
 * kernel's (a collector built on the toolkit changes nothing):
 *
 *   cycle start (world stopped)   fix the cycle's finalizer roots: the objects that have a
 *                                 finalizer now, and the queued objects whose finalizer has not
 *                                 run yet.
 *   marking                       the roots are, for each object with a finalizer, what its
 *                                 pointer slots hold (read when the root is scanned), but not the
 *                                 object itself (markrootSpans: "mark everything that can be
 *                                 reached from the object, but not the object itself, or we
 *                                 would never collect it"); and each queued object itself.
 *   mark termination (stopped,    each object of the cycle's table still unmarked is
 *   after gccheckmark, before     unreachable: it is marked now (so this cycle's sweep keeps
 *   the sweep)                    it, and everything it reaches was marked through the roots),
 *                                 its finalizer leaves the table for the queue, and the finalizer
 *                                 goroutine is woken.
 *
 * So an unreachable object with a finalizer, and everything it reaches, survive one more
 * cycle; its finalizer runs on the finalizer goroutine with the object as argument; the next
 * cycle that finds it unreachable frees it, unless the finalizer stored it somewhere reachable.
 * An object that can reach itself (a cycle through it) is always marked through its own roots:
 * its finalizer never runs and the cycle is never freed, as in Go.
 *
 * Implementation notes. The roots are read by concurrent markers while goroutines store into
 * the objects: that is a scan of a heap object like any other, and the write barrier covers
 * the stores (insertion barriers shade what is stored, deletion barriers what is overwritten).
 * A finalizer set during marking is not among the cycle's roots; the object is shaded when the
 * finalizer is set (ManagedHeap.setFinalizer runs the hand-over barrier), so the collector
 * marks it this cycle and the next cycle considers it. The queue is guarded by `lock`; the
 * finalizer goroutine takes an entry and roots it before its next safepoint, so no cycle can
 * start between the two.
 */
public final class Finalizers implements RootSet {
    /** A finalizer waiting to run: the object it was set on, and the function. */
    public record Queued(long obj, LongConsumer fn) {
    }

    /** The roots fixed at a cycle's start; immutable. */
    private record Snapshot(long[] queued, long[] objs, int[] prefix, int size) {
    }

    private static final Snapshot EMPTY = new Snapshot(new long[0], new long[0], new int[] {0}, 0);

    private final ManagedHeap heap;
    private final Map<Long, LongConsumer> table = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = EMPTY;
    /** Guards {@link #queue} and the finalizer goroutine's parking (see the kernel's Fing). */
    public final SpinLock lock = new SpinLock();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** Called (world stopped) when finalizers were queued; set by the kernel. */
    private volatile Runnable onQueued;

    Finalizers(ManagedHeap heap) {
        this.heap = heap;
    }

    /** Sets {@code obj}'s finalizer; false if it has one already. */
    boolean set(long obj, LongConsumer fn) {
        return table.putIfAbsent(obj, fn) == null;
    }

    /** Removes {@code obj}'s finalizer, if any. */
    void clear(long obj) {
        table.remove(obj);
    }

    /** Installs what {@link #queueUnreachable} calls when it queued finalizers. */
    public void onQueued(Runnable r) {
        onQueued = r;
    }

    /**
     * The finalizer roots as they are now, for {@code --check-roots} (RootCheck): the objects
     * queued for their finalizer (the queue roots them until the finalizer goroutine takes
     * them), and what every object with a finalizer points to (kept, as Go's finalizer special
     * marks it).
     */
    public void forEachRoot(LongConsumer action) {
        long[] q = queuedObjects();
        for (long obj : q) {
            action.accept(obj);
        }
        for (Long obj : table.keySet()) {
            int n = heap.pointerSlots(obj);
            for (int i = 0; i < n; i++) {
                action.accept(heap.pointerAt(obj, i));
            }
        }
    }

    /** The objects queued for their finalizer, copied under the lock. */
    private long[] queuedObjects() {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                return EMPTY.queued();
            }
            long[] q = new long[queue.size()];
            int i = 0;
            for (Queued e : queue) {
                q[i++] = e.obj();
            }
            return q;
        } finally {
            lock.unlock();
        }
    }

    /** The number of objects with a finalizer set (not yet queued). */
    public int registered() {
        return table.size();
    }

    /** World stopped, as a cycle starts: fix this cycle's roots. */
    void startCycle() {
        long[] q = queuedObjects();
        if (q.length == 0 && table.isEmpty()) {
            snapshot = EMPTY; // the usual case: no finalizer anywhere, nothing to copy inside the pause
            return;
        }
        long[] objs = new long[table.size()];
        int n = 0;
        for (Long obj : table.keySet()) { // world stopped: nobody adds or removes now
            if (n == objs.length) {
                objs = java.util.Arrays.copyOf(objs, n * 2 + 1);
            }
            objs[n++] = obj;
        }
        objs = java.util.Arrays.copyOf(objs, n);
        int[] prefix = new int[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + heap.pointerSlots(objs[i]);
        }
        snapshot = new Snapshot(q, objs, prefix, q.length + prefix[n]);
    }

    /**
     * World stopped, marking finished and verified, before the sweep: queue the finalizers of
     * the cycle's objects that are unmarked, and mark those objects. Returns how many.
     */
    int queueUnreachable(MarkBitmap marks) {
        Snapshot s = snapshot;
        if (s.objs().length == 0 && table.isEmpty()) {
            return 0;
        }
        List<Queued> found = new ArrayList<>();
        for (long obj : s.objs()) {
            if (!marks.isMarked(obj)) {
                LongConsumer fn = table.remove(obj);
                if (fn != null) { // not cleared since the cycle began
                    marks.mark(obj); // kept by this cycle's sweep, with all it reaches
                    found.add(new Queued(obj, fn));
                }
            }
        }
        // A finalizer set during this cycle on an object the collector did not mark would
        // leave the table pointing at freed memory; the barrier run by set() rules it out.
        for (Map.Entry<Long, LongConsumer> e : table.entrySet()) {
            if (!marks.isMarked(e.getKey())) {
                throw new FatalError("the collector left unmarked an object whose finalizer was set during marking, at "
                        + "0x" + Long.toHexString(e.getKey()) + ": it missed the barrier run when the finalizer was set");
            }
        }
        if (found.isEmpty()) {
            return 0;
        }
        lock.lock();
        try {
            queue.addAll(found);
        } finally {
            lock.unlock();
        }
        Runnable r = onQueued;
        if (r != null) {
            r.run();
        }
        return found.size();
    }

    /** The next finalizer to run, or null; the caller holds {@link #lock}. */
    public Queued pollLocked() {
        return queue.pollFirst();
    }

    // --- RootSet: the queued objects, then the pointer slots of every object with a finalizer

    @Override
    public int size() {
        return snapshot.size();
    }

    @Override
    public long get(int i) {
        Snapshot s = snapshot;
        if (i < s.queued().length) {
            return s.queued()[i];
        }
        int j = i - s.queued().length;
        int[] prefix = s.prefix();
        int lo = 0;
        int hi = s.objs().length - 1;
        while (lo < hi) { // the last object whose first slot is at or before j
            int mid = (lo + hi + 1) >>> 1;
            if (prefix[mid] <= j) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return heap.pointerAt(s.objs()[lo], j - prefix[lo]);
    }
}
