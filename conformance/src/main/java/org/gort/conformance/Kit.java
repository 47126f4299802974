package org.gort.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.SchedulerStrategy;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance kit's entry points: every strategy found on the class path (through
 * {@link java.util.ServiceLoader}), and a way to run a Go program under one of them. A
 * third-party strategy is checked by putting its jar on the class path of this module's
 * tests ({@code mvn -pl conformance test -Dgort.strategy.jar=path/to/bundle.jar}), or with
 * {@code ./gort kit path/to/bundle.jar}.
 *
 * <p>The kernel contains a faulty strategy: it ejects it and finishes the run on the default.
 * A run that then passes says nothing about the strategy under test, so {@link #run} fails the
 * test when anything was ejected during the run, with the kernel's reason.
 */
public final class Kit {
    /** Generous: a test that needs this long has hung, and the kernel stops the run cleanly. */
    public static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Names of strategies that exist only for the kit's own tests (faulty or verification-only). */
    public static final String TEST_ONLY_PREFIX = "test-";

    /** Ejections seen by {@link #run} since the JVM started (the per-strategy report counts them). */
    private static final AtomicLong EJECTIONS = new AtomicLong();

    private Kit() {
    }

    public static StrategyCatalog catalog() {
        return StrategyCatalog.serviceLoader(Kit.class.getClassLoader());
    }

    /** {@link #catalog()} with {@code extra} schedulers added (the kit's fault-injection tests). */
    public static StrategyCatalog catalogWith(SchedulerStrategy... extra) {
        StrategyCatalog base = catalog();
        List<SchedulerStrategy> schedulers = new ArrayList<>(base.schedulers());
        Collections.addAll(schedulers, extra);
        List<SchedulerStrategy> s = List.copyOf(schedulers);
        return new StrategyCatalog() {
            @Override
            public List<SchedulerStrategy> schedulers() {
                return s;
            }

            @Override
            public List<AllocatorStrategy> allocators() {
                return base.allocators();
            }

            @Override
            public List<CollectorStrategy> collectors() {
                return base.collectors();
            }

            @Override
            public List<org.gort.spi.pacer.PacerStrategy> pacers() {
                return base.pacers();
            }
        };
    }

    /** The names of every discovered scheduler, for {@code @MethodSource}. */
    public static Stream<String> schedulers() {
        List<String> names = catalog().schedulers().stream().map(SchedulerStrategy::name)
                .filter(n -> !n.startsWith(TEST_ONLY_PREFIX)).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no scheduler strategy on the class path");
        }
        return names.stream();
    }

    /** A configuration for {@code scheduler} with {@code gomaxprocs} Ps, traces silenced. */
    public static RuntimeConfig.Builder config(String scheduler, int gomaxprocs) {
        return RuntimeConfig.builder().scheduler(scheduler).gomaxprocs(gomaxprocs).seed(42).trace(line -> { });
    }

    /**
     * Runs {@code main} and fails the calling test if the kernel ejected a strategy meanwhile
     * (the run then finished on the default, so its outcome is not the strategy's).
     */
    public static RunResult run(RuntimeConfig config, Runnable main) {
        return run(config, catalog(), main);
    }

    public static RunResult run(RuntimeConfig config, StrategyCatalog catalog, Runnable main) {
        Contained c = runContained(config, catalog, main);
        if (!c.ejections().isEmpty()) {
            throw new AssertionFailedError(ejectionMessage(c.ejections()));
        }
        return c.result();
    }

    public static RunResult run(String scheduler, int gomaxprocs, Runnable main) {
        return run(config(scheduler, gomaxprocs).build(), main);
    }

    /**
     * A run and every ejection the kernel made during it, each as the kernel announced it
     * ({@code gort: ejecting scheduler NAME: REASON}).
     */
    public record Contained(RunResult result, List<String> ejections) {
    }

    /**
     * Runs {@code main} without failing on an ejection: for tests of the kernel's containment,
     * which expect one.
     */
    public static Contained runContained(RuntimeConfig config, StrategyCatalog catalog, Runnable main) {
        List<String> ejections = Collections.synchronizedList(new ArrayList<>());
        Consumer<String> trace = config.trace();
        RuntimeConfig watched = config.toBuilder().trace(line -> {
            if (line.startsWith(EJECTING)) {
                ejections.add(line);
            }
            trace.accept(line);
        }).build();
        RunResult r = Runtime.run(watched, catalog, main, TIMEOUT);
        long counted = (long) r.metrics().get("sched.ejections", 0);
        List<String> seen = new ArrayList<>(ejections);
        while (seen.size() < counted) {
            seen.add(EJECTING + "scheduler " + config.scheduler() + ": "
                    + (r.failure().isEmpty() ? "(no reason reported)" : r.failureHeadline()));
        }
        EJECTIONS.addAndGet(seen.size());
        return new Contained(r, List.copyOf(seen));
    }

    private static final String EJECTING = "gort: ejecting ";

    /**
     * One line for a test that ran into an ejection: "scheduler fifo was ejected during this
     * test: findRunnable() threw ...; the run finished on the default, so it says nothing about
     * fifo".
     */
    static String ejectionMessage(List<String> ejections) {
        String first = ejections.get(0).substring(EJECTING.length()); // "scheduler fifo: reason"
        int sp = first.indexOf(' ');
        int colon = first.indexOf(": ", sp + 1);
        String kind = first.substring(0, sp);
        String name = colon < 0 ? first.substring(sp + 1) : first.substring(sp + 1, colon);
        String reason = colon < 0 ? "" : first.substring(colon + 2);
        String more = ejections.size() > 1 ? " (" + (ejections.size() - 1) + " more ejections after it)" : "";
        return kind + " " + name + " was ejected during this test: " + reason + more
                + "; the run finished on the default " + kind + ", so it says nothing about " + name;
    }

    /** Every ejection {@link #run} has seen in this JVM. */
    public static long ejectionsSoFar() {
        return EJECTIONS.get();
    }
}
