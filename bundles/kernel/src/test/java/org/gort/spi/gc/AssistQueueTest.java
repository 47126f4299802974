package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The assist queue's rules, Go's (mgcmark.go): gcParkAssist's re-checks, gcFlushBgCredit's
 * order (oldest first; a debt paid in part goes to the back; what is left over goes to the
 * pool) and gcWakeAllAssists. The notes here record their wake-ups and do not block.
 */
class AssistQueueTest {
    private final List<String> woken = new ArrayList<>();

    private GcRuntime.Note note(String name) {
        return new GcRuntime.Note() {
            @Override
            public void sleep() {
                // a parked goroutine would block here until woken; the test only records wake-ups
            }

            @Override
            public void wakeup() {
                woken.add(name);
            }
        };
    }

    private boolean park(AssistQueue q, long debt, String name) {
        return q.park(debt, () -> true, () -> false, () -> note(name));
    }

    @Test
    void backgroundCreditPaysTheOldestDebtFirstAndAPartlyPaidOneGoesToTheBack() {
        AssistQueue q = new AssistQueue();
        assertTrue(park(q, 100, "a"));
        assertTrue(park(q, 50, "b"));
        assertTrue(park(q, 200, "c"));
        assertTrue(q.anyParked());

        assertEquals(0, q.pay(120), "a is paid (100), b gets the other 20");
        assertEquals(List.of("a"), woken);

        assertEquals(0, q.pay(30), "c, now first, gets 30 and goes to the back behind b");
        assertEquals(List.of("a"), woken);

        assertEquals(50, q.pay(250), "b's last 30, c's last 170, 50 left for the pool");
        assertEquals(List.of("a", "b", "c"), woken);
        assertFalse(q.anyParked());
        assertEquals(3, q.parks());
        assertEquals(40, q.pay(40), "nobody waits: all of it goes to the pool");
    }

    @Test
    void anAssistDoesNotParkWhenCreditIsThereOrMarkingIsOver() {
        AssistQueue q = new AssistQueue();
        assertFalse(q.park(10, () -> true, () -> true, () -> note("x")), "credit in the pool: retry instead");
        assertTrue(q.park(10, () -> false, () -> false, () -> note("y")), "marking over: nothing owed");
        assertFalse(q.anyParked());
        assertEquals(0, q.parks());
    }

    @Test
    void theEndOfMarkingWakesEveryAssistWhateverItStillOwes() {
        AssistQueue q = new AssistQueue();
        park(q, 100, "a");
        park(q, 100, "b");
        q.pay(150);
        assertEquals(List.of("a"), woken);
        q.wakeAll();
        assertEquals(List.of("a", "b"), woken);
        assertFalse(q.anyParked());
        assertEquals(7, q.pay(7));
    }
}
