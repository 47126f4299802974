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
            assertTrue(dump.contains("1 goroutine [running]:\norg.gort.conformance.api.GoroutineDumpTest.spin(...)\n\tGoroutineDumpTest.java:"),
                    dump);
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
}
