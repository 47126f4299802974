package org.gort.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.FatalError;
import org.gort.api.GoPanic;
import org.gort.api.RunStatus;
import org.gort.spi.sched.ReadyReason;

/*
 * Goroutine creation and exit (Go's newproc, newproc1, goexit0).
 *
 * newproc makes a G, enters it in allgs (the collector's stack roots are indexed by slot, not
 * walked), counts it unless it is runtime-internal, and readies it with reason NEW. Its
 * coroutine runs goroutineBody: the user function, then goexit. An uncaught throwable ends the
 * whole run in Go's words (panic: ..., fatal error: ...) with the goroutine's stack, at most
 * 100 frames of it as Go prints (then "...additional frames elided..."); a StackOverflowError
 * is Go's "fatal error: stack overflow". An AbortSignal (the run is shutting down) unwinds
 * without a report. gexit marks the G dead and
 * removes it from allgs; when main returns, the program ends with status OK.
 *
 * Invariants.
 *  - mainG is set before main's ready(): an M it wakes may run main to its end before newproc
 *    returns.
 *  - nUserG counts live goroutines that are not runtime-internal (runtime.NumGoroutine); the
 *    deadlock check and the run's metrics read it.
 */
final class Goroutines {
    private final RuntimeInstance rt;
    private final AtomicLong goidgen = new AtomicLong();
    /** Goroutines that are not runtime-internal ({@code runtime.NumGoroutine}). */
    final AtomicInteger nUserG = new AtomicInteger();
    /** The most user goroutines alive at once ({@code run.goroutines.peak}); raised by CAS only when passed. */
    final AtomicInteger peakUserG = new AtomicInteger();
    volatile G mainG;
    /** True once main returned normally (not by os.Exit, a panic or a stop). */
    volatile boolean mainReturned;
    /** Goroutines unwound because the run ended while they ran (the leak analysis is then skipped). */
    final AtomicInteger aborted = new AtomicInteger();

    Goroutines(RuntimeInstance rt) {
        this.rt = rt;
    }

    /** {@code newproc}: create a G running {@code fn} and make it runnable. */
    G newproc(Runnable fn, M m, P p, boolean system) {
        return newproc(fn, m, p, system, null);
    }

    /** {@link #newproc(Runnable, M, P, boolean)} by {@code creator}'s go statement (null: none), recorded for tracebacks. */
    G newproc(Runnable fn, M m, P p, boolean system, G creator) {
        G g = new G(goidgen.incrementAndGet(), rt, fn, system);
        if (creator != null) {
            g.parentGoid = creator.id;
            g.createdAt = Traceback.creationSite(fn);
        }
        g.trackingSeq = (int) (g.id * 0x9E3779B97F4A7C15L >>> 61); // newproc1: a random start (cheaprand)
        if (mainG == null && !system) {
            mainG = g; // before ready(): an M it wakes may run main to its end before we return
        }
        rt.allgs.add(g, p != null ? p.gfree : null); // p is the caller's own P, or null
        if (!system) {
            int alive = nUserG.incrementAndGet();
            for (int peak = peakUserG.get(); alive > peak && !peakUserG.compareAndSet(peak, alive); peak = peakUserG.get()) {
                // another creator raised it first; retry only while ours is still the higher
            }
        }
        if (m != null) {
            m.created++;
        } else {
            rt.counters.created.increment();
        }
        // A new G counts as having been on its creator's M: running it elsewhere is the
        // hand-off the 2012 design doc calls poor locality, and sched.migrations counts it.
        g.lastM = m;
        if (!system) {
            rt.gcHooks.goroutineCreated(g);
        }
        rt.mloop.ready(g, ReadyReason.NEW, m, p);
        return g;
    }

    /** The body every goroutine's coroutine runs: the user function, then {@code goexit}. */
    void body(G g, Runnable fn) {
        g.started = true;
        try {
            fn.run();
            if (g == mainG && !g.goexited && !rt.shuttingDown) {
                LeakCheck.atMainReturn(rt); // before the end unwinds goroutines still running
            }
        } catch (RuntimeInstance.AbortSignal abort) {
            if (!g.system) {
                aborted.incrementAndGet();
            }
            g.yield = G.Yield.ABORT;
            return;
        } catch (RuntimeInstance.GoexitSignal exit) {
            // runtime.Goexit: the finally blocks have run on the way here; the goroutine ends
            // as if its function had returned (for main, without ending the program).
        } catch (Throwable t) {
            reportFailure(g, t);
        }
        rt.gcHooks.goroutineExiting(g);
        g.yield = G.Yield.EXIT;
    }

