package org.gort.kernel;

/**
 * Where the calling goroutine finds its G, M, P and runtime instance. Goroutines only ever run
 * on kernel M threads ({@link MThread}), so "current" is a field read on the carrier thread,
 * the JVM analogue of Go's {@code getg()}.
 */
public final class Current {
    private Current() {
    }

    /** The M of the calling thread, or null when not called from a gort M. */
    public static M m() {
        return Thread.currentThread() instanceof MThread t ? t.m : null;
    }

    /** The running G; throws a clear error when called outside a goroutine. */
    public static G g() {
        M m = m();
        G g = m == null ? null : m.curg;
        if (g == null) {
            throw new IllegalStateException("not on a goroutine: call this from code started by Runtime.run or Go.go");
        }
        return g;
    }

    /** The id of the P the calling goroutine runs on. */
    public static int procId() {
        return g().m.p.id;
    }

    /** The runtime instance the calling goroutine belongs to. */
    public static RuntimeInstance runtime() {
        return g().rt;
    }
}
