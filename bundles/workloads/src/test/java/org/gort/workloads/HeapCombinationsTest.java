package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The heap workloads, at a small size, pass their checks under every scheduler × allocator ×
 * collector installed; they really allocate on the managed heap, and the collector begins at
 * least one cycle while they run.
 */
class HeapCombinationsTest {
    static Stream<Arguments> everyCombination() {
        return Runs.HEAP_WORKLOADS.stream().flatMap(w -> Runs.schedulers().stream().flatMap(s ->
                Runs.allocators().stream().flatMap(a -> Runs.collectors().stream().map(c -> Arguments.of(w, s, a, c)))));
    }

    @Test
    void bothAllocatorsAreInstalled() {
        assertTrue(Runs.allocators().containsAll(List.of("tcmalloc", "global-freelist")), () -> "found " + Runs.allocators());
    }

    @ParameterizedTest(name = "{0} under {1}, {2}, collector {3}")
    @MethodSource("everyCombination")
    void passesAtSmallSize(String workload, String scheduler, String allocator, String collector) {
        List<String> args = Runs.SMALL.get(workload);
        Runs.Outcome o = Runs.runAndPass(workload, Runs.config(scheduler, allocator, collector).build(), args);
        double allocated = o.metric("alloc.objects");
        long least = switch (workload) {
            case "binary-trees" -> binaryTreesNodes(12);
            case "parked-heap" -> 1000L * 4 + 200_000;       // kept objects plus the churn
            case "alloc-churn" -> 60_000;
            case "heap-steps" -> 50 + 2 * 1024 + 2 * 50_000;  // stack objects, blocks and the churn
            default -> throw new IllegalArgumentException(workload);
        };
        assertTrue(allocated >= least, () -> workload + " allocated " + allocated + " objects on the managed heap, expected at least " + least);
        if (collector != null) {
            // a cycle began (its first pause); a concurrent one may still be marking when main returns
            assertTrue(o.metric("gc.pause.count") >= 1, () -> workload + " began no collection cycle under " + collector);
        }
    }

    /** The heap workloads keep the rooting rule: each passes with every heap access checked (--check-roots). */
    @ParameterizedTest(name = "{0} under --check-roots")
    @MethodSource("heapWorkloads")
    void keepsTheRootingRule(String workload) {
        Runs.runAndPass(workload, Runs.config("gmp", "tcmalloc", "hybrid").checkRoots(true).build(), Runs.SMALL.get(workload));
    }

    static Stream<String> heapWorkloads() {
        return Runs.HEAP_WORKLOADS.stream();
    }

    /** Every node binary-trees allocates at maxDepth n: stretch tree, long-lived tree, and the iterations. */
    static long binaryTreesNodes(int n) {
        long nodes = (1L << (n + 2)) - 1 + (1L << (n + 1)) - 1;
        for (int d = 4; d <= n; d += 2) {
            nodes += (1L << (n - d + 4)) * ((1L << (d + 1)) - 1);
        }
        return nodes;
    }
}
