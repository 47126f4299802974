package org.gort.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * The watchdog judges a scheduler only for what it could have done: a goroutine that never
 * reaches a safepoint is the program's fault, a strategy that never preempts by design is
 * judged by that promise, and waiting times restart with every change of scheduler.
 */
class WatchdogTest {
    private static final long LIMIT_NANOS = 300_000_000L;
    private static final long SPIN_NANOS = 4 * LIMIT_NANOS;
    private static final Duration HUNG = Duration.ofSeconds(60);

    /** Spins for {@link #SPIN_NANOS}, passing a safepoint on every round when {@code safepoints}. */
    private static void spin(boolean safepoints) {
        long end = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() < end) {
            if (safepoints) {
                Go.checkpoint();
            }
        }
    }

    /** main starts a spinner and yields to it at P=1: main stays runnable while it spins. */
    private static RunResult starveMain(String sched, boolean safepoints, List<String> trace) {
        AtomicBoolean spun = new AtomicBoolean();
        RunResult r = Runtime.run(Kit.config(sched, 1).watchdogNanos(LIMIT_NANOS).trace(trace::add).build(), Kit.catalog(), () -> {
            Go.go(() -> {
                spin(safepoints);
                spun.set(true);
            });
            Go.gosched();
            while (!spun.get()) {
                Go.gosched();
            }
        }, HUNG);
        return r;
    }

    @Test
    void aNonPreemptingStrategyIsNotEjectedForWhatItPromises() {
        List<String> trace = new CopyOnWriteArrayList<>();
        RunResult r = starveMain("legacy-gm", true, trace);
        assertEquals(RunStatus.OK, r.status(), r.failure() + trace);
        assertTrue(r.ejections().isEmpty(), r.changes() + " " + trace);
        assertTrue(trace.stream().anyMatch(l -> l.matches(
                "gort: goroutine 2 has run \\d+ m?s without yielding on M0 and legacy-gm never preempts; goroutine 1 waits .*")),
                trace.toString());
    }

    /**
     * Go 1.0's starvation through channels: goroutines that send to and receive from one
     * buffered channel of 4 always find room or a value while at most two of them run, so the
     * two that hold the Ps never block (so it is with 40 such goroutines: the other 38 wait),
     * and under legacy-gm, which never preempts, main waits for as long as they go on (for
     * ever if they waited for main, as in Go 1.0). That is the strategy's promise, not a fault:
     * no ejection, and one line says who holds the Ps. The second goroutine starts only once
     * the first runs, so main is the only goroutine that waits.
     */
    @Test
    void aNonPreemptingStrategySaysWhoStarvesTheOthersThroughChannels() {
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicLong exchanges = new AtomicLong();
        RunResult r = Runtime.run(Kit.config("legacy-gm", 2).watchdogNanos(LIMIT_NANOS).trace(trace::add).build(), Kit.catalog(), () -> {
            Chan<Integer> c = Chan.make(4);
            WaitGroup wg = new WaitGroup();
            AtomicBoolean running = new AtomicBoolean();
            long end = System.nanoTime() + SPIN_NANOS;
            for (int i = 0; i < 2; i++) {
                int v = i;
                wg.add(1);
                Go.go(() -> {
                    running.set(true);
                    while (System.nanoTime() < end) {
                        c.send(v);
                        c.recv();
                        exchanges.incrementAndGet();
                    }
                    wg.done();
                });
                while (!running.get()) {
                    Go.checkpoint(); // main keeps P0 until the first one runs on P1
                }
            }
            Go.gosched(); // P0 to the second one
            wg.await();
        }, HUNG);
        assertEquals(RunStatus.OK, r.status(), r.failure() + trace);
        assertTrue(r.ejections().isEmpty(), r.changes() + " " + trace);
        assertTrue(exchanges.get() > 0);
        assertTrue(trace.stream().anyMatch(l -> l.matches(
                "gort: goroutine [23] has run \\d+ m?s without yielding on M\\d+ and legacy-gm never preempts; goroutine 1 waits for a P .*")),
                trace.toString());
    }

    @Test
    void aLoopWithoutSafepointsIsTheProgramsFaultNotTheSchedulers() {
        List<String> trace = new CopyOnWriteArrayList<>();
        RunResult r = starveMain("gmp", false, trace);
        assertEquals(RunStatus.OK, r.status(), r.failure() + trace);
        assertTrue(r.ejections().isEmpty(), r.changes() + " " + trace);
        assertTrue(trace.stream().anyMatch(l -> l.matches("gort: goroutine 2 has run \\d+ m?s without a safepoint on M0; goroutine 1 waits .*")),
                trace.toString());
    }
}
