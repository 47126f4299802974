package org.gort.spi.gc;

import java.util.function.Consumer;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.gort.spi.sched.Goroutine;

/**
 * The kernel mechanism the collector toolkit runs on: the heap, stop-the-world, system
 * goroutines, goroutine stacks, parking, and the run's trace output. Implemented by the kernel
 * for each runtime instance; a collector policy never sees it, only the toolkit does.
 */
public interface GcRuntime {

    HeapView heap();

    int gomaxprocs();

    /**
     * The most Ps the run can have (GOMAXPROCS may change while it runs, up to this): what
     * per-P state is sized by. Defaults to {@link #gomaxprocs()}.
     */
    default int maxprocs() {
        return gomaxprocs();
    }

    /** GOGC, a percentage, or -1 for {@code GOGC=off}. */
    int gogc();

    /** GOMEMLIMIT in bytes, {@link Long#MAX_VALUE} for none. */
    default long memoryLimit() {
        return Long.MAX_VALUE;
    }

    /** {@code GODEBUG=gccheckmark=1}. */
    boolean gccheckmark();

    /** {@code GODEBUG=gcstoptheworld}: 0 (off), 1 (mark with the world stopped) or 2 (sweep too). */
    int gcstoptheworld();

    /** {@code GODEBUG=gctrace=1}. */
    boolean gctrace();

    /** A run property ({@code RuntimeConfig.properties()}), or {@code def}. */
    String property(String key, String def);

    /** When the program started ({@link System#nanoTime()}), for gctrace's {@code @#s}. */
    long startNanos();

    /** The id of the P the calling thread holds (a goroutine's, or an M marking on an idle P), or -1. */
    int currentProc();

    /** The calling goroutine, or null on a thread that runs none. */
    Goroutine currentGoroutine();

    // ---------------------------------------------------------------- the world

    /** Timings of one stop-the-world. */
    record StopToken(Object kernelToken, long requestedNanos, long stoppedNanos) {
        public long timeToSafepointNanos() {
            return stoppedNanos - requestedNanos;
        }
    }

    /** Stops every P (the caller's first); returns when they are all stopped. */
    StopToken stopTheWorld(String reason);

    /** Restarts the world; returns the pause in nanoseconds, time-to-safepoint included. */
    long startTheWorld(StopToken token);

    // ---------------------------------------------------------------- goroutines

    /**
     * Starts a runtime-internal goroutine (a mark worker, a sweeper, the cycle's coordinator):
     * it competes for Ps like any goroutine but is not counted by NumGoroutine nor reported in
     * a deadlock. Safe from an allocation hook: it readies a goroutine and never parks.
     */
    void startSystemGoroutine(Runnable body);

    /** A safepoint poll on the calling goroutine (it may stop here for a stop-the-world). */
    void checkpoint();

    /**
     * A stop-the-world is in progress (Go's {@code sched.gcwaiting}, which makes every running
     * goroutine's {@code gp.preempt} true): a drainer should get to a safepoint, or, inside an
     * allocation, return to one, before its next unit of work. Cheap: one volatile read.
     */
    boolean stopRequested();

    /** {@code runtime.Gosched()} on the calling goroutine. */
    void gosched();

    /** Parks the calling goroutine for {@code nanos} (a timer, as {@code time.Sleep}). */
    void sleep(long nanos);

    /** True if some goroutine is waiting for a P. */
    boolean hasRunnableGoroutines();

    /** Asks the calling goroutine to yield its P at its next safepoint (so a readied GC goroutine runs). */
    void preemptCurrent();

    /**
     * Calls {@code action} with every live goroutine, system ones included: O(goroutines), so
     * for the phases that read every stack by design (a re-scan, a snapshot, gccheckmark).
     */
    void forEachGoroutine(Consumer<Goroutine> action);

    /**
     * Go's {@code allglen}, in O(1): every live goroutine is in a slot below this number, and
     * keeps its slot from its creation until it dies (a later goroutine may then reuse it).
     */
    int goroutineSlots();

    /** Go's {@code allgs[i]}: the goroutine in slot {@code i} now, or null if the slot is free. */
    Goroutine goroutineAt(int i);