    /** Kernel classes whose frames a goroutine's panic report leaves out. */
    private static final String[] KERNEL_FRAMES = {"jdk.internal.vm.", "org.gort.kernel.RuntimeInstance",
        "org.gort.kernel.Goroutines", "org.gort.kernel.MLoop", "org.gort.kernel.Syscalls", "org.gort.kernel.Coroutine", "org.gort.kernel.G$"};

    /** Go's {@code _TracebackMaxFrames}: a goroutine's traceback shows at most this many frames. */
    static final int TRACEBACK_MAX_FRAMES = 100;

    private void reportFailure(G g, Throwable t) {
        RunStatus status;
        String headline;
        if (t instanceof OutOfMemoryError oom) {
            rt.finish(RunStatus.OUT_OF_MEMORY, LowMemory.outOfMemory(oom)); // no stack: building one needs memory
            return;
        } else if (t instanceof StackOverflowError) {
            // Go's newstack: "runtime: goroutine stack exceeds 1000000000-byte limit", then throw.
            // A goroutine here runs on its M's thread stack, whose size is the JVM's -Xss.
            status = RunStatus.FATAL;
            headline = "runtime: goroutine stack exceeds the " + g.m + " thread's stack limit (the JVM's -Xss, "
                    + "e.g. GORT_JAVA_OPTS=-Xss8m)\nfatal error: stack overflow";
        } else if (t instanceof GoPanic p) {
            status = RunStatus.PANIC;
            headline = "panic: " + p.getMessage();
        } else if (t instanceof FatalError f) {
            status = RunStatus.FATAL;
            headline = "fatal error: " + f.getMessage();
        } else if (t instanceof org.gort.api.HeapExhaustedException) {
            status = RunStatus.OUT_OF_MEMORY;
            headline = "fatal error: " + t.getMessage();
        } else {
            status = RunStatus.PANIC;
            headline = "panic: " + t;
        }
        StringBuilder sb = new StringBuilder(headline);
        if (Traceback.Level.of(rt.config().traceback()) == Traceback.Level.NONE) {
            rt.finish(status, headline);
            return;
        }
        sb.append("\n\ngoroutine ").append(g.id).append(" [running]:\n");
        int shown = 0;
        StackTraceElement[] trace = t.getStackTrace();
        frames:
        for (StackTraceElement e : trace) {
            String cls = e.getClassName();
            for (String k : KERNEL_FRAMES) {
                if (cls.startsWith(k)) {
                    continue frames;
                }
            }
            if (shown == TRACEBACK_MAX_FRAMES) {
                sb.append("...additional frames elided...\n");
                break;
            }
            shown++;
            sb.append(cls).append('.').append(e.getMethodName()).append("()\n\t")
                    .append(e.getFileName()).append(':').append(e.getLineNumber()).append('\n');
        }
        Traceback.appendCreatedBy(sb, g);
        rt.finish(status, sb.toString().stripTrailing());
    }

    /** {@code goexit0}: {@code g} has returned or unwound on the M holding {@code p} (or no P); it is dead. */
    void gexit(G g, P p) {
        g.status = GStatus.DEAD;
        g.roots.clear();
        rt.allgs.remove(g, p != null ? p.gfree : null);
        if (!g.system) {
            nUserG.decrementAndGet();
        }
        if (g == mainG && g.yield == G.Yield.EXIT && !g.goexited) {
            mainReturned = true; // before finish: the leak analysis runs only after main returned (not after os.Exit)
            rt.finish(RunStatus.OK, "");
        } else if (mainG != null && mainG.goexited && !g.system && nUserG.get() == 0) {
            // checkdead with no goroutine left at all: main called Goexit and the rest ended.
            rt.finish(RunStatus.DEADLOCK, "fatal error: no goroutines (main called runtime.Goexit) - deadlock!");
        }
    }
}
