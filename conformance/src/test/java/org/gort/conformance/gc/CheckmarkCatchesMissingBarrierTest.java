package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.junit.jupiter.api.Test;

/**
 * {@code gccheckmark} is not a test that cannot fail: the test-only collector that marks
 * concurrently without any barrier ({@link NoBarrierStrategy}) loses objects under the
 * randomised mutator, and checkmark stops the run with a fatal error naming the object, its
 * type and a path from a root (a stack, a global or a channel's buffer: which object is lost
 * first depends on the interleaving), within a bounded number of cycles.
 */
class CheckmarkCatchesMissingBarrierTest {
    /** The fixture fails within this many cycles (it fails in the first few in practice). */
    static final int MAX_CYCLES = 40;

    @Test
    void theCollectorWithNoBarrierIsCaught() {
        MutatorFuzz fuzz = new MutatorFuzz(4, 200_000, 7);
        RunResult r = GcKit.run(GcKit.config(NoBarrierStrategy.NAME, 2).seed(7).gogc(5).build(), fuzz::main);
        assertEquals(RunStatus.FATAL, r.status(), () -> "expected checkmark to fail the run, got " + r.status() + ": " + r.failure());
        String f = r.failure();
        assertTrue(f.startsWith("fatal error: checkmark found unmarked object 0x"), f);
        // The lost object is whatever the fuzz allocates: a node or a pointer slice in flight.
        assertTrue(f.matches("(?s).*unmarked object 0x\\p{XDigit}+ \\((gcfuzz\\.Node|\\[\\]\\*), \\d+ bytes\\).*"),
                () -> "names the type: " + f);
        assertTrue(f.contains("collector " + NoBarrierStrategy.NAME), () -> "names the collector: " + f);
        assertTrue(f.matches("(?s).*path: (root stack of goroutine |global |buffer of pointer channel |finalizer root ).*"),
                () -> "gives a path from a root: " + f);
        long cycles = r.metrics().count("gc.cycles");
        assertTrue(cycles < MAX_CYCLES, () -> "caught only after " + cycles + " cycles");
    }

    @Test
    void theSameProgramPassesUnderARealCollector() {
        MutatorFuzz fuzz = new MutatorFuzz(4, 20_000, 7);
        GcKit.assertOk(GcKit.run(GcKit.config("hybrid", 2).seed(7).gogc(5).build(), fuzz::main));
    }
}
