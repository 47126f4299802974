package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.Globals;
import org.gort.api.Heap;
import org.gort.api.MemStats;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RuntimeConfig;
import org.gort.api.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shapes the side-by-side comparisons must reproduce, shown with counts instead of wall
 * time: objects marked and root slots read inside stop-the-world pauses.
 *
 * <ul>
 *   <li>STW vs concurrent: the stop-the-world collector marks the whole live heap inside its
 *       pause, so the pause grows with the live heap; a concurrent collector marks (almost)
 *       nothing inside its pauses, whatever the heap.</li>
 *   <li>Stack re-scan (proposal 17503): with many goroutines holding objects in their stacks,
 *       Dijkstra reads every stack again inside mark termination and Yuasa reads them all inside
 *       sweep termination, so their pauses grow with the number of goroutines; hybrid reads no
 *       stack inside a pause.</li>
 * </ul>
 */
class PauseShapeTest {
    static final Type NODE = Type.register("pauseshape.Node", 2, 0);

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    /** Builds a tree of 2^(depth+1)-1 nodes in global 0, collects once, reports what the cycle marked in pauses. */
    private static MemStats collectWithLiveTree(String collector, int depth) {
        MemStats[] stats = new MemStats[1];
        GcKit.assertOk(runWithLiveTree(GcKit.config(collector, 2).build(), depth, stats));
        return stats[0];
    }

    /**
     * Runs a program that builds a tree of 2^(depth+1)-1 nodes in global 0 and collects twice;
     * {@code stats[0]} gets the MemStats after the second collection.
     */
    static RunResult runWithLiveTree(RuntimeConfig config, int depth, MemStats[] stats) {
        return GcKit.run(config, () -> {
            int f = Roots.push(1);
            Roots.set(f, tree(depth));
            Globals.set(0, Roots.get(f));
            Roots.pop(f);
            Heap.gc();
            Heap.gc();
            stats[0] = Heap.memStats();
            Globals.set(0, 0);
        });
    }

    static long tree(int depth) {
        int f = Roots.push(3);
        Roots.set(f, Heap.alloc(NODE));
        if (depth > 0) {
            Roots.set(f + 1, tree(depth - 1));
            Heap.storePtr(Roots.get(f), 0, Roots.get(f + 1));
            Roots.set(f + 2, tree(depth - 1));
            Heap.storePtr(Roots.get(f), 1, Roots.get(f + 2));
        }
        long n = Roots.get(f);
        Roots.pop(f);
        return n;
    }

    @ParameterizedTest
    @MethodSource("collectors")
    void onlyTheStopTheWorldPauseGrowsWithTheLiveHeap(String collector) {
        MemStats small = collectWithLiveTree(collector, 10);   //  2 047 live nodes
        MemStats large = collectWithLiveTree(collector, 13);   // 16 383 live nodes
        assertEquals(2047, small.lastReachableObjects());
        assertEquals(16383, large.lastReachableObjects());
        if (collector.equals("stw")) {
            assertTrue(small.lastMarkedInPause() >= 2047, () -> "stw marks the live heap in its pause: " + small);
            assertTrue(large.lastMarkedInPause() >= 16383, () -> "stw marks the live heap in its pause: " + large);
        } else {
            assertTrue(small.lastMarkedInPause() <= 16, () -> collector + " marked " + small.lastMarkedInPause() + " in pauses");
            assertTrue(large.lastMarkedInPause() <= 16, () -> collector + " marked " + large.lastMarkedInPause()
                    + " in pauses with an 8x larger heap");
        }
    }

    /** G goroutines each keep 4 objects in their root stacks and wait; main collects. */
    private static RunResult collectWithParkedGoroutines(String collector, int goroutines) {
        return GcKit.run(GcKit.config(collector, 2).build(), () -> {
            GcKit.withParkedGoroutines(goroutines, NODE, () -> {
                Heap.gc();
                Heap.gc();
            });
        });
    }

    @ParameterizedTest
    @MethodSource("collectors")
    void stackReadsInsidePausesFollowTheStackPolicy(String collector) {
        RunResult few = collectWithParkedGoroutines(collector, 100);
        RunResult many = collectWithParkedGoroutines(collector, 800);
        GcKit.assertOk(few);
        GcKit.assertOk(many);
        long fewSlots = few.metrics().count("gc.pause.root.slots.max");
        long manySlots = many.metrics().count("gc.pause.root.slots.max");
        switch (collector) {
            case "hybrid", "greentea" -> assertEquals(0, manySlots, collector + " reads no stack with the world stopped");
            case "dijkstra", "yuasa", "stw" -> {
                assertTrue(fewSlots >= 100 * 4, () -> collector + " read " + fewSlots + " root slots in one pause");
                assertTrue(manySlots >= 800 * 4, () -> collector + " read " + manySlots + " root slots in one pause");
            }
            default -> { }
        }
    }
}
