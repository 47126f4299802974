package org.gort.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.Type;
import org.gort.conformance.Kit;
import org.gort.conformance.faults.FaultyStrategy;
import org.gort.spi.pacer.PacerStrategy;
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

    static final Type ITEM = Type.register("deadlockcheck.Item", 1, 48);

    /**
     * With a memory limit and GOGC=off, sysmon (a kernel thread, holding no P) starts cycles
     * when the limit lowers the trigger below the heap: it marks a cycle requested, so the
     * allocating goroutine waits for it to begin, and then starts the cycle's coordinator. A
     * deadlock check that ran between the two declared "all goroutines are asleep", and one
     * that ran while the coordinator was RUNNABLE but not yet queued ejected the scheduler for
     * losing it. A scheduler whose hasRunnable() is slow (correct, 200 µs a call) holds the
     * check open across those windows.
     */
    @Test
    void aCycleThatSysmonStartsIsNeverTakenForADeadlockOrALostGoroutine() {
        String pacer = Kit.catalog().pacers().stream().filter(PacerStrategy::honoursMemoryLimit)
                .map(PacerStrategy::name).findFirst().orElse(null);
        assumeTrue(pacer != null, "no pacer honours a memory limit");
        FaultyStrategy slow = new FaultyStrategy("hasRunnable", FaultyStrategy.Fault.SLOW, 200);
        for (int i = 0; i < 20; i++) {
            RunResult r = Kit.run(Kit.config(slow.name(), 2).collector("hybrid").pacer(pacer).gccheckmark(false)
                    .gogc(RuntimeConfig.GOGC_OFF).memoryLimitBytes(16L << 20).build(), Kit.catalogWith(slow), () -> {
                        int live = 80 * 1024;
                        int f = Roots.push(1);
                        Roots.set(f, Heap.allocPointers(live));
                        SplittableRandom rnd = new SplittableRandom(7);
                        for (int k = 0; k < 1_000_000; k++) {
                            Heap.storePtr(Roots.get(f), rnd.nextInt(live), Heap.alloc(ITEM));
                        }
                        Roots.pop(f);
                    });
            assertEquals(RunStatus.OK, r.status(), "run " + i + ": " + r.failure());
        }
    }
}
