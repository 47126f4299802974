package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A coroutine resumed alternately by two threads, in a loop hot enough for C2 to compile it,
 * must always see the thread that resumed it. {@code Thread.currentThread()} inlined into such
 * a loop does not (it is read once and reused across the suspension); {@link Current#carrier()}
 * must.
 *
 * <p>The same holds for {@link Coroutine#currentOwner()}, which is how goroutine code finds its
 * G: two coroutines swap two carriers while both carriers keep running, so a lookup that reused
 * the carrier it saw before a suspension would find the other coroutine mounted there.
 */
class CurrentCarrierTest {
    private static volatile Thread resumer;

    @Test
    void carrierIsTheResumingThreadAfterEveryMigration() throws Exception {
        long[] stale = new long[1];
        long[] checks = new long[1];
        Coroutine co = new Coroutine(null, () -> {
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

    @Test
    void ownerIsTheRunningCoroutineWhileCoroutinesSwapCarriers() throws Exception {
        String[] owners = {"A", "B"};
        long[] wrong = new long[2];
        long[] checks = new long[2];
        Coroutine[] cos = new Coroutine[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            cos[k] = new Coroutine(owners[k], () -> {
                while (true) {
                    if (Coroutine.currentOwner() != owners[me]) {
                        wrong[me]++;
                    }
                    checks[me]++;
                    Coroutine.suspend();
                }
            });
        }
        int rounds = 2000;
        int perTurn = 1000;
        CyclicBarrier turn = new CyclicBarrier(2);
        ExecutorService carriers = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] done = new Future<?>[2];
            for (int t = 0; t < 2; t++) {
                int carrier = t;
                done[t] = carriers.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        Coroutine co = cos[(r + carrier) % 2]; // each round, the coroutines swap carriers
                        for (int i = 0; i < perTurn; i++) {
                            co.resume();
                        }
                        turn.await();
                    }
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            carriers.shutdownNow();
        }
        assertEquals((long) rounds * perTurn, checks[0]);
        assertEquals((long) rounds * perTurn, checks[1]);
        assertEquals(0, wrong[0] + wrong[1], "lookups that found another coroutine or none after a migration");
    }
}
