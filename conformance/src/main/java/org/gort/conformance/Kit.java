package org.gort.conformance;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.spi.sched.SchedulerStrategy;

/**
 * The conformance kit's entry points: every strategy found on the class path (through
 * {@link java.util.ServiceLoader}), and a way to run a Go program under one of them. A
 * third-party strategy is checked by putting its jar on the class path of this module's
 * tests ({@code mvn -pl conformance test -Dgort.strategy.jar=path/to/bundle.jar}).
 */
public final class Kit {
    /** Generous: a test that needs this long has hung, and the kernel stops the run cleanly. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Kit() {
    }

    public static StrategyCatalog catalog() {
        return StrategyCatalog.serviceLoader(Kit.class.getClassLoader());
    }

    /** The names of every discovered scheduler, for {@code @MethodSource}. */
    public static Stream<String> schedulers() {
        List<String> names = catalog().schedulers().stream().map(SchedulerStrategy::name).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no scheduler strategy on the class path");
        }
        return names.stream();
    }

    /** A configuration for {@code scheduler} with {@code gomaxprocs} Ps, traces silenced. */
    public static RuntimeConfig.Builder config(String scheduler, int gomaxprocs) {
        return RuntimeConfig.builder().scheduler(scheduler).gomaxprocs(gomaxprocs).seed(42).trace(line -> { });
    }

    public static RunResult run(RuntimeConfig config, Runnable main) {
        return Runtime.run(config, catalog(), main, TIMEOUT);
    }

    public static RunResult run(String scheduler, int gomaxprocs, Runnable main) {
        return run(config(scheduler, gomaxprocs).build(), main);
    }
}
