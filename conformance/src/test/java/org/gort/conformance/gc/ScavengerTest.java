package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Globals;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's scavenger: once the heap shrinks, the free pages over the heap goal plus 10% go back to
 * the operating system, in the background at 1% of a CPU, or all at once with
 * {@code Heap.freeOSMemory()} ({@code debug.FreeOSMemory}). With tcmalloc, under every collector.
 */
class ScavengerTest {
    private static final int ARRAYS = 512;
    private static final int BYTES = 64 << 10; // 32 MiB in all

    /** Builds 32 MiB of live byte arrays in global 0, then drops them. */
    private static void growThenShrink() {
        Globals.set(0, Heap.allocPointers(ARRAYS));
        for (int i = 0; i < ARRAYS; i++) {
            Heap.storePtr(Globals.get(0), i, Heap.allocBytes(BYTES));
        }
        Globals.set(0, 0);
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void freeOSMemoryReleasesTheFreePagesAtOnce(String collector) {
        AtomicLong released = new AtomicLong();
        AtomicLong releasedInAll = new AtomicLong();
        RunResult r = GcKit.run(GcKit.config(collector, 2).build(), () -> {
            growThenShrink();
            released.set(Heap.freeOSMemory());
            releasedInAll.set(org.gort.kernel.Current.runtime().heap().allocator().releasedBytes());
        });
        GcKit.assertOk(r);
        // The forced cycle's background scavenger may release some of the pages first, at the
        // same time: the call returns what it released itself, the heap counts both.
        assertTrue(released.get() > 0 && released.get() <= releasedInAll.get(), () -> "released " + released.get());
        assertTrue(releasedInAll.get() >= 24L << 20,
                () -> "released " + releasedInAll.get() + " bytes of a 32 MiB heap that emptied");
        assertTrue(r.metrics().count("heap.released.bytes") >= releasedInAll.get(), "nothing reused them since");
        assertTrue(r.metrics().count("heap.retained.bytes") < 16L << 20,
                () -> "retained " + r.metrics().count("heap.retained.bytes"));
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void theBackgroundScavengerBringsRetainedMemoryDownToTheGoal(String collector) {
        backgroundScavengerTest(GcKit.config(collector, 2).build());
    }

    /** gcstoptheworld=2 sweeps inside the pause; the scavenger still runs after it, as Go's does. */
    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void theScavengerRunsAfterASweepInsideThePauseToo(String collector) {
        backgroundScavengerTest(GcKit.config(collector, 2).gcstoptheworld(2).build());
    }

    private static void backgroundScavengerTest(org.gort.api.RuntimeConfig config) {
        AtomicLong retained = new AtomicLong();
        RunResult r = GcKit.run(config, () -> {
            growThenShrink();
            Heap.gc();
            Heap.gc(); // the goal is back at the 4 MiB minimum; the scavenger runs after the sweep
            for (int i = 0; i < 400 && Heap.memStats().numGC() > 0; i++) {
                Go.sleep(Duration.ofMillis(25));
                if (retainedNow() <= goalPlusTenPercent()) {
                    break;
                }
            }
            retained.set(retainedNow());
        });
        GcKit.assertOk(r);
        assertTrue(r.metrics().count("gc.scavenge.released.bytes") >= 16L << 20,
                () -> "the scavenger released " + r.metrics().count("gc.scavenge.released.bytes") + " bytes");
        assertTrue(r.metrics().get("gc.scavenge.cpu.ns") > 0);
        assertTrue(retained.get() < 16L << 20, () -> "retained " + retained.get() + " bytes after the heap emptied");
    }

    private static long retainedNow() {
        return org.gort.kernel.Current.runtime().heap().committedBytes()
                - org.gort.kernel.Current.runtime().heap().allocator().releasedBytes();
    }

    private static long goalPlusTenPercent() {
        return Heap.memStats().nextGC() * 11 / 10 + (8 << 10);
    }
}
