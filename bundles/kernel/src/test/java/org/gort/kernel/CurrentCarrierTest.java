package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A coroutine resumed alternately by two threads, in a loop hot enough for C2 to compile it,
 * must always see the thread that resumed it. {@code Thread.currentThread()} inlined into such
 * a loop does not (it is read once and reused across the suspension); {@link Current#carrier()}
 * must.
 */
class CurrentCarrierTest {
    private static volatile Thread resumer;

    @Test
    void carrierIsTheResumingThreadAfterEveryMigration() throws Exception {
        long[] stale = new long[1];
        long[] checks = new long[1];
        Coroutine co = new Coroutine(() -> {
            while (true) {
                if (Current.carrier() != resumer) {
                    stale[0]++;
                }
                checks[0]++;
                Coroutine.suspend();
            }
        });
        int rounds = 2000;
        int perTurn = 1000;
        ExecutorService[] carriers = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor()};
        try {
            for (int r = 0; r < rounds; r++) {
                carriers[r % 2].submit(() -> {
                    for (int i = 0; i < perTurn; i++) {
                        resumer = Thread.currentThread(); // plain thread code: currentThread is right here
                        co.resume();
                    }
                }).get();
            }
        } finally {
            for (ExecutorService e : carriers) {
                e.shutdownNow();
            }
        }
        assertEquals((long) rounds * perTurn, checks[0]);
        assertEquals(0, stale[0], "stale carrier reads after migration");
    }
}
