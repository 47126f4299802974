package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * A collector is swapped between cycles while the program runs: the cycles after the swap run
 * under the new collector, and gccheckmark verifies every cycle on both sides of the swap.
 */
class CollectorSwapTest {
    @Test
    void swapsBetweenCyclesWhileTheProgramRuns() throws InterruptedException {
        List<String> order = List.of("hybrid", "greentea", "stw", "dijkstra", "yuasa", "greentea", "hybrid");
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicInteger phase = new AtomicInteger();
        CountDownLatch[] phaseDone = new CountDownLatch[order.size()];
        for (int i = 0; i < phaseDone.length; i++) {
            phaseDone[i] = new CountDownLatch(1);
        }
        RunHandle h = Runtime.start(GcKit.config(order.get(0), 2).gogc(20).trace(trace::add).build(), Kit.catalog(), () -> {
            MutatorFuzz fuzz = new MutatorFuzz(2, 2_000, 5);
            for (int i = 0; i < order.size(); i++) {
                while (phase.get() < i) {
                    Go.gosched();              // the test swaps the collector meanwhile
                }
                fuzz.main();                   // mutates, collects twice, verifies everything
                seen.add(Heap.memStats().collector());
                phaseDone[i].countDown();
            }
        });
        for (int i = 0; i < order.size(); i++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!phaseDone[i].await(100, TimeUnit.MILLISECONDS) && !h.isDone() && System.nanoTime() < deadline) {
                // wait for the phase, unless the run ended early (then its failure says why)
            }
            int p = i;
            assertTrue(phaseDone[i].getCount() == 0, () -> "phase " + p + " finished; "
                    + (h.isDone() ? "the run ended: " + h.await(Duration.ofSeconds(5)).failure() : h.status()));
            if (i + 1 < order.size()) {
                h.swapCollector(order.get(i + 1), "test");
                phase.incrementAndGet();
            }
        }
        RunResult r = h.await(Duration.ofMinutes(1));
        GcKit.assertOk(r);
        assertEquals(order, seen);
        assertEquals(r.metrics().count("gc.cycles"), r.metrics().count("gc.checkmark.cycles"));
        assertTrue(trace.contains("gort: collector greentea -> stw (test)"), () -> "trace: " + trace);
    }

    /** {@code RunHandle.gc()}: runtime.GC() from a thread outside the program returns after a full cycle. */
    @Test
    void gcFromOutsideTheProgram() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong cycles = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch running = new CountDownLatch(1);
        RunHandle h = Runtime.start(GcKit.config("hybrid", 2).build(), Kit.catalog(), () -> {
            int f = org.gort.api.Roots.push(1);
            org.gort.api.Roots.set(f, Heap.alloc(MutatorFuzz.NODE));
            running.countDown();
            while (!stop.get()) {
                Go.gosched();
            }
            cycles.set(Heap.memStats().numGC());
        });
        assertTrue(running.await(60, TimeUnit.SECONDS));
        h.gc();
        h.gc();
        assertTrue(h.status().contains("gc: hybrid, idle, 2 cycles"), h::status);
        stop.set(true);
        RunResult r = h.await(Duration.ofMinutes(1));
        GcKit.assertOk(r);
        assertEquals(2, cycles.get());
        assertEquals(2, r.metrics().count("gc.cycles.forced"));
    }
}
