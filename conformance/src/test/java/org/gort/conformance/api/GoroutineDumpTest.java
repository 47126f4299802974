package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/** The live goroutine dump (Go's SIGQUIT dump): every goroutine's stack, grouped above 10. */
class GoroutineDumpTest {

    private static void spin(AtomicBoolean stop) {
        while (!stop.get()) {
            Go.checkpoint(); // a safepoint: the dump's stop-the-world finds this goroutine here
        }
    }

    @Test
    void aLiveDumpShowsTheRunningGoroutineAndGroupsTheParkedOnes() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean spinning = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).build(), Kit.catalog(), () -> {
            Chan<Integer> never = Chan.make();
            for (int i = 0; i < 20; i++) {
                Go.go(() -> never.recv());
            }
            spinning.set(true);
            spin(stop);
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(spinning.get() && h.status().contains("chan receive 20")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String dump = h.goroutines();
            // Running, or runnable when the dump's stop found it just preempted by sysmon (as
            // Go's SIGQUIT dump shows a preempted goroutine)
            assertTrue(java.util.regex.Pattern.compile("1 goroutine \\[(running|runnable)\\]:\norg\\.gort\\.conformance\\.api"
                    + "\\.GoroutineDumpTest\\.spin\\(\\.\\.\\.\\)\n\tGoroutineDumpTest\\.java:").matcher(dump).find(), dump);
            assertTrue(dump.startsWith("20 goroutines [chan receive]:\norg.gort.conformance.api.GoroutineDumpTest.lambda$"), dump);
            assertTrue(dump.contains("created by org.gort.conformance.api.GoroutineDumpTest.lambda$"), dump);
            // The spinning goroutine is runnable for a moment whenever sysmon preempts it.
            String expected = "goroutines: 21 (chan receive 20, running 1)";
            String status = h.status();
            for (int i = 0; i < 1000 && !status.contains(expected); i++) {
                Thread.sleep(10);
                status = h.status();
            }
            assertTrue(status.contains(expected), status);
        } finally {
            stop.set(true);
            h.stop("test over");
            h.await(Duration.ofSeconds(30));
        }
    }

    /**
     * A goroutine in runtime.GC() waits for the cycle as Go's does ({@code [wait for GC cycle]}),
     * not on the channel the kernel parks it on: a dump shows Go's wait reason, and the
     * goroutine-leak analysis, which looks only at waits on the program's channels and locks,
     * never takes it for a leak.
     */
    @Test
    void aGoroutineInRuntimeGcWaitsForTheGcCycle() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).collector("hybrid").build(), Kit.catalog(), () -> {
            int f = org.gort.api.Roots.push(1);
            org.gort.api.Roots.set(f, org.gort.api.Heap.allocPointers(64 * 1024));
            for (int i = 0; i < 64 * 1024; i++) { // a live heap worth marking
                org.gort.api.Heap.storePtr(org.gort.api.Roots.get(f), i, org.gort.api.Heap.allocPointers(2));
            }
            while (!stop.get()) {
                org.gort.api.Heap.gc();
            }
            org.gort.api.Roots.pop(f);
        });
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String dump = "";
            while (!dump.contains("goroutine 1 [wait for GC cycle]:") && !h.isDone() && System.nanoTime() < deadline) {
                dump = h.goroutines();
                assertTrue(!dump.contains("goroutine 1 [chan receive]:"), dump);
                Thread.sleep(5);
            }
            assertTrue(dump.contains("goroutine 1 [wait for GC cycle]:"), dump);
            String leaked = h.leakedGoroutines();
            assertTrue(leaked.isEmpty(), leaked);
        } finally {
            stop.set(true);
            h.await(Duration.ofSeconds(60));
        }
    }
}
