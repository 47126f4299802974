package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.gort.api.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The randomised mutator ({@link MutatorFuzz}) under every collector and allocator, with
 * {@code gccheckmark} (every cycle re-marks with the world stopped and fails on a reachable
 * object the cycle missed) and {@code clobberfree} (any use of a freed object fails): zero lost
 * objects, zero use after free, every slot still pointing at the object it was given.
 *
 * <p>CI size by default; a longer run with {@code -Dgort.gc.fuzz.steps=200000
 * -Dgort.gc.fuzz.seeds=10 -Dgort.gc.fuzz.mutators=8}, and seeds no run has tried yet with
 * {@code -Dgort.gc.fuzz.firstseed=N} (seeds N to N+seeds-1; the default is 1).
 */
class MutatorFuzzTest {
    static final int STEPS = Integer.getInteger("gort.gc.fuzz.steps", 50_000);
    static final int SEEDS = Integer.getInteger("gort.gc.fuzz.seeds", 1);
    static final int MUTATORS = Integer.getInteger("gort.gc.fuzz.mutators", 4);
    static final long FIRST_SEED = Long.getLong("gort.gc.fuzz.firstseed", 1);

    static Stream<Arguments> runs() {
        return GcKit.collectors().stream().flatMap(c -> GcKit.allocators().stream().flatMap(a ->
                LongStream.range(FIRST_SEED, FIRST_SEED + SEEDS).mapToObj(seed -> Arguments.of(c, a, seed))));
    }

    @ParameterizedTest(name = "under {0}, {1} (seed {2})")
    @MethodSource("runs")
    void noLostObjectsNoUseAfterFree(String collector, String allocator, long seed) {
        MutatorFuzz fuzz = new MutatorFuzz(MUTATORS, STEPS, seed);
        RunResult r = GcKit.run(GcKit.config(collector, allocator, "gmp", 2)
                .seed(seed).gogc(5).clobberfree(true).property("gc.floating", "true").build(), fuzz::main);
        GcKit.assertOk(r);
        long cycles = r.metrics().count("gc.cycles");
        assertTrue(cycles >= 8, () -> "only " + cycles + " GC cycles ran; the fuzz is meant to span many");
        assertEquals(cycles, r.metrics().count("gc.checkmark.cycles"), "every cycle was verified");
        assertTrue(r.metrics().get("workload.fuzz.reachable") > 0, "the final walk found the survivors");
        assertTrue(fuzz.helpers.get() > 0, "helper goroutines ran");
    }
}
