package org.gort.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * The deadlock check runs on every path that can make "nothing can progress" true, not only
 * when a P goes idle (Go's checkdead is called from mput, exitsyscall and the timer paths).
 */
class DeadlockCheckTest {
    /** A run that has hung: far longer than one of these runs takes, even on a loaded machine. */
    private static final Duration HUNG = Duration.ofSeconds(20);

    /**
     * main blocks for ever while one goroutine sleeps and returns. The timer readies the
     * sleeper, which may exit and idle its P before the timer thread counts its timer done;
     * the check must then run when the timer thread does, or nobody runs it again.
     */
    @Test
    void aDeadlockAfterATimerIsDeclaredEveryTime() {
        for (int i = 0; i < 200; i++) {
            RunResult r = Runtime.run(Kit.config("gmp", 2).build(), Kit.catalog(), () -> {
                Go.go(() -> Go.sleep(Duration.ofMillis(1)));
                Chan.<Integer>make().recv();
            }, HUNG);
            assertEquals(RunStatus.DEADLOCK, r.status(), "run " + i + ": " + r.failure());
            assertEquals("fatal error: all goroutines are asleep - deadlock!", r.failureHeadline());
        }
    }
}
