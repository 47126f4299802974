package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.Setting;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * A live setting changed while the program runs ({@link RunHandle#setProperty}, the shell's
 * {@code set}): gmp reads {@code gmp.forcePreemptNS} where sysmon uses it. With a time slice of
 * an hour, a goroutine spinning through safepoints keeps the only P, and the main goroutine it
 * readied waits; once the slice is 1 ms, sysmon preempts the spinner, and main runs and stops it.
 * Were the slice read only at the start, the run would spin until the await gives up.
 */
class LiveSettingTest {
    private static final String KEY = "gmp.forcePreemptNS";

    @Test
    void gmpDeclaresItsTimeSliceLive() {
        Setting s = Kit.catalog().scheduler("gmp").settings().stream().filter(x -> x.key().equals(KEY)).findFirst().orElseThrow();
        assertTrue(s.live(), KEY + " is read while the run goes on");
    }

    @Test
    void aTimeSliceSetWhileTheProgramRunsPreemptsTheSpinner() throws InterruptedException {
        AtomicBoolean spinning = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 1).property(KEY, Long.toString(Duration.ofHours(1).toNanos())).build(),
                Kit.catalog(), () -> {
                    Chan<Integer> started = Chan.make();
                    AtomicBoolean stop = new AtomicBoolean();
                    Chan<Integer> done = Chan.make(1);
                    Go.go(() -> {
                        started.send(1); // readies main, which waits for the P this goroutine keeps
                        spinning.set(true);
                        while (!stop.get()) {
                            Go.checkpoint();
                        }
                        done.send(1);
                    });
                    started.recv();
                    stop.set(true);
                    done.recv();
                });
        while (!spinning.get() && !h.isDone()) {
            Thread.sleep(1);
        }
        assertEquals(Long.toString(Duration.ofHours(1).toNanos()), h.setProperty(KEY, "1000000"));
        RunResult r = h.await(Duration.ofMinutes(2));
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }
}
