package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.Ticker;
import org.gort.api.Timer;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code time.Ticker} and {@code Timer.Reset}. The timer thread fires timers in deadline order,
 * so a ticker's tick due before a sleep's end has been offered by the time the sleeper wakes:
 * these checks do not depend on the machine's speed.
 */
class TickerTest {
    private static final Duration PERIOD = Duration.ofMillis(2);

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aTickerTicksEveryPeriodAndStops(String sched) {
        assertOk(Kit.run(sched, 2, () -> {
            Ticker t = Go.newTicker(PERIOD);
            long prev = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                long at = t.c().recv();
                assertTrue(at >= prev, "ticks carry increasing times");
                prev = at;
            }
            t.stop();
            Go.sleep(PERIOD); // a tick in flight when stop was called has landed by now
            while (t.c().len() > 0) {
                t.c().recv();
            }
            Go.sleep(PERIOD.multipliedBy(5));
            assertEquals(0, t.c().len(), "no tick after stop");
        }));
    }

    /** Go's buffer of one: a receiver that falls behind finds one tick, the rest were dropped. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void aSlowReceiverFindsOneTickAndTheRestDropped(String sched) {
        assertOk(Kit.run(sched, 1, () -> {
            Ticker t = Go.newTicker(PERIOD);
            assertEquals(1, t.c().cap());
            Go.sleep(PERIOD.multipliedBy(10));
            assertEquals(1, t.c().len());
            t.c().recv();
            t.stop();
        }));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void resetChangesThePeriodAndNonPositivePeriodsPanic(String sched) {
        assertOk(Kit.run(sched, 1, () -> {
            Ticker t = Go.newTicker(Duration.ofHours(1));
            t.reset(PERIOD);
            t.c().recv(); // would take an hour without the reset
            t.stop();
            assertTrue(Go.tick(Duration.ZERO).isNil(), "time.Tick of a non-positive duration is nil");
            Timer timer = Go.newTimer(Duration.ofHours(1));
            assertTrue(timer.reset(PERIOD), "the timer was active");
            timer.c().recv();
            assertFalse(timer.stop(), "it has fired");
        }));
        RunResult r = Kit.run(sched, 1, () -> Go.newTicker(Duration.ZERO));
        assertEquals("panic: non-positive interval for NewTicker", r.failureHeadline());
        r = Kit.run(sched, 1, () -> Go.newTicker(PERIOD).reset(Duration.ofMillis(-1)));
        assertEquals("panic: non-positive interval for Ticker.Reset", r.failureHeadline());
    }

    /**
     * A stopped ticker's timer is gone: a run blocked for ever is a deadlock. A ticker nobody
     * stopped keeps its timer pending (Go before 1.23), so the same run is not a deadlock and
     * waits until it is stopped from outside.
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void aTickerNeverStoppedKeepsItsTimerAlive(String sched) {
        RunResult stopped = Kit.run(sched, 1, () -> {
            Go.newTicker(PERIOD).stop();
            Chan.nil().recv();
        });
        assertEquals(RunStatus.DEADLOCK, stopped.status(), stopped.failure());

        RunResult leaked = Runtime.run(Kit.config(sched, 1).build(), Kit.catalog(), () -> {
            for (int i = 0; i < 3; i++) {
                Go.tick(PERIOD).recv(); // the time.Tick leak: a new ticker each time round
            }
            Chan.nil().recv();
        }, Duration.ofMillis(300));
        assertEquals(RunStatus.STOPPED, leaked.status(), leaked.failure());
    }
}
