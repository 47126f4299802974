package org.gort.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.gort.kernel.Kernel;

/**
 * Runs a Go program: a fresh runtime instance (its own Ps, Ms, heap and strategies) runs
 * {@code main} as goroutine 1 and ends when it returns, as a Go program does. Many instances
 * may run one after another in one JVM; each releases its threads and memory when it ends.
 */
public final class Runtime {
    /** How long a run may take before it is stopped, unless the caller says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private Runtime() {
    }

    public static RunResult run(RuntimeConfig config, Runnable main) {
        return run(config, StrategyCatalog.serviceLoader(), main, DEFAULT_TIMEOUT);
    }

    public static RunResult run(RuntimeConfig config, StrategyCatalog catalog, Runnable main, Duration timeout) {
        return Kernel.run(config, catalog, main, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The threads of runs that have ended but could not be stopped, still running: an M whose
     * goroutine spins in a loop with no safepoint outlives its run (preemption is cooperative,
     * and the JVM cannot stop a thread from outside), and keeps a core busy until the goroutine
     * reaches a safepoint or the JVM exits. Each is described in one phrase, e.g.
     * {@code thread gort-3-M0: M0 of run 3, goroutine 1 in a loop with no safepoint}; the list
     * is empty when every thread has exited. Measure nothing while it is not.
     */
    public static java.util.List<String> strandedThreads() {
        return Kernel.strandedThreads();
    }

    /** Starts {@code main} in a fresh runtime instance and returns at once with a handle on it. */
    public static RunHandle start(RuntimeConfig config, StrategyCatalog catalog, Runnable main) {
        return Kernel.start(config, catalog, main);
    }
}
