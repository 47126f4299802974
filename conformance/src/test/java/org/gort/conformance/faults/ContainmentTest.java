package org.gort.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.gort.conformance.faults.FaultyStrategy.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * The kernel's containment of a faulty scheduler, and the kit's refusal to pass one: a
 * strategy that throws from an SPI method, loses goroutines or stops handing them out is
 * ejected, every goroutine is kept, the run ends correctly on the default, and a kit test
 * that ran into the ejection fails with the kernel's reason.
 */
class ContainmentTest {
    /** Ping-pong pairs: every pair readies, runs and exits goroutines many times over. */
    private static final int PAIRS = 24;
    private static final int ROUNDS = 40;
    private static final long EXPECTED = (long) PAIRS * ROUNDS * (ROUNDS + 1) / 2;

    /**
     * The program every test runs: {@link #PAIRS} ping-pong pairs over unbuffered channels
     * with timers, and one goroutine that keeps running CPU-bound stretches, sleeping and
     * entering syscalls until the fault has struck (so sysmon's callbacks are called too), at
     * most 20 s. Prints the sum of every reply; any lost goroutine leaves it short or hangs.
     */
    private static Runnable program(FaultyStrategy faulty) {
        return () -> {
            Chan<Long> results = Chan.make(PAIRS);
            for (int w = 0; w < PAIRS; w++) {
                Go.go(() -> {
                    Chan<Integer> ping = Chan.make();
                    Chan<Integer> pong = Chan.make();
                    Go.go(() -> {
                        for (int r = 0; r < ROUNDS; r++) {
                            pong.send(ping.recv() + 1);
                        }
                    });
                    long sum = 0;
                    for (int r = 0; r < ROUNDS; r++) {
                        ping.send(r);
                        sum += pong.recv();
                        if (r % 8 == 0) {
                            Go.sleepNanos(20_000);
                        }
                    }
                    results.send(sum);
                });
            }
            WaitGroup provoker = new WaitGroup();
            provoker.add(1);
            Go.go(() -> {
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!faulty.fired() && System.nanoTime() < deadline) {
                    spin(2_000_000);
                    Go.syscall(() -> LockSupport.parkNanos(20_000_000)); // longer than sysmon's longest sleep (10 ms), so it sees every one
                    Go.sleepNanos(100_000);
                }
                provoker.done();
            });
            long total = 0;
            for (int w = 0; w < PAIRS; w++) {
                total += results.recv();
            }
            provoker.await();
            Go.println("total " + total);
        };
    }

    /** Runs on the CPU for about {@code nanos}, at safepoints, so sysmon sees a long-running G. */
    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x += (long) i * i;
            }
            Go.checkpoint();
        }
        if (x == 42) {
            Go.println("unreachable");
        }
    }

    private static RuntimeConfig config(FaultyStrategy faulty) {
        // schedtrace makes sysmon read the queue lengths
        RuntimeConfig.Builder b = Kit.config(faulty.name(), 2).schedtrace(50);
        if (faulty.holdsGoroutines()) {
            b.watchdogNanos(STALL_LIMIT_NANOS);
        }
        return b.build();
    }

    /**
     * The watchdog's limit when the strategy loses or holds goroutines: short enough for a
     * test, long beside any real wait in this program.
     */
    private static final long STALL_LIMIT_NANOS = 2_000_000_000L;

    /** Runs the program under {@code faulty}; checks it ended right on the default, with one ejection. */
    private static String assertContained(FaultyStrategy faulty) {
        Kit.Contained c = Kit.runContained(config(faulty), Kit.catalogWith(faulty), program(faulty));
        assertTrue(faulty.fired(), "the fault never struck; the test proves nothing");
        assertEquals(RunStatus.OK, c.result().status(), () -> "the run did not survive the ejection of "
                + faulty.name() + ": " + c.result().failure() + " (ejections: " + c.ejections() + ")");
        assertEquals(List.of("total " + EXPECTED), c.result().output(), "a goroutine's work was lost");
        assertEquals(1, c.ejections().size(), () -> "expected one ejection, got " + c.ejections());
        String ejection = c.ejections().get(0);
        assertTrue(ejection.contains(faulty.name()), ejection);
        return ejection;
    }

    /**
     * Every SPI method the kernel calls while a program runs. shouldRetake comes last on
     * purpose: it strikes only if nothing an earlier case's run left behind keeps sysmon from
     * retaking a P (a run's kernel state must end with the run).
     */
    @ParameterizedTest(name = "{0} throws")
    @ValueSource(strings = {"ready", "findRunnable", "inheritsTimeSlice", "exited", "hasRunnable", "globalQueueLength",
            "localQueueLength", "shouldPreempt", "onSyscallEntry", "shouldRetake"})
    void aThrowingMethodEjectsTheStrategyAndKeepsEveryGoroutine(String method) {
        String ejection = assertContained(new FaultyStrategy(method, Fault.THROW, 20));
        assertTrue(ejection.contains(method + "() threw"), ejection);
    }

    /**
     * Ms still calling the ejected strategy after the swap (hasRunnable() is asked from idle
     * Ms and the deadlock check) must not eject again: a late caller that found the failed
     * scheduler in place before the swap, and the claim free after it, ejected the default that
     * had just taken over (counted twice, the second with no reason, and the run's fatal end
     * asked for: "the default scheduler failed"). About
     * one run in twelve to fifty did before the fix; repeated to catch it (in about two runs of
     * the suite in three without it).
     */
    @org.junit.jupiter.api.RepeatedTest(60)
    void aLateCallerOfAnEjectedStrategyDoesNotEjectItsReplacement() {
        String ejection = assertContained(new FaultyStrategy("hasRunnable", Fault.THROW, 20));
        assertTrue(ejection.contains("hasRunnable() threw"), ejection);
    }

    /** The fallback must not depend on the faulty strategy giving its goroutines back. */
    @ParameterizedTest(name = "findRunnable throws, then {0} throws")
    @ValueSource(strings = {"drain", "detach"})
    void aFallbackSurvivesAThrowingDrainOrDetach(String method) {
        String ejection = assertContained(new FaultyStrategy("findRunnable," + method, Fault.THROW, 20));
        assertTrue(ejection.contains("findRunnable() threw"), ejection);
    }

    /** The deadlock check finds the lost goroutines (checkdead: runnable g) and ejects it. */
    @Test
    void aStrategyThatLosesGoroutinesIsEjectedAndTheyAreKept() {
        assertContained(new FaultyStrategy("ready", Fault.DROP, 100));
    }

    /** The deadlock check or the watchdog finds the goroutines it holds, and ejects it. */
    @Test
    void aStrategyThatStopsHandingOutGoroutinesIsEjectedAndTheyAreKept() {
        assertContained(new FaultyStrategy("findRunnable", Fault.STALL, 300));
    }

    /**
     * A strategy that fails deep into a run passes every check of the program, because the
     * kernel finishes it on the default: the kit must fail it anyway, with the reason.
     */
    @Test
    void theKitFailsATestDuringWhichTheStrategyWasEjected() {
        FaultyStrategy faulty = new FaultyStrategy("findRunnable", Fault.THROW, 500);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Kit.run(config(faulty), Kit.catalogWith(faulty), program(faulty)));
        assertTrue(e.getMessage().startsWith("scheduler " + faulty.name() + " was ejected during this test: "
                + "findRunnable() threw java.lang.IllegalStateException: injected fault in findRunnable()"), e.getMessage());
        assertTrue(e.getMessage().endsWith("so it says nothing about " + faulty.name()), e.getMessage());
    }
}
