package org.gort.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.gort.spi.sched.Scheduler;

/** Go's {@code schedtrace} and {@code scheddetail} lines (GODEBUG=schedtrace=X,scheddetail=1), in Go's format. */
final class SchedTrace {
    private SchedTrace() {
    }

    /** {@code schedtrace}'s line (and with {@code detail}, {@code scheddetail}'s lines). */
    static String format(RuntimeInstance rt, boolean detail) {
        long ms = (System.nanoTime() - rt.startNanos) / 1_000_000;
        Scheduler s = rt.sched;
        int idleThreads = 0;
        int idleLocked = 0;
        for (M m : rt.allm) {
            if (m.idle) {
                idleThreads++;
            }
            if (m.lockedWaiting) {
                idleLocked++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("SCHED ").append(ms).append("ms: gomaxprocs=").append(rt.gomaxprocs)
                .append(" idleprocs=").append(rt.npidle)
                .append(" threads=").append(rt.mloop.mcount() + 2) // + sysmon + timer thread
                .append(" spinningthreads=").append(rt.nmspinning.get())
                .append(" idlethreads=").append(idleThreads)
                .append(" runqueue=").append(queueLength(rt, s, null));
        if (detail) {
            sb.append(" gcwaiting=").append(rt.gcwaiting ? 1 : 0)
                    .append(" nmidlelocked=").append(idleLocked).append(" stopwait=").append(rt.gcwaiting ? rt.world.stopwait : 0)
                    .append(" sysmonwait=0");
            for (P p : rt.allp) {
                M m = p.m;
                sb.append("\n  P").append(p.id).append(": status=").append(p.status().code())
                        .append(" schedtick=").append(p.schedtick).append(" syscalltick=").append(p.syscalltick)
                        .append(" m=").append(m == null ? -1 : m.id).append(" runqsize=").append(queueLength(rt, s, p))
                        .append(" gfreecnt=0");
            }
            for (M m : rt.allm) {
                if (m.exited) {
                    continue; // freed (Go's freem): no longer in allm
                }
                P p = m.p;
                G lg = m.lockedg;
                G g = m.curg;
                sb.append("\n  M").append(m.id).append(": p=").append(p == null ? -1 : p.id)
                        .append(" curg=").append(g == null ? -1 : g.id)
                        .append(" mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=").append(m.spinning)
                        .append(" blocked=").append(m.idle || m.lockedWaiting)
                        .append(" lockedg=").append(lg == null ? -1 : lg.id);
            }
            List<G> gs = new ArrayList<>(rt.allgs.values());
            gs.sort(Comparator.comparingLong(g -> g.id));
            for (G g : gs) {
                M m = g.m;
                M lm = g.lockedm;
                sb.append("\n  G").append(g.id).append(": status=").append(g.status.code)
                        .append('(').append(g.waitReason).append(") m=").append(m == null ? -1 : m.id)
                        .append(" lockedm=").append(lm == null ? -1 : lm.id);
            }
        } else {
            sb.append(" [");
            for (int i = 0; i < rt.allp.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(queueLength(rt, s, rt.allp[i]));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    /**
     * The scheduler's global queue length ({@code p} null) or {@code p}'s local one; 0 if it
     * throws (the strategy is ejected).
     */
    private static int queueLength(RuntimeInstance rt, Scheduler s, P p) {
        try {
            return p == null ? s.globalQueueLength() : s.localQueueLength(p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, p == null ? "globalQueueLength" : "localQueueLength", e);
            return 0;
        }
    }
}
