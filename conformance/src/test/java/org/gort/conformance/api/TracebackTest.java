package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/** Go-shaped tracebacks: header, the goroutine's program frames as file:line, and {@code created by}. */
class TracebackTest {

    private static void worker(Chan<Integer> c) {
        c.recv(); // the line the traceback must name
    }

    @Test
    void aDeadlockPrintsEachGoroutinesFramesAndItsCreator() {
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> worker(c));
            Chan.<Integer>make().recv();
        });
        assertEquals(RunStatus.DEADLOCK, r.status(), r.failure());
        String f = r.failure();
        // goroutine 2: the frame of worker at its line, then its creator in goroutine 1.
        assertTrue(Pattern.compile("goroutine 2 \\[chan receive\\]:\n"
                + "org\\.gort\\.conformance\\.api\\.TracebackTest\\.worker\\(\\.\\.\\.\\)\n\tTracebackTest\\.java:19\n"
                + "org\\.gort\\.conformance\\.api\\.TracebackTest\\.lambda\\$\\w+\\$\\d+\\(\\.\\.\\.\\)\n\tTracebackTest\\.java:26\n"
                + "created by org\\.gort\\.conformance\\.api\\.TracebackTest\\.lambda\\$\\w+\\$\\d+ in goroutine 1\n"
                + "\tTracebackTest\\.java:26").matcher(f).find(), f);
        assertTrue(f.contains("goroutine 1 [chan receive]:\norg.gort.conformance.api.TracebackTest.lambda$"), f);
        assertFalse(f.contains("org.gort.kernel."), "runtime frames are left out below GOTRACEBACK=system: " + f);
    }

    @Test
    void tracebackNonePrintsNoGoroutineAndSystemShowsRuntimeFrames() {
        Runnable deadlock = () -> Chan.<Integer>make().recv();
        RunResult none = Kit.run(Kit.config("gmp", 1).traceback("none").build(), deadlock);
        assertEquals("fatal error: all goroutines are asleep - deadlock!", none.failure().strip());
        RunResult system = Kit.run(Kit.config("gmp", 1).traceback("system").build(), deadlock);
        assertTrue(system.failure().contains("org.gort.kernel.HChan."), system.failure());
    }
}