    /**
     * Goroutines and slots handed to the collector so far (by {@link #forEachGoroutine} and
     * {@link #goroutineAt}): a pause's difference shows whether it is O(goroutines).
     */
    long goroutinesVisited();

    /**
     * Scans {@code g}'s root stack now if {@code g} is not running (Go's {@code _Gscan}
     * hand-shake: {@code g} cannot resume meanwhile) or is the caller; false if it is running.
     */
    boolean tryScanStack(Goroutine g, Consumer<RootSet> scan);

    /** Asks a running {@code g} to run {@code scan} on its own stack at its next safepoint. */
    void requestSelfScan(Goroutine g, Consumer<RootSet> scan);

    /**
     * True once {@code g}'s body has begun. Before that, the heap addresses its creator handed it
     * are only in the body's captured variables, where no scan sees them (Go copies a new
     * goroutine's arguments onto its stack); by its first safepoint the rooting contract has
     * them in its root slots. Stable while {@code g}'s stack is held by a scan.
     */
    boolean started(Goroutine g);

    /**
     * {@code g}'s assist balance in {@code cycle}, in units of scan work: what it owes, or when
     * negative the credit an over-assist left it (Go's {@code gp.gcAssistBytes}, negated and in
     * work rather than bytes); 0 in a cycle it has not allocated in. Read and written only by
     * {@code g} itself, on every allocation while marking.
     */
    long assistDebt(Goroutine g, long cycle);

    /** Sets what {@link #assistDebt} returns for {@code g} in {@code cycle}. */
    void setAssistDebt(Goroutine g, long cycle, long debt);

    /** Records that {@code g}'s stack was scanned in {@code cycle} (its per-cycle stack colour). */
    void setStackScannedCycle(Goroutine g, long cycle);

    /** The cycle in which {@code g}'s stack was last scanned (black in that cycle), 0 if never. */
    long stackScannedCycle(Goroutine g);

    /** A one-shot wake-up: Go's {@code note}. */
    interface Note {
        /** Parks the calling goroutine (or blocks the calling thread) until {@link #wakeup()}; returns at once if it already happened. */
        void sleep();

        /** Safe from any thread and from an allocation hook: never parks, never polls. */
        void wakeup();
    }

    Note newNote();

    /**
     * A note whose sleeper, if a goroutine, waits with Go's {@code waitReason} (shown in its
     * traceback: {@code "GC assist wait"}, {@code "GC worker (idle)"}, {@code "wait for GC
     * cycle"}, {@code "semacquire"}). A goroutine waiting on a collector's note is not blocked
     * on a concurrency object of the program, so the goroutine-leak analysis never counts it.
     * The default ignores the reason.
     *
     * @since 1.13
     */
    default Note newNote(String waitReason) {
        return newNote();
    }

    // ---------------------------------------------------------------- the run

    /** Writes a trace line ({@code gctrace}) to the run's trace sink. */
    void trace(String line);

    /** Ends the run with {@code fatal error: <message>} (status FATAL). */
    void fatal(String message);

    /** True once the run is ending: GC goroutines stop as soon as they see it. */
    boolean shuttingDown();

    // ---------------------------------------------------------------- the execution trace

    /**
     * For the run's execution trace ({@code RuntimeConfig.traceEvents}): cycle {@code cycle}
     * enters {@code phase}, which ends the phase before it; null when the cycle's coordinator
     * is done (a stop-the-world phase ends there, a concurrent sweep goes on). Cheap when the
     * trace is off.
     */
    default void tracePhase(long cycle, Phase phase) {
    }

    /** For the execution trace: the background sweep of {@code cycle} has finished. */
    default void traceSweepDone(long cycle) {
    }

    /**
     * The collector changes from {@code from} to {@code to}, from the next cycle on: the kernel
     * lists the change in the run's result ({@code RunResult.changes}) and in the execution trace.
     */
    default void traceCollectorSwap(String from, String to, String why) {
    }

    /**
     * The pacer changes from {@code from} to {@code to}, from the next cycle on (since 1.12):
     * listed like a collector change.
     */
    default void tracePacerSwap(String from, String to, String why) {
    }

    /**
     * Go's {@code clearpools}: empties every {@code sync.Pool} into its victim cache. The
     * toolkit calls it as each cycle starts, with the world stopped.
     */
    default void clearPools() {
    }
}
