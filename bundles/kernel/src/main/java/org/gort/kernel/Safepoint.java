package org.gort.kernel;

/**
 * The safepoint poll every runtime call makes (Go's function-prologue preemption check plus
 * the stop-the-world check). A no-op when called from a thread that is not running a goroutine.
 */
public final class Safepoint {
    private Safepoint() {
    }

    public static void poll() {
        M m = Current.m();
        if (m != null) {
            G g = m.curg;
            if (g != null && (g.preempt || g.selfScan != null || g.rt.gcwaiting || g.rt.shuttingDown)) {
                g.rt.safepoint(g);
            }
        }
    }
}
