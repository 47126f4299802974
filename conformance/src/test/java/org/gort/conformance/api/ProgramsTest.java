package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole programs: the concurrent prime sieve, mass spawning, ping-pong, and instance churn. */
class ProgramsTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    /** Go's concurrent prime sieve: 2000 primes, the last is 17389. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void sieveOf2000Primes(String sched) {
        List<Integer> primes = new ArrayList<>();
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> ch = Chan.make();
            Go.go(() -> {
                for (int i = 2; ; i++) {
                    ch.send(i);
                }
            });
            Chan<Integer> in = ch;
            for (int i = 0; i < 2000; i++) {
                int prime = in.recv();
                primes.add(prime);
                Chan<Integer> src = in;
                Chan<Integer> out = Chan.make();
                Go.go(() -> {
                    while (true) {
                        int v = src.recv();
                        if (v % prime != 0) {
                            out.send(v);
                        }
                    }
                });
                in = out;
            }
        }));
        assertEquals(2000, primes.size());
        assertEquals(List.of(2, 3, 5, 7, 11, 13, 17, 19, 23, 29), primes.subList(0, 10));
        assertEquals(17389, primes.get(1999));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void hundredThousandGoroutinesSpawnedAndJoined(String sched) {
        AtomicLong sum = new AtomicLong();
        RunResult r = Kit.run(sched, 2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100_000; i++) {
                int k = i;
                wg.add(1);
                Go.go(() -> {
                    sum.addAndGet(k);
                    wg.done();
                });
            }
            wg.await();
        });
        assertOk(r);
        assertEquals(100_000L * 99_999 / 2, sum.get());
        assertTrue(r.metrics().count("sched.goroutines.created") >= 100_001);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void pingpong(String sched) {
        int[] trips = new int[1];
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Go.go(() -> {
                while (true) {
                    Integer v = ping.recv();
                    if (v == null) {
                        return;
                    }
                    pong.send(v + 1);
                }
            });
            for (int i = 0; i < 20_000; i++) {
                if (pong == null) {
                    break;
                }
                ping.send(i);
                if (pong.recv() == i + 1) {
                    trips[0]++;
                }
            }
            ping.close();
        }));
        assertEquals(20_000, trips[0]);
    }

    /** Many runtime instances one after another leave no M thread alive. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void hundredInstancesInARowLeaveNoLiveMThreads(String sched) {
        for (int i = 0; i < 100; i++) {
            int n = i;
            RunResult r = Kit.run(sched, 1 + (i % 4), () -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> c.send(n));
                c.recv();
                Go.go(() -> Go.sleepNanos(1_000_000_000L)); // left behind when main returns
            });
            assertOk(r);
        }
        long live = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("gort-") && t.isAlive())
                .count();
        assertEquals(0, live, "gort threads still alive");
    }
}
