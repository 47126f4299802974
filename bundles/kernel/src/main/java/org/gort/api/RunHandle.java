package org.gort.api;

import java.time.Duration;

/**
 * A program started with {@link Runtime#start}: wait for it, look at it, swap its scheduler
 * while it runs, or stop it. Hot swap follows gort's rules: a scheduler at any time (at a
 * stop-the-world safepoint), a collector between cycles, an allocator only for the next run.
 */
public interface RunHandle {
    /** Waits for the program to end and returns its result; stops it after {@code timeout}. */
    RunResult await(Duration timeout);

    /** True once the program has ended. */
    boolean isDone();

    /**
     * Runs {@code action} once, when the program ends: on the thread that ends it, or at once on
     * this thread if it has ended already. Keep it short and non-blocking (wake a thread that
     * waits for the end); what it throws is ignored.
     */
    void whenDone(Runnable action);

    /** Stops the program; {@link #await} then returns a STOPPED result. */
    void stop(String why);

    /** The configuration the program was started with. */
    RuntimeConfig config();

    /** The names of the strategies in use now, by kind ("scheduler", "allocator", "collector", "pacer"). */
    java.util.Map<String, String> activeStrategies();

    /**
     * Replaces the scheduler now: stop the world, drain the old one, start the new one on the
     * same Ps, re-queue every runnable goroutine, restart. Returns the pause in nanoseconds.
     */
    long swapScheduler(String name, String why);

    /**
     * Replaces the collector from the next GC cycle; a cycle in progress completes under the
     * collector that began it.
     */
    void swapCollector(String name, String why);

    /**
     * Replaces the pacer from the next GC cycle (since 1.21); the cycle in progress finishes at
     * the goal its pacer set.
     */
    default void swapPacer(String name, String why) {
        throw new UnsupportedOperationException("this run cannot change its pacer");
    }

    /**
     * Every scheduler and collector change that has taken effect so far, in order: swaps and
     * the kernel's ejections (see {@link StrategyChange}). The finished run's list is
     * {@link RunResult#changes()}.
     */
    default java.util.List<StrategyChange> strategyChanges() {
        return java.util.List.of();
    }

    /** Forces a GC cycle ({@code runtime.GC()}) from outside the program; returns when it is done. */
    void gc();

    /** A {@code schedtrace}-style line plus the collector's state. */
    String status();

    /**
     * Writes the execution trace recorded so far to {@code file}, while the program runs on (Go's
     * {@code FlightRecorder.WriteTo}): the events of a run started with a trace file
     * ({@link RuntimeConfig.Builder#traceEvents}), the last ones if it keeps the last
     * ({@link RuntimeConfig.Builder#traceKeepLast}). The buffers are copied in a short
     * stop-the-world ("trace snapshot", in the metrics like any other stop). Returns how many
     * events were written and dropped; throws {@link IllegalStateException} with a one-line
     * message when the run records no trace, has ended, or the file cannot be written.
     */
    /**
     * {@code runtime.GOMAXPROCS(n)} on the running program, from outside it: sets the number of
     * Ps (capped at the run's maximum) with the world stopped; returns the previous setting.
     */
    default int gomaxprocs(int n) {
        throw new UnsupportedOperationException("this run cannot change GOMAXPROCS while it runs");
    }

    /**
     * Changes a run property while the program runs. Strategies read their {@linkplain
     * Setting#live live} settings through the run's current properties, so they see the new
     * value from their next read; a setting read only when the run starts keeps its value. The
     * caller checks the value ({@code value} is in the setting's unit).
     *
     * @return the value the key had, or null if it was not set (its default applied)
     */
    default String setProperty(String key, String value) {
        throw new UnsupportedOperationException("this run cannot change its settings while it runs");
    }

    default String writeTrace(java.nio.file.Path file) {
        throw new UnsupportedOperationException("this run cannot write its trace while it runs");
    }

    /**
     * Every goroutine's traceback now, in Go's shape (Go's SIGQUIT dump), taken in a short
     * stop-the-world; grouped by identical stack with counts when there are more than 10, as
     * {@code pprof -debug=1} groups them.
     */
    default String goroutines() {
        throw new UnsupportedOperationException("this run cannot list its goroutines");
    }

    /**
     * Go 1.26's goroutine leak analysis on the running program, now, with the world stopped:
     * the goroutines blocked on a channel or sync object that nothing live can reach (see
     * docs/collectors.md). Returns the one-line summary the end of a run prints, then each
     * leaked goroutine found so far in Go's traceback shape; empty when none.
     */
    default String leakedGoroutines() {
        throw new UnsupportedOperationException("this run cannot analyse its goroutines for leaks");
    }

    /**
     * Writes a pprof profile of the running program to {@code file}, as Go's
     * {@code /debug/pprof} endpoints serve one: {@code cpu} (sampled for {@code duration},
     * 30 s when null), {@code heap}, {@code block}, {@code mutex} (what was recorded so far; a
     * kind the run was not recording starts now and is recorded for {@code duration}, 10 s when
     * null, then stays on), {@code goroutine} (now) or {@code leak} (a leak analysis now).
     * Returns a one-line summary; throws {@link IllegalArgumentException} for an unknown kind and
     * {@link IllegalStateException} with a one-line message when the run has ended or the file
     * cannot be written.
     */
    default String writeProfile(String kind, java.nio.file.Path file, Duration duration) {
        throw new UnsupportedOperationException("this run cannot write profiles while it runs");
    }

    /** {@code runtime.ReadMemStats} of the running program, with Go's field names. */
    default GoMemStats memStats() {
        throw new UnsupportedOperationException("this run cannot list its goroutines");
    }

    /**
     * A look at the program now: heap in use and goal, goroutines and Ps by state (see
     * {@link RunSample}). Reads counters and walks the goroutines once; nothing is recorded
     * while no one asks, so a run that is never sampled pays nothing. Callers poll it from their
     * own thread (the lab's timeline sampler).
     */
    default RunSample sample() {
        throw new UnsupportedOperationException("this run cannot be sampled");
    }

    /**
     * The GC cycles completed after cycle {@code after}, oldest first, with their phase times
     * (the collector keeps the last 1024; poll more often than that many cycles).
     */
    default java.util.List<GcCycle> gcCycles(long after) {
        return java.util.List.of();
    }
}
