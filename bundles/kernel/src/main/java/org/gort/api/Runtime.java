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

    /** Starts {@code main} in a fresh runtime instance and returns at once with a handle on it. */
    public static RunHandle start(RuntimeConfig config, StrategyCatalog catalog, Runnable main) {
        return Kernel.start(config, catalog, main);
    }
}
