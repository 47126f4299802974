package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.SynchronousQueue;
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
        int rounds = 400;
        int perTurn = 1000;
        @SuppressWarnings("unchecked")
        SynchronousQueue<Integer>[] turn = new SynchronousQueue[] {new SynchronousQueue<Integer>(), new SynchronousQueue<Integer>()};
        Thread[] threads = new Thread[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            threads[k] = new Thread(() -> {
                try {
                    while (true) {
                        int left = turn[me].take();
                        if (left == 0) {
                            turn[1 - me].put(0);
                            return;
                        }
                        for (int i = 0; i < perTurn; i++) {
                            resumer = Thread.currentThread(); // plain thread code: currentThread is right here
                            co.resume();
                        }
                        turn[1 - me].put(left - 1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads[k].start();
        }
        turn[0].put(rounds);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals((long) rounds * perTurn, checks[0]);
        assertEquals(0, stale[0], "stale carrier reads after migration");
    }
}
