package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.SchedulerStrategy;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the collector tests share: the discovered strategies (test-only collectors, named
 * {@code test-*}, left out), configurations, and run checks.
 */
final class GcKit {
    /** Names of collectors that exist only to be caught by the verification modes. */
    static final String TEST_ONLY_PREFIX = "test-";

    private GcKit() {
    }

    static List<String> collectors() {
        List<String> names = Kit.catalog().collectors().stream().map(CollectorStrategy::name)
                .filter(n -> !n.startsWith(TEST_ONLY_PREFIX)).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no collector strategy on the class path");
        }
        return names;
    }

    static List<String> allocators() {
        return Kit.catalog().allocators().stream().map(AllocatorStrategy::name).toList();
    }

    static List<String> schedulers() {
        return Kit.catalog().schedulers().stream().map(SchedulerStrategy::name).toList();
    }

    static Stream<String> collectorNames() {
        return collectors().stream();
    }

    /** Every collector × allocator × scheduler. */
    static Stream<Arguments> everyCombination() {
        return collectors().stream().flatMap(c -> allocators().stream().flatMap(a ->
                schedulers().stream().map(s -> Arguments.of(c, a, s))));
    }

    /** A configuration with the given collector, gccheckmark on, traces silenced. */
    static RuntimeConfig.Builder config(String collector, String allocator, String scheduler, int gomaxprocs) {
        return Kit.config(scheduler, gomaxprocs).collector(collector).allocator(allocator).gccheckmark(true);
    }

    static RuntimeConfig.Builder config(String collector, int gomaxprocs) {
        return config(collector, RuntimeConfig.DEFAULT_ALLOCATOR, RuntimeConfig.DEFAULT_SCHEDULER, gomaxprocs);
    }

    static RunResult run(RuntimeConfig config, Runnable main) {
        return Kit.run(config, main);
    }

    static void assertOk(RunResult r) {
        assertEquals(RunStatus.OK, r.status(), () -> "run failed: " + r.failure());
    }

    /**
     * Goroutine code: {@code goroutines} goroutines each keep four objects of {@code type} in
     * their root stacks and park; {@code whileParked} runs once all are parked, then they are
     * released and joined.
     */
    static void withParkedGoroutines(int goroutines, Type type, Runnable whileParked) {
        Chan<Boolean> release = Chan.make();
        WaitGroup ready = new WaitGroup();
        WaitGroup done = new WaitGroup();
        for (int i = 0; i < goroutines; i++) {
            ready.add(1);
            done.add(1);
            Go.go(() -> {
                int f = Roots.push(4);
                for (int k = 0; k < 4; k++) {
                    Roots.set(f + k, Heap.alloc(type));
                }
                ready.done();
                release.recv();
                Roots.pop(f);
                done.done();
            });
        }
        ready.await();
        whileParked.run();
        release.close();
        done.await();
    }
}
