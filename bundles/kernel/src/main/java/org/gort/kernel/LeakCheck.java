package org.gort.kernel;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * The goroutine-leak analysis (Go 1.26's goroutine leak profile, proposal 74609), run when a
 * program's main has returned.
 *
 * Go's rule: a goroutine blocked on a concurrency object (a channel, a sync primitive) that no
 * runnable goroutine and no global can reach will never be woken: it is leaked. Go finds them
 * with a GC cycle whose roots leave out the blocked goroutines' stacks; a blocked goroutine
 * whose object gets marked becomes a root in turn, until nothing changes.
 *
 * gort's channels and sync objects are Java objects on the JVM heap, and so are goroutine stacks
 * (suspended continuations); the program's managed heap holds only words, so managed data can
 * never refer to a channel. Reachability is therefore the JVM's, and the JVM's collector
 * decides it: the candidates (user goroutines parked on a channel, a select or a sync
 * primitive) are taken out of allgs, the only runtime table that holds them, so that what
 * still refers to a candidate is the wait queue of the object it is blocked on (sudog -> G ->
 * continuation). The ended run's scheduler is replaced by a fresh one, since its run queues keep
 * stale references to goroutines they once held. Then a full JVM collection runs. A candidate whose object is reachable from a
 * root (a static field, a goroutine that is not a candidate, a runnable one, a sleeping one) is
 * kept alive through that queue, and its stack keeps alive what it refers to in turn: Go's fixed
 * point, computed by the JVM's marking. A candidate that only other candidates refer to is
 * collected: a weak reference to it is cleared, and it is reported leaked.
 *
 * The collection frees the leaked goroutines for good, so the analysis runs only when the
 * program has ended (its goroutines are discarded anyway) and takes their records (state,
 * stack, creation site) before. It is skipped when a goroutine was unwound at the end (it was
 * running when main returned, so what it held is gone and a leak could be wrong), when an M is
 * stuck, and when the run did not end with main returning. It runs under every collector: the
 * managed heap's collector plays no part. With explicit GC disabled (-XX:+DisableExplicitGC)
 * nothing is cleared and nothing is reported.
 */
final class LeakCheck {
    /** One leaked goroutine, as recorded before the analysis. */
    record Leak(long id, String state, List<StackTraceElement> frames, StackTraceElement createdAt, long parentGoid) {
    }

    private record Candidate(WeakReference<G> ref, Leak record) {
    }

    private LeakCheck() {
    }

    /** True for the waits Go's analysis considers: on a channel, a select, or a sync primitive. */
    static boolean blockedOnConcurrency(G g) {
        if (g.system || g.status != GStatus.WAITING) {
            return false;
        }
        String r = g.waitReason;
        return r.startsWith("chan ") || r.startsWith("select") || r.startsWith("sync.");
    }

    /** The leaked goroutines of a program whose main returned; every M has exited. */
    static List<Leak> atEnd(RuntimeInstance rt) {
        if (!rt.goroutines.mainReturned || rt.goroutines.aborted.get() > 0) {
            return List.of();
        }
        List<Candidate> candidates = detach(rt);
        if (candidates.isEmpty()) {
            return List.of();
        }
        System.gc(); // clears the weak reference of every candidate only candidates can reach
        List<Leak> leaked = new ArrayList<>();
        for (Candidate c : candidates) {
            G g = c.ref.get();
            if (g == null) {
                leaked.add(c.record);
            } else {
                rt.allgs.add(g); // reachable: back in allgs, as it was
            }
        }
        return leaked;
    }

    /** Takes the candidates out of allgs, keeping only a weak reference and a record of each. */
    private static List<Candidate> detach(RuntimeInstance rt) {
        List<Candidate> out = new ArrayList<>();
        for (G g : Traceback.listed(rt, Traceback.Level.SYSTEM)) {
            if (!blockedOnConcurrency(g)) {
                // A goroutine not waiting on a channel is not using its sudog, which still names
                // the last channel it waited on (Go's releaseSudog clears it): forget that channel.
                Sudog s = g.plainSudog;
                if (s != null && g.status != GStatus.WAITING) {
                    s.c = null;
                    s.elem = null;
                }
                continue;
            }
            List<StackTraceElement> frames = Traceback.frames(g, false);
            out.add(new Candidate(new WeakReference<>(g),
                    new Leak(g.id, Traceback.state(g), frames == null ? List.of() : frames, g.createdAt, g.parentGoid)));
            rt.allgs.remove(g);
            if (rt.goroutines.mainG == g) {
                rt.goroutines.mainG = null;
            }
        }
        G main = rt.goroutines.mainG;
        if (main != null && main.status == GStatus.DEAD) {
            rt.goroutines.mainG = null; // main returned: its G (and its last sudog) is history
        }
        for (M m : rt.allm) { // exited Ms: drop their last goroutine
            m.curg = null;
            m.syscallG = null;
        }
        // A run queue keeps a consumed slot's reference until it is overwritten (as Go's does),
        // so the ended run's scheduler is replaced by an empty one of the same strategy.
        rt.sched = rt.schedStrategy.create(rt.ctx);
        return out;
    }

    /**
     * The end-of-run report, one line: {@code leaked: 3 goroutines blocked on chan receive,
     * created at Leak.java:12}, groups joined by "; "; empty when nothing leaked.
     */
    static String report(List<Leak> leaks) {
        if (leaks.isEmpty()) {
            return "";
        }
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (Leak l : leaks) {
            String site = l.createdAt() == null ? "an unknown site" : Traceback.location(l.createdAt());
            groups.merge(l.state() + ", created at " + site, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder("leaked: ");
        String sep = "";
        for (Map.Entry<String, Integer> e : groups.entrySet()) {
            sb.append(sep).append(e.getValue()).append(e.getValue() == 1 ? " goroutine" : " goroutines")
                    .append(" blocked on ").append(e.getKey());
            sep = "; ";
        }
        return sb.toString();
    }
}
