package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.gort.kernel.LowMemory;
import org.junit.jupiter.api.Test;

/**
 * What a run may keep of the JVM's memory: its result keeps a bounded number of output lines,
 * and a JVM heap full of live data ends every live run with Go's
 * {@code fatal error: runtime: out of memory} instead of thrashing.
 */
class ResourceBoundsTest {
    @Test
    void theResultKeepsTheFirstLinesUpToTheLimitAndSaysHowManyMore() {
        AtomicLong shown = new AtomicLong();
        RunResult r = Kit.run(Kit.config("gmp", 2).outputLimit(100).output(line -> shown.incrementAndGet()).build(), () -> {
            for (int i = 0; i < 250; i++) {
                Go.println("line " + i);
            }
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(100, r.output().size());
        assertEquals("line 99", r.output().get(99));
        assertEquals(150, r.metrics().count("run.output.dropped"));
        assertEquals(250, shown.get(), "every line still reaches the output sink");
        assertTrue(r.failure().contains("warning: the run printed 250 lines; its result keeps the first 100"), r.failure());
        RunResult small = Kit.run("gmp", 1, () -> Go.println("one"));
        assertEquals(0, small.metrics().count("run.output.dropped"));
        assertEquals("", small.failure());
    }

    @Test
    void aJvmHeapFullOfLiveDataEndsTheRunAsGoRunsOutOfMemory() {
        RunHandle h = Runtime.start(Kit.config("gmp", 1).build(), Kit.catalog(), () -> {
            while (true) {
                Go.sleepNanos(1_000_000);
            }
        });
        // The detector compares what a collection leaves live with a share of the heap: make
        // any live data cross it, and collect.
        double previous = LowMemory.threshold(1e-9);
        RunResult r;
        try {
            for (int i = 0; i < 100 && !h.isDone(); i++) {
                System.gc();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            r = h.await(Duration.ofMinutes(1));
        } finally {
            LowMemory.threshold(previous);
        }
        assertEquals(RunStatus.OUT_OF_MEMORY, r.status(), r.failure());
        assertTrue(r.failure().startsWith("fatal error: runtime: out of memory: the JVM heap's "), r.failure());
        assertTrue(r.failure().contains("full after a collection") && r.failure().contains("GORT_JAVA_OPTS=-Xmx"), r.failure());
        assertEquals(1, r.failure().lines().count(), "one line");
        assertEquals(2, r.exitCode());
    }
}
