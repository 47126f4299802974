package org.gort.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.gort.conformance.faults.FaultyStrategy.Fault;
import org.junit.jupiter.api.Test;

/**
 * A thief asleep before a runnext steal holds its P: a stop of the world must end the sleep
 * rather than wait it out, and the thief takes nothing, whether the stop is a collector's or
 * one that replaces the scheduler's run queues (a GOMAXPROCS change). The pause here is a
 * minute long (the real one is Go's usleep(3), tens of microseconds), so a kernel that waited
 * would hold the stop for a minute.
 */
class StealPauseTest {
    private static final long PAUSE_MILLIS = 60_000;
    private static final Type BOX = Type.register("stealpause.Box", 1, 8);

    private static long metric(RunResult r, String name) {
        return (long) r.metrics().get(name, 0);
    }

    /**
     * Runs {@code stop} while an M sleeps in a minute-long steal pause holding its P; returns
     * the run. The strategy records how long the pause lasted and what it returned.
     */
    private static RunResult stopWhileAThiefSleeps(FaultyStrategy s, int maxprocs, Runnable stop) {
        RunResult r = Kit.run(Kit.config(s.name(), 2).property("maxprocs", String.valueOf(maxprocs)).build(),
                Kit.catalogWith(s), () -> {
            s.arm();
            // A new goroutine wakes an M for the idle P, and that M pauses as it looks for work.
            // main keeps its own P meanwhile (no park, no yield): were main's M to pause
            // instead, main would wait for an M, and the pausing M, spinning, keeps wakep from
            // starting one. (If sysmon preempts main first, the other M runs it.)
            Go.go(() -> { });
            while (!s.pausing()) {
                Go.checkpoint();
            }
            stop.run(); // stops the world while an M sleeps in the pause holding its P
            Go.println("stopped");
        });
        assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.failure()));
        assertEquals(java.util.List.of("stopped"), r.output());
        assertTrue(s.fired(), "no M paused; the test proves nothing");
        long pause = s.pauseNanos();
        assertTrue(pause >= 0 && pause < PAUSE_MILLIS * 1_000_000 / 2,
                "the stop waited out the thief's pause (" + pause / 1_000_000 + " ms of " + PAUSE_MILLIS + ")");
        assertFalse(s.pauseResult(), "a thief whose pause a stop interrupted must take nothing");
        return r;
    }

    @Test
    void aStopOfTheWorldEndsAThiefsPauseAndTheThiefTakesNothing() {
        stopWhileAThiefSleeps(new FaultyStrategy("findRunnable", Fault.PAUSE, PAUSE_MILLIS), 2, Heap::gc);
    }

    @Test
    void aStopThatReplacesTheRunQueuesWakesTheThief() {
        FaultyStrategy s = new FaultyStrategy("findRunnable", Fault.PAUSE, PAUSE_MILLIS);
        RunResult r = stopWhileAThiefSleeps(s, 3, () -> Go.gomaxprocs(3));
        assertEquals(1, metric(r, "sched.procresizes"), r.metrics().values().toString());
    }

    /**
     * GOMAXPROCS=2, hybrid with gccheckmark and clobberfree: four pairs of goroutines pass
     * boxed counters back and forth (each hand-off readies the peer into its P's runnext, which
     * the other P's M pauses to steal: some stops find it asleep there) while a fifth collects
     * back to back. Every hand-off must arrive with its box intact and every goroutine finish.
     */
    @Test
    void collectionsWhileThievesSleepLoseNothing() {
        int pairs = 4;
        int trips = 20_000;
        AtomicLong sum = new AtomicLong();
        RuntimeConfig config = Kit.config("gmp", 2).collector("hybrid").gccheckmark(true).clobberfree(true).build();
        RunResult r = Kit.run(config, () -> {
            AtomicBoolean done = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            wg.add(2 * pairs);
            for (int k = 0; k < pairs; k++) {
                Chan<Long> ping = Chan.ofPointers(0);
                Chan<Long> pong = Chan.ofPointers(0);
                Go.go(() -> {
                    int f = Roots.push(1); // the box in hand is live only in a root slot
                    for (int i = 0; i < trips; i++) {
                        Roots.set(f, ping.recv());
                        long b = Roots.get(f);
                        Heap.storeLong(b, 0, Heap.loadLong(b, 0) + 1);
                        pong.send(b);
                    }
                    Roots.pop(f);
                    wg.done();
                });
                Go.go(() -> {
                    int f = Roots.push(1);
                    for (int i = 0; i < trips; i++) {
                        Roots.set(f, Heap.alloc(BOX));
                        long b = Roots.get(f);
                        Heap.storeLong(b, 0, 2L * i);
                        ping.send(b);
                        long back = pong.recv();
                        if (back != b || Heap.loadLong(back, 0) != 2L * i + 1) {
                            throw new IllegalStateException("trip " + i + " came back wrong");
                        }
                        sum.addAndGet(Heap.loadLong(back, 0));
                    }
                    Roots.pop(f);
                    wg.done();
                });
            }
            Go.go(() -> {
                while (!done.get()) {
                    Heap.gc();
                }
            });
            wg.await();
            done.set(true);
        });
        assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.failure()));
        assertEquals((long) pairs * trips * trips, sum.get(), "hand-offs were lost");
    }
}
