package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.gort.api.Check;
import org.gort.api.Heap;
import org.gort.api.Params;
import org.gort.api.RunResult;
import org.gort.api.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * binary-trees (the collectors' standard workload, from the workloads bundle) prints exactly
 * the expected lines under every collector × allocator × scheduler, at n=10 and n=14, with
 * {@code gccheckmark} verifying every cycle. A small GOGC makes even n=10 collect many times.
 */
class BinaryTreesTest {
    static final List<String> N10 = List.of(
            "stretch tree of depth 11\t check: 4095",
            "1024\t trees of depth 4\t check: 31744",
            "256\t trees of depth 6\t check: 32512",
            "64\t trees of depth 8\t check: 32704",
            "16\t trees of depth 10\t check: 32752",
            "long lived tree of depth 10\t check: 2047");

    static Stream<Arguments> everyCombination() {
        return GcKit.everyCombination();
    }

    static Workload binaryTrees() {
        for (Workload w : ServiceLoader.load(Workload.class, BinaryTreesTest.class.getClassLoader())) {
            if (w.name().equals("binary-trees")) {
                return w;
            }
        }
        throw new IllegalStateException("the binary-trees workload is not on the class path");
    }

    private static RunResult run(String collector, String allocator, String scheduler, int n, int gogc) {
        Workload w = binaryTrees();
        Params p = w.params(List.of("n=" + n));
        RunResult r = GcKit.run(GcKit.config(collector, allocator, scheduler, 2).gogc(gogc).build(), () -> {
            w.main(p);
            Heap.gc(); // one more verified cycle, whatever the scheduler let the heap trigger do
        });
        GcKit.assertOk(r);
        Check c = w.check(p, r.output());
        assertTrue(c.passed(), c::difference);
        assertEquals(r.metrics().count("gc.cycles"), r.metrics().count("gc.checkmark.cycles"), "every cycle was verified");
        return r;
    }

    @ParameterizedTest(name = "under {0}, {1}, {2}")
    @MethodSource("everyCombination")
    void depth10(String collector, String allocator, String scheduler) {
        RunResult r = run(collector, allocator, scheduler, 10, 5);
        assertEquals(N10, r.output());
        assertCycles(r, scheduler);
    }

    @ParameterizedTest(name = "under {0}, {1}, {2}")
    @MethodSource("everyCombination")
    void depth14(String collector, String allocator, String scheduler) {
        RunResult r = run(collector, allocator, scheduler, 14, 100);
        assertEquals("long lived tree of depth 14\t check: 32767", r.output().get(r.output().size() - 1));
        assertCycles(r, scheduler);
    }

    /**
     * The heap triggered cycles while the trees were built (then the forced one). Under the
     * legacy scheduler, which never preempts, a cycle's coordinator waits until the goroutines
     * queued before it block, so the run may end before it marks: the faithful outcome of a
     * concurrent collector on Go 1.0's scheduler; only the forced cycle is certain there.
     */
    private static void assertCycles(RunResult r, String scheduler) {
        long triggered = r.metrics().count("gc.cycles") - r.metrics().count("gc.cycles.forced");
        assertEquals(1, r.metrics().count("gc.cycles.forced"));
        int least = scheduler.equals("legacy-gm") ? 0 : 1;
        assertTrue(triggered >= least, () -> "only " + triggered + " heap-triggered cycles under " + scheduler);
    }
}
