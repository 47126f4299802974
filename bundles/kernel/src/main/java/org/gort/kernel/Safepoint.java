package org.gort.kernel;

/**
 * The safepoint poll every runtime call makes (Go's function-prologue preemption check plus
 * the stop-the-world check). A no-op when called from a thread that is not running a goroutine.
 */
public final class Safepoint {
    private Safepoint() {
    }

    public static void poll() {
        G g = Current.gOrNull();
        if (g != null) {
            poll(g);
        }
    }

    /**
     * The poll for {@code g}, the calling goroutine (so no lookup), then the P it runs on
     * afterwards: the poll may have parked it and resumed it on another P, and a per-P cache
     * must only be used by the M holding that P. With a null {@code g} (a caller that is not a
     * goroutine, or does not know), the lookup decides, and off a goroutine
     * {@code callersProcId} stands.
     */
    public static int pollThenProc(org.gort.spi.sched.Goroutine g, int callersProcId) {
        G cur = g instanceof G known ? known : Current.gOrNull();
        if (cur == null) {
            return callersProcId;
        }
        poll(cur);
        return cur.m.p.id;
    }

    /** The poll for {@code g}, the calling goroutine, found already (no lookup). */
    public static void poll(G g) {
        org.gort.kernel.heap.RootCheck.LongSet fresh = g.fresh;
        if (fresh != null) {
            fresh.clear(); // --check-roots: what this goroutine obtained is valid up to here
        }
        if (g.preempt || g.selfScan != null || g.rt.gcwaiting || g.rt.shuttingDown) {
            g.rt.safepoint(g);
        }
    }
}
