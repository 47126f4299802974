package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A collector from outside the tree's four, Steele's re-greying barrier ({@link SteeleStrategy}),
 * needs the barrier to run after the store ({@code WriteBarrier.runsAfterStore}) and the
 * toolkit's {@code MarkState}. Under the mutator fuzz, with gccheckmark and clobberfree, it loses
 * nothing, and it does re-grey objects. Without the after-store call it is the no-barrier
 * collector with stack re-scans, which checkmark catches on these seeds.
 */
class SteeleBarrierTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void noLostObjectsUnderTheFuzz(long seed) {
        for (String allocator : GcKit.allocators()) {
            MutatorFuzz fuzz = new MutatorFuzz(4, 50_000, seed);
            RunResult r = GcKit.run(GcKit.config(SteeleStrategy.NAME, allocator, "gmp", 2)
                    .seed(seed).gogc(5).clobberfree(true).build(), fuzz::main);
            GcKit.assertOk(r);
            long cycles = r.metrics().count("gc.cycles");
            assertTrue(cycles >= 8, () -> "only " + cycles + " GC cycles ran under " + allocator);
            assertEquals(cycles, r.metrics().count("gc.checkmark.cycles"), "every cycle was verified");
            assertTrue(r.metrics().count("gc.barrier.regreyed") > 0,
                    () -> "Steele's barrier re-greyed nothing under " + allocator);
        }
    }
}
