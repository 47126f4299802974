package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.gort.api.GoMemStats;
import org.gort.api.Globals;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RuntimeConfig;
import org.gort.api.Type;
import org.gort.conformance.Kit;
import org.gort.spi.pacer.PacerStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every pacer must do, under a concurrent and a stop-the-world collector: cycles finish
 * near the goal it sets (the heap at mark termination within twice the goal: the trigger, the
 * assists and the sweep pacing keep up), the heap stays bounded while a steady live heap
 * churns (no runaway), and a pacer that honours a memory limit keeps the heap under it even
 * with GOGC=off, while one that does not leaves the goal to GOGC. Counts and bytes, no times.
 */
class PacerTest {
    static final Type ITEM = Type.register("pacer.Item", 1, 48);   // 64 bytes
    private static final long MB = 1L << 20;

    static Stream<String> pacers() {
        var names = Kit.catalog().pacers().stream().map(PacerStrategy::name).toList();
        if (names.isEmpty()) {
            throw new IllegalStateException("no pacer strategy on the class path");
        }
        return names.stream();
    }

    static Stream<Arguments> pacersAndCollectors() {
        return pacers().flatMap(p -> Stream.of("hybrid", "stw").filter(GcKit.collectors()::contains)
                .map(c -> Arguments.of(p, c)));
    }

    private static PacerStrategy strategy(String pacer) {
        return Kit.catalog().pacer(pacer);
    }

    private static RuntimeConfig.Builder config(String pacer, String collector) {
        return GcKit.config(collector, 2).gccheckmark(false).pacer(pacer);
    }

