package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.gort.api.Check;
import org.gort.api.Params;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.api.Workload;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.SchedulerStrategy;

/** Runs a workload the way the lab does: a fresh runtime instance, then the workload's own check. */
final class Runs {
    /** Long enough for any CI-size run on a slow machine; a hang fails the test instead of the build. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final StrategyCatalog CATALOG = StrategyCatalog.serviceLoader(Runs.class.getClassLoader());

    /** The workloads that allocate on the managed heap (they need an allocator, and meet the collectors). */
    static final List<String> HEAP_WORKLOADS = List.of("binary-trees", "parked-heap", "alloc-churn", "heap-steps");

    /** Arguments that make each workload small: a fraction of a second under any strategy. */
    static final Map<String, List<String>> SMALL = Map.ofEntries(
            Map.entry("sieve", List.of("n=100")),
            Map.entry("pingpong", List.of("n=10000")),
            Map.entry("pingpong-hog", List.of("n=10000")),
            Map.entry("spawn", List.of("n=10000")),
            Map.entry("fanout", List.of("tasks=2000", "producers=2")),
            Map.entry("syscall-storm", List.of("goroutines=50", "calls=2")),
            Map.entry("echo", List.of("clients=4", "requests=20")),
            Map.entry("hog", List.of("duration=50", "samples=5")),
            Map.entry("binary-trees", List.of("n=12")),
            // The heap workloads are sized so that GOGC=50 always meets a collection cycle: at
            // 20 000 objects (alloc-churn) and 100 000 churned allocations (parked-heap), a run
            // often met a single cycle, and once ended before its first one began.
            Map.entry("parked-heap", List.of("goroutines=1000", "allocs=200000")),
            Map.entry("alloc-churn", List.of("objects=60000", "table=1024")),
            Map.entry("heap-steps", List.of("steps=2", "stepKB=1024", "churn=50000", "stacks=50", "slots=64")));

    private Runs() {
    }

    /** Every workload the service loader finds, by name. */
    static Map<String, Workload> workloads() {
        Map<String, Workload> all = new TreeMap<>();
        for (Workload w : ServiceLoader.load(Workload.class, Runs.class.getClassLoader())) {
            all.put(w.name(), w);
        }
        return all;
    }

    static Workload workload(String name) {
        Workload w = workloads().get(name);
        if (w == null) {
            throw new IllegalArgumentException("no workload " + name + "; found " + workloads().keySet());
        }
        return w;
    }

    static List<String> schedulers() {
        return CATALOG.schedulers().stream().map(SchedulerStrategy::name).toList();
    }

    static List<String> allocators() {
        return CATALOG.allocators().stream().map(AllocatorStrategy::name).toList();
    }

    /** The installed collectors; a single null when none is: then runs go without one. */
    static List<String> collectors() {
        List<String> names = CATALOG.collectors().stream().map(CollectorStrategy::name).toList();
        return names.isEmpty() ? Arrays.asList((String) null) : names;
    }

    record Outcome(Workload workload, List<String> args, RunResult result, Check check) {
        boolean passed() {
            return result.ok() && check.passed();
        }

        String describe() {
            return workload.name() + " " + args + ": " + result.status()
                    + (result.failure().isEmpty() ? "" : " " + result.failureHeadline())
                    + (check == null ? "" : check.passed() ? ", check ok" : ", check FAILED: " + check.difference());
        }

        double metric(String name) {
            return result.metrics().get(name);
        }
    }

    static Outcome run(String workload, RuntimeConfig config, List<String> args) {
        Workload w = workload(workload);
        Params params = w.params(args);
        RunResult r = Runtime.run(config, CATALOG, () -> w.main(params), TIMEOUT);
        Check c = r.ok() ? w.check(params, r.output()) : null;
        return new Outcome(w, args, r, c);
    }

    /** Runs and asserts that the run ended normally and its check passed. */
    static Outcome runAndPass(String workload, RuntimeConfig config, List<String> args) {
        Outcome o = run(workload, config, args);
        assertTrue(o.passed(), () -> o.describe() + " [" + config + "]");
        return o;
    }

    static RuntimeConfig.Builder config(String scheduler, int gomaxprocs) {
        return RuntimeConfig.builder().scheduler(scheduler).gomaxprocs(gomaxprocs).trace(line -> { });
    }

    /**
     * A heap run: at GOGC=50 the heap goal starts at 2 MiB instead of 4, so that every small
     * heap workload meets at least one collection cycle.
     */
    static RuntimeConfig.Builder config(String scheduler, String allocator, String collector) {
        RuntimeConfig.Builder b = config(scheduler, 2).allocator(allocator).gogc(50);
        return collector == null ? b : b.collector(collector);
    }

    static List<String> concat(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
