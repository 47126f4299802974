package org.gort.spi.gc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.heap.RootSet;

/*
 * gccheckmark and the floating-garbage census (Go's GODEBUG=gccheckmark=1, mcheckmark.go).
 *
 * At mark termination, with the world stopped and marking finished, mark again from every root
 * (globals and every goroutine's stack) into a separate bitmap, exactly and single-threaded:
 *
 *   - a reachable object whose mark bit the cycle did not set would be freed by the sweep that
 *     follows: the run fails loudly with its address, its type and a path from a root;
 *   - a marked object that the exact mark did not reach is floating garbage: unreachable at the
 *     end of the cycle, kept until the next one (what deletion barriers and allocate-black cost).
 *
 * The path is found by a second, parent-recording search that runs only on failure.
 */
final class CheckMark {
    record Result(long reachableObjects, long reachableBytes, long floatingObjects, long floatingBytes,
                  String failure) {
    }

    private final GcRuntime rt;
    private final HeapView heap;
    private final MarkBitmap marks;
    private final BitSet seen;
    private long[] queue = new long[1024];
    private int qlen;
    private long reachableObjects;
    private long reachableBytes;
    private long unmarked;

    private CheckMark(GcRuntime rt) {
        this.rt = rt;
        this.heap = rt.heap();
        this.marks = heap.markBitmap();
        this.seen = new BitSet((int) Math.min(Integer.MAX_VALUE, (heap.committedBytes() >>> 2) + 1));
    }

    /** World stopped, marking done. {@code verify}: fail on an unmarked reachable object. */
    static Result run(GcRuntime rt, boolean verify, boolean census, String collector, long cycle) {
        CheckMark c = new CheckMark(rt);
        c.markFromRoots();
        String failure = null;
        if (verify && c.unmarked != 0) {
            long obj = c.unmarked;
            failure = String.format("checkmark found unmarked object 0x%x (%s, %d bytes) reachable after cycle %d of "
                            + "collector %s: the sweep would free a live object; path: %s",
                    obj, c.heap.typeName(obj), c.heap.objectSize(obj), cycle, collector, c.pathTo(obj));
        }
        long floatingObjects = 0;
        long floatingBytes = 0;
        if (census) {
            long[] f = new long[2];
            c.heap.forEachObject(obj -> {
                if (c.marks.isMarked(obj) && !c.seen.get(index(obj))) {
                    f[0]++;
                    f[1] += c.heap.objectSize(obj);
                }
            });
            floatingObjects = f[0];
            floatingBytes = f[1];
        }
        return new Result(c.reachableObjects, c.reachableBytes, floatingObjects, floatingBytes, failure);
    }

    private static int index(long addr) {
        return (int) (addr >>> 2);
    }

    private void markFromRoots() {
        for (RootSet set : List.of(heap.globals(), heap.channelBuffers(), heap.finalizerRoots())) {
            int n = set.size();
            for (int i = 0; i < n; i++) {
                visit(set.get(i));
            }
        }
        rt.forEachGoroutine(g -> rt.tryScanStack(g, roots -> {
            int m = roots.size();
            for (int i = 0; i < m; i++) {
                visit(roots.get(i));
            }
        }));
        while (qlen > 0) {
            long obj = queue[--qlen];
            int slots = heap.pointerSlots(obj);
            for (int i = 0; i < slots; i++) {
                visit(heap.pointerAt(obj, i));
            }
        }
    }

    private void visit(long obj) {
        if (obj == 0 || seen.get(index(obj))) {
            return;
        }
        seen.set(index(obj));
        reachableObjects++;
        reachableBytes += heap.objectSize(obj);
        if (unmarked == 0 && !marks.isMarked(obj)) {
            unmarked = obj;
        }
        if (heap.pointerSlots(obj) > 0) {
            if (qlen == queue.length) {
                queue = java.util.Arrays.copyOf(queue, qlen * 2);
            }
            queue[qlen++] = obj;
        }
    }

    /** A shortest path from a root to {@code target}, as text. */
    private String pathTo(long target) {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Integer> parentSlot = new HashMap<>();
        Map<Long, String> rootOf = new HashMap<>();
        java.util.ArrayDeque<Long> q = new java.util.ArrayDeque<>();
        RootSet globals = heap.globals();
        for (int i = 0; i < globals.size(); i++) {
            long v = globals.get(i);
            if (v != 0 && rootOf.putIfAbsent(v, "global " + i) == null) {
                q.add(v);
            }
        }
        RootSet buffers = heap.channelBuffers();
        for (int i = 0; i < buffers.size(); i++) {
            long v = buffers.get(i);
            if (v != 0 && rootOf.putIfAbsent(v, "buffer of pointer channel (root " + i + ")") == null) {
                q.add(v);
            }
        }
        RootSet fin = heap.finalizerRoots();
        for (int i = 0; i < fin.size(); i++) {
            long v = fin.get(i);
            if (v != 0 && rootOf.putIfAbsent(v, "finalizer root " + i) == null) {
                q.add(v);
            }
        }
        rt.forEachGoroutine(g -> rt.tryScanStack(g, roots -> {
            for (int i = 0; i < roots.size(); i++) {
                long v = roots.get(i);
                if (v != 0 && rootOf.putIfAbsent(v, "root stack of goroutine " + g.id() + " slot " + i) == null) {
                    q.add(v);
                }
            }
        }));
        while (!q.isEmpty() && !rootOf.containsKey(target) && !parent.containsKey(target)) {
            long obj = q.poll();
            int slots = heap.pointerSlots(obj);
            for (int i = 0; i < slots; i++) {
                long c = heap.pointerAt(obj, i);
                if (c != 0 && !rootOf.containsKey(c) && !parent.containsKey(c)) {
                    parent.put(c, obj);
                    parentSlot.put(c, i);
                    q.add(c);
                }
            }
        }
        List<String> hops = new ArrayList<>();
        long at = target;
        while (!rootOf.containsKey(at)) {
            Long p = parent.get(at);
            if (p == null) {
                return "(no path found)";
            }
            hops.add(String.format(" -[slot %d]-> 0x%x (%s%s)", parentSlot.get(at), at, heap.typeName(at),
                    marks.isMarked(at) ? ", marked" : ", unmarked"));
            at = p;
        }
        StringBuilder sb = new StringBuilder(rootOf.get(at)).append(String.format(" -> 0x%x (%s%s)", at,
                heap.typeName(at), marks.isMarked(at) ? ", marked" : ", unmarked"));
        for (int i = hops.size() - 1; i >= 0; i--) {
            sb.append(hops.get(i));
        }
        return sb.toString();
    }
}
