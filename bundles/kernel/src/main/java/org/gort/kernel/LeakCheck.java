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
 * The collection frees the leaked goroutines for good, so the analysis takes their records
 * (state, stack, creation site) before. Freeing them changes nothing a program can see: nothing
 * can ever wake them. They stay counted in NumGoroutine, as Go keeps its leaked goroutines.
 *
 * When it runs:
 *  - at the end of a run whose main returned, once every M has exited (atEnd);
 *  - at main's return, when a goroutine is still running, runnable or in a syscall then (the
 *    concurrent prime sieve's last filter): at the end it would have been unwound, and what it
 *    held lost, so the analysis runs on main's goroutine before, with the world stopped, as
 *    Go's does (atMainReturn);
 *  - on request while the program runs (the shell's goroutines --leaked, a live leak profile):
 *    live, with the world stopped. The goroutines found are remembered, and the end of the run
 *    reports them with its own.
 * A live analysis (the last two) stops the world and replaces the scheduler by a fresh instance
 * holding the same runnable goroutines (SchedulerSwaps.recreate), so that no consumed run-queue
 * slot keeps a stale reference to a candidate; the runnable goroutines are roots through it. Running goroutines are mounted on their
 * Ms' stacks, stopped at a safepoint: roots too. It is skipped when the run did not end with
 * main returning or an M is stuck. It runs under every collector: the managed heap's collector
 * plays no part. With explicit GC disabled (-XX:+DisableExplicitGC) nothing is cleared and
 * nothing is reported.
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

    /**
     * The leaked goroutines of a program whose main returned; every M has exited. With those a
     * live analysis found before (they are gone from allgs now).
     */
    static List<Leak> atEnd(RuntimeInstance rt) {
        if (!rt.goroutines.mainReturned) {
            return List.of();
        }
        List<Leak> leaked = new ArrayList<>(rt.leaked);
        if (rt.leaksAnalysedAtMainReturn || rt.goroutines.aborted.get() > 0) {
            return leaked; // the analysis ran at main's return, before the unwinding
        }
        leaked.addAll(collect(rt, detach(rt, true)));
        return leaked;
    }

    /**
     * At main's return, on main's goroutine: when another goroutine is still running, runnable
     * or in a syscall (it will be unwound at the end), the analysis runs now, live.
     */
    static void atMainReturn(RuntimeInstance rt) {
        boolean unwinding = false;
        boolean candidate = false;
        G main = rt.goroutines.mainG;
        for (G g : rt.allgs.values()) {
            if (g == main || g.system) {
                continue;
            }
            GStatus st = g.status;
            unwinding |= st == GStatus.RUNNING || st == GStatus.RUNNABLE || st == GStatus.SYSCALL;
            candidate |= blockedOnConcurrency(g);
        }
        if (unwinding && candidate) {
            live(rt);
            rt.leaksAnalysedAtMainReturn = true;
        }
    }

    /**
     * The analysis on a running program, with the world stopped (from a goroutine or any
     * thread): returns every goroutine found leaked so far in this run.
     */
    static List<Leak> live(RuntimeInstance rt) {
        StwToken t = rt.world.stop("goroutine leak analysis");
        try {
            if (!rt.shuttingDown) {
                // A fresh scheduler first: the old one's consumed run-queue slots, and the old one
                // itself while recreate holds it, must be gone before the JVM's collection.
                rt.swaps.recreate(() -> { });
                rt.leaked.addAll(collect(rt, detach(rt, false)));
            }
        } finally {
            rt.world.start(t);
        }
        return List.copyOf(rt.leaked);
    }

    /** The JVM's collection decides: a candidate it freed is leaked, the others go back to allgs. */
    private static List<Leak> collect(RuntimeInstance rt, List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        rt.allgs.clearFreed(); // a dead G left in a freed slot may name a candidate's channel
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

    /**
     * Takes the candidates out of allgs, keeping only a weak reference and a record of each;
     * {@code atEnd}: the run is over, so its last references to goroutines go too.
     */
    private static List<Candidate> detach(RuntimeInstance rt, boolean atEnd) {
        List<Candidate> out = new ArrayList<>();
        for (G g : Traceback.listed(rt, Traceback.Level.SYSTEM)) {
            if (!blockedOnConcurrency(g)) {
                // A goroutine not waiting on a channel is not using its sudog, which still names
                // the last channel it waited on (Go's releaseSudog clears it): forget that channel.
                Sudog s = g.plainSudog;
                // (Live, a runnable G's sudog may still carry the value it was woken with.)
                if (atEnd && s != null && g.status != GStatus.WAITING) {
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
        if (!atEnd) {
            return out;
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

    /** The report line, then each leaked goroutine in Go's traceback shape (for the shell's goroutines --leaked). */
    static String describe(List<Leak> leaks) {
        if (leaks.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(report(leaks)).append('\n');
        for (Leak l : leaks) {
            sb.append("\ngoroutine ").append(l.id()).append(" [").append(l.state()).append(" (leaked)]:\n");
            for (StackTraceElement e : l.frames()) {
                Traceback.appendFrame(sb, e);
            }
            StackTraceElement site = l.createdAt();
            if (site != null && l.parentGoid() != 0) {
                sb.append("created by ").append(site.getClassName()).append('.').append(site.getMethodName())
                        .append(" in goroutine ").append(l.parentGoid()).append("\n\t").append(Traceback.location(site)).append('\n');
            }
        }
        return sb.toString();
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

