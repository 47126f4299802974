package org.gort.kernel.heap;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.gort.api.BadPointerException;

/*
 * The rooting rule, checked (--check-roots). An address held only in a Java local is not a
 * root; it stays valid until the goroutine's next safepoint, where a collection may free what
 * nothing reaches. So every heap access through an address, and every address stored into the
 * heap, a root slot, a global or a pointer channel, must name an object that is either
 *
 *   fresh:   obtained by this goroutine since its last safepoint (allocated, loaded from a
 *            pointer slot, a root slot or a global, received from a pointer channel), or taken
 *            out of its root stack since then (a slot overwritten, a frame popped: the object
 *            was rooted at that safepoint or fresh since, as the address a function returns
 *            after popping the frame that rooted it), or
 *   rooted:  in this goroutine's root stack, in a global, or reachable from the roots now
 *            (every goroutine's root stack, the globals, the pointer channels' buffers, the
 *            finalizer queue and what objects with a finalizer point to).
 *
 * Otherwise the access fails at once with BadPointerException naming the address, its type and
 * where it was allocated, instead of a lost object found much later (or never, when no
 * collection happened to run in the window).
 *
 * Each goroutine keeps its fresh set (G.fresh, a LongSet); every safepoint empties it
 * (Safepoint.poll and RuntimeInstance.safepoint, one field test when the check is off). A miss
 * looks at the goroutine's own root stack, then the globals, then traces the heap from every
 * root; an address found reachable joins the fresh set, so a window pays for one trace at most
 * per address. Allocation sites are recorded for every object (a stack trace per allocation):
 * the mode is for finding bugs, not for measuring.
 *
 * Implementation notes: the trace reads pointer slots while other goroutines run, so it can
 * miss an object that another goroutine is moving between two places at that instant, or be
 * stopped by a block freed under it; in both cases the check lets the access through rather
 * than report a false positive (a check that cries wolf is worse than one that is sometimes
 * silent).
 */

/**
 * The {@code --check-roots} mode of a heap: see the comment at the top of this file.
 */
public final class RootCheck {
    /** A goroutine's fresh addresses: a small open-addressing set of nonzero longs. */
    public static final class LongSet {
        private long[] table = new long[16];
        private int size;

        public void add(long v) {
            if (v == 0) {
                return;
            }
            if ((size + 1) * 2 > table.length) {
                grow();
            }
            int mask = table.length - 1;
            for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
                long t = table[i];
                if (t == v) {
                    return;
                }
                if (t == 0) {
                    table[i] = v;
                    size++;
                    return;
                }
            }
        }

        public boolean contains(long v) {
            int mask = table.length - 1;
            for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
                long t = table[i];
                if (t == v) {
                    return true;
                }
                if (t == 0) {
                    return false;
                }
            }
        }

        /** Empties the set; a table grown by a long walk shrinks back. */
        public void clear() {
            if (size == 0) {
                return;
            }
            if (table.length > 64) {
                table = new long[16];
            } else {
                Arrays.fill(table, 0);
            }
            size = 0;
        }

        private void grow() {
            long[] old = table;
            table = new long[old.length * 2];
            size = 0;
            for (long v : old) {
                if (v != 0) {
                    add(v);
                }
            }
        }

        private static int mix(long v) {
            long h = v * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }

    /** Where the check finds the current goroutine's fresh set and root stack. */
    public interface Goroutines {
        /** The calling goroutine's fresh set, or null off a goroutine. */
        LongSet freshOfCurrent();

        /** The calling goroutine's root stack, or null off a goroutine. */
        RootStack rootsOfCurrent();

        /** Calls {@code action} with every root address of the run: root stacks, globals, channel buffers. */
        void forEachRoot(LongConsumer action);
    }

    private final Goroutines goroutines;
    private final Map<Long, StackTraceElement> sites = new ConcurrentHashMap<>();
    private volatile ManagedHeap heap;

    public RootCheck(Goroutines goroutines) {
        this.goroutines = goroutines;
    }

    void attach(ManagedHeap heap) {
        this.heap = heap;
    }

    /** A new object: fresh for its goroutine; its allocation site is remembered. */
    void allocated(long addr) {
        LongSet f = goroutines.freshOfCurrent();
        if (f == null) {
            return;
        }
        f.add(addr);
        // Not a StackWalker: it checks that the walk stays on one thread, and goroutine code
        // compiled by C2 may read a stale carrier (see Current), so it would fail for no reason.
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (!isRuntime(e.getClassName())) {
                sites.put(addr, e);
                return;
            }
        }
        sites.remove(addr);
    }

    /** An address the calling goroutine just obtained (a load, a receive): fresh until its next safepoint. */
    public void obtained(long addr) {
        if (addr != 0) {
            LongSet f = goroutines.freshOfCurrent();
            if (f != null) {
                f.add(addr);
            }
        }
    }

    /** Fails with BadPointerException unless {@code obj} is fresh or rooted (see the file comment). */
    void check(long obj, String op) {
        LongSet fresh = goroutines.freshOfCurrent();
        if (fresh == null || fresh.contains(obj)) {
            return;
        }
        if (rootedHere(obj) || reachable(obj)) {
            fresh.add(obj);
            return;
        }
        throw new BadPointerException(obj, describe(obj, op));
    }

    private boolean rootedHere(long obj) {
        RootStack roots = goroutines.rootsOfCurrent();
        if (roots != null) {
            for (int i = roots.size() - 1; i >= 0; i--) {
                if (roots.get(i) == obj) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A trace from every root; true also when the trace could not finish (see the notes). */
    private boolean reachable(long obj) {
        ManagedHeap h = heap;
        if (h == null) {
            return true;
        }
        try {
            LongSet seen = new LongSet();
            ArrayDeque<Long> grey = new ArrayDeque<>();
            boolean[] found = new boolean[1];
            goroutines.forEachRoot(a -> {
                if (a == obj) {
                    found[0] = true;
                } else if (a != 0 && !seen.contains(a)) {
                    seen.add(a);
                    grey.add(a);
                }
            });
            while (!found[0] && !grey.isEmpty()) {
                long o = grey.poll();
                if (!h.looksLikeObject(o)) {
                    continue;
                }
                int n = h.pointerSlots(o);
                for (int i = 0; i < n; i++) {
                    long c = h.pointerAt(o, i);
                    if (c == obj) {
                        return true;
                    }
                    if (c != 0 && !seen.contains(c)) {
                        seen.add(c);
                        grey.add(c);
                    }
                }
            }
            return found[0];
        } catch (RuntimeException e) {
            return true; // a block freed or reused under the trace: no verdict, no false alarm
        }
    }

    private String describe(long obj, String op) {
        ManagedHeap h = heap;
        String type;
        try {
            type = h == null ? "?" : h.typeName(obj);
        } catch (RuntimeException e) {
            type = "?";
        }
        StackTraceElement site = sites.get(obj);
        String where = site == null ? "an unknown site"
                : site.getClassName() + "." + site.getMethodName() + "(" + site.getFileName() + ":" + site.getLineNumber() + ")";
        return String.format("runtime error: %s through 0x%x (%s, allocated at %s), which is neither rooted nor "
                + "allocated since the last safepoint: a collection may already have freed it; keep an address in a "
                + "Roots slot, a global or a reachable object before the next runtime call (--check-roots)",
                op, obj, type, where);
    }

    private static boolean isRuntime(String cls) {
        return cls.startsWith("org.gort.kernel.") || cls.startsWith("org.gort.api.");
    }
}
