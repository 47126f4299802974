package org.gort.conformance.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.conformance.Kit;
import org.gort.conformance.faults.FaultyStrategy.Fault;
import org.junit.jupiter.api.Test;

/**
 * A thief asleep before a runnext steal holds its P: a stop of the world must end the sleep
 * rather than wait it out. The pause here is a minute long (the real one is Go's usleep(3),
 * tens of microseconds), so a kernel that waited would hold the collection for a minute.
 */
class StealPauseTest {
    private static final long PAUSE_MILLIS = 60_000;

    @Test
    void aStopOfTheWorldEndsAThiefsPauseAndTheThiefTakesNothing() {
        FaultyStrategy s = new FaultyStrategy("findRunnable", Fault.PAUSE, PAUSE_MILLIS);
        RunResult r = Kit.run(Kit.config(s.name(), 2).build(), Kit.catalogWith(s), () -> {
            s.arm();
            // A new goroutine wakes an M for the idle P, and that M pauses as it looks for work.
            // main keeps its own P meanwhile (no park, no yield): were main's M to pause
            // instead, main would wait for an M, and the pausing M, spinning, keeps wakep from
            // starting one. (If sysmon preempts main first, the other M runs it.)
            Go.go(() -> { });
            while (!s.pausing()) {
                Go.checkpoint();
            }
            Heap.gc(); // stops the world while an M sleeps in the pause holding its P
            Go.println("collected");
        });
        assertEquals(RunStatus.OK, r.status(), () -> String.valueOf(r.failure()));
        assertEquals(java.util.List.of("collected"), r.output());
        assertTrue(s.fired(), "no M paused; the test proves nothing");
        long pause = s.pauseNanos();
        assertTrue(pause >= 0 && pause < PAUSE_MILLIS * 1_000_000 / 2,
                "the stop waited out the thief's pause (" + pause / 1_000_000 + " ms of " + PAUSE_MILLIS + ")");
        assertFalse(s.pauseResult(), "a thief woken by a stop must take nothing");
    }
}