    /** {@code live} items stay live while {@code allocations} more replace random ones. */
    private static RunResult churn(RuntimeConfig config, int live, int allocations) {
        return GcKit.run(config, () -> {
            int f = Roots.push(1);
            Roots.set(f, Heap.allocPointers(live));
            Globals.set(0, Roots.get(f));
            for (int i = 0; i < live; i++) {
                Heap.storePtr(Roots.get(f), i, Heap.alloc(ITEM));
            }
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < allocations; i++) {
                Heap.storePtr(Roots.get(f), rnd.nextInt(live), Heap.alloc(ITEM)); // the old one dies
            }
            Roots.pop(f);
            Globals.set(0, 0);
        });
    }

    private static long liveBytes(int items) {
        return (long) items * 64 + org.gort.kernel.heap.ObjectLayout.pointerArraySize(items); // the items and the []*
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("pacersAndCollectors")
    void cyclesFinishNearTheGoal(String pacer, String collector) {
        RunResult r = churn(config(pacer, collector).build(), 48 * 1024, 600_000);
        GcKit.assertOk(r);
        assertTrue(r.metrics().count("gc.goal.ratio.cycles") >= 4, () -> "heap-triggered cycles: " + r.metrics().values());
        double worst = r.metrics().get("gc.goal.ratio.max");
        assertTrue(worst > 0 && worst <= 2.0, () -> pacer + "/" + collector + ": a cycle ended at " + worst + " times its goal");
        long goal = r.metrics().count("gc.heap.goal.bytes");
        assertTrue(goal >= r.metrics().count("gc.heap.marked.bytes"), "the goal is never below the marked heap");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pacers")
    void aSteadyHeapDoesNotRunAway(String pacer) {
        int items = 32 * 1024;
        RunResult r = churn(config(pacer, "hybrid").build(), items, 1_500_000);
        GcKit.assertOk(r);
        long bound = 4 * liveBytes(items) + 8 * MB; // the goal is about twice the live heap (4 MiB at least)
        assertTrue(r.metrics().count("gc.cycles") >= 8, () -> "cycles: " + r.metrics().count("gc.cycles"));
        assertTrue(r.metrics().count("gc.heap.live.max.bytes") <= bound,
                () -> pacer + ": heapLive reached " + r.metrics().count("gc.heap.live.max.bytes") + " bytes, bound " + bound);
        assertTrue(r.metrics().count("gc.heap.goal.bytes") <= bound, () -> pacer + ": the goal drifted to "
                + r.metrics().count("gc.heap.goal.bytes"));
    }

    /** GOGC=off, a 6 MiB live heap, a 16 MiB limit: only the limit starts cycles, and the heap stays under it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pacers")
    void theMemoryLimitIsHonoured(String pacer) {
        assumeTrue(strategy(pacer).honoursMemoryLimit(), pacer + " does not honour a memory limit");
        long limit = 16 * MB;
        RunResult r = churn(config(pacer, "hybrid").gogc(RuntimeConfig.GOGC_OFF).memoryLimitBytes(limit).build(),
                80 * 1024, 1_000_000);
        GcKit.assertOk(r);
        assertTrue(r.metrics().count("gc.cycles") > 0, "only the limit can start a cycle with GOGC=off");
        assertTrue(r.metrics().count("gc.cycles.limited") > 0, "the limit set the goal");
        long peak = r.metrics().count("gc.heap.live.max.bytes");
        // A soft limit: while a cycle marks, allocation may pass the goal (the goal itself
        // keeps max(3 %, 1 MiB) of headroom under the limit). How far depends on how much CPU
        // the mark workers get beside the allocating goroutine: +5 to +14 % alone on two
        // cores, +29 % once with the whole suite's JVM compiling beside it. Without the limit
        // this program's heap grows to about 70 MiB, so half the limit over still tells a limit
        // kept from one ignored.
        assertTrue(peak <= limit + limit / 2, () -> pacer + ": heapLive reached " + peak + " bytes under a " + limit + " limit");
    }

    /**
     * Under a memory limit, allocation gives back what the heap retains over the limit (Go
     * 1.19's scavenging assist in mheap.allocSpan). A 24 MiB object under a 16 MiB limit is
     * dropped and collected; the background scavenger releases its pages 1 ms of work per
     * 100 ms, so right after the collection the heap still retains most of them, and the next
     * 256 KiB of allocation must bring the retained memory down to the limit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pacers")
    void allocationGivesBackWhatTheHeapRetainsOverTheLimit(String pacer) {
        assumeTrue(strategy(pacer).honoursMemoryLimit(), pacer + " does not honour a memory limit");
        long limit = 16 * MB;
        long[] retained = new long[2];
        RunResult r = GcKit.run(config(pacer, "hybrid").memoryLimitBytes(limit).build(), () -> {
            int f = Roots.push(1);
            Roots.set(f, Heap.allocBytes(24 << 20));
            GoMemStats before = Heap.readMemStats();
            retained[0] = before.heapSys() - before.heapReleased();
            Roots.set(f, 0);
            Heap.gc();
            for (int i = 0; i < 4096; i++) {
                Heap.alloc(ITEM);
            }
            GoMemStats after = Heap.readMemStats();
            retained[1] = after.heapSys() - after.heapReleased();
            Roots.pop(f);
        });
        GcKit.assertOk(r);
        assertTrue(retained[0] > limit, () -> "the 24 MiB object retained only " + retained[0] + " bytes");
        assertTrue(retained[1] <= limit + 256 * 1024,
                () -> pacer + ": the heap retained " + retained[1] + " bytes after allocating under a " + limit + " limit");
    }

    /**
     * The pacer is swapped between cycles while the program runs, both ways: the change is
     * listed in the run's result, and gccheckmark verifies every cycle on both sides.
     */
    @org.junit.jupiter.api.Test
    void swapsBetweenCyclesWhileTheProgramRuns() throws InterruptedException {
        List<String> pacers = pacers().toList();
        assumeTrue(pacers.size() >= 2, "one pacer installed");
        String first = pacers.get(0);
        String second = pacers.get(1);
        java.util.concurrent.atomic.AtomicInteger phase = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch[] done = {new java.util.concurrent.CountDownLatch(1),
                new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1)};
        org.gort.api.RunHandle h = org.gort.api.Runtime.start(GcKit.config("hybrid", 2).pacer(first).build(), Kit.catalog(), () -> {
            MutatorFuzz fuzz = new MutatorFuzz(2, 2_000, 5);
            for (int i = 0; i < done.length; i++) {
                while (phase.get() < i) {
                    org.gort.api.Go.gosched();  // the test swaps the pacer meanwhile
                }
                fuzz.main();                    // mutates, collects twice, verifies everything
                done[i].countDown();
            }
        });
        List<String> order = List.of(first, second, first);
        for (int i = 0; i < done.length; i++) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!done[i].await(100, java.util.concurrent.TimeUnit.MILLISECONDS) && !h.isDone() && System.nanoTime() < deadline) {
                // wait for the phase, unless the run ended early (then its failure says why)
            }
            int p = i;
            assertTrue(done[i].getCount() == 0, () -> "phase " + p + " finished; "
                    + (h.isDone() ? "the run ended: " + h.await(java.time.Duration.ofSeconds(5)).failure() : h.status()));
            assertEquals(order.get(i), h.activeStrategies().get("pacer"), "the pacer of phase " + i);
            if (i + 1 < done.length) {
                h.swapPacer(order.get(i + 1), "test");
                phase.incrementAndGet();
            }
        }
        RunResult r = h.await(java.time.Duration.ofMinutes(1));
        GcKit.assertOk(r);
        assertEquals(List.of("pacer " + first + " -> " + second + " (test)", "pacer " + second + " -> " + first + " (test)"),
                r.changes().stream().map(org.gort.api.StrategyChange::describe).toList());
        assertEquals(r.metrics().count("gc.cycles"), r.metrics().count("gc.checkmark.cycles"));
    }

    /** A pacer that does not honour a limit leaves the goal to GOGC: with GOGC=100 the heap grows past it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pacers")
    void aPacerWithoutTheLimitLeavesTheGoalToGogc(String pacer) {
        assumeFalse(strategy(pacer).honoursMemoryLimit(), pacer + " honours the memory limit");
        long limit = 8 * MB;
        RunResult r = churn(config(pacer, "hybrid").memoryLimitBytes(limit).build(), 80 * 1024, 600_000);
        GcKit.assertOk(r);
        assertEquals(0, r.metrics().count("gc.cycles.limited"), "no goal of the limit's");
        assertTrue(r.metrics().count("gc.heap.live.max.bytes") > limit,
                () -> pacer + ": heapLive stayed at " + r.metrics().count("gc.heap.live.max.bytes") + " bytes");
    }
}
