package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Recv;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Select;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's channel and select semantics, under every scheduler. */
class ChannelTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    static void assertOk(RunResult r) {
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void unbufferedSendIsARendezvous(String sched) {
        List<String> events = new ArrayList<>();
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Boolean> sent = Chan.make(1);
            Go.go(() -> {
                c.send(7);
                sent.send(true);
            });
            // The sender cannot complete before we receive: its completion signal is not there yet.
            Go.sleepNanos(5_000_000);
            synchronized (events) {
                events.add("sent-before-recv=" + (sent.len() > 0));
            }
            int v = c.recv();
            sent.recv();
            synchronized (events) {
                events.add("got " + v);
            }
        }));
        assertEquals(List.of("sent-before-recv=false", "got 7"), events);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void bufferedChannelIsFifoAndReportsLenAndCap(String sched) {
        List<Integer> got = new ArrayList<>();
        int[] lenCap = new int[2];
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> c = Chan.make(100);
            for (int i = 0; i < 100; i++) {
                c.send(i);
            }
            lenCap[0] = c.len();
            lenCap[1] = c.cap();
            c.close();
            c.forEach(got::add);
        }));
        assertEquals(100, lenCap[0]);
        assertEquals(100, lenCap[1]);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, got.get(i));
        }
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void closeWakesEveryReceiverWithZeroValueAndNotOk(String sched) {
        AtomicInteger woken = new AtomicInteger();
        AtomicInteger okCount = new AtomicInteger();
        assertOk(Kit.run(sched, 4, () -> {
            Chan<String> c = Chan.make();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < RECEIVERS; i++) {
                wg.add(1);
                Go.go(() -> {
                    Recv<String> r = c.recv2();
                    if (r.ok() || r.value() != null) {
                        okCount.incrementAndGet();
                    }
                    woken.incrementAndGet();
                    wg.done();
                });
            }
            while (Go.numGoroutine() < RECEIVERS + 1) {
                Go.gosched();
            }
            Go.sleepNanos(2_000_000);
            c.close();
            wg.await();
            Recv<String> again = c.recv2();
            assertNull(again.value());
            assertFalse(again.ok());
        }));
        assertEquals(RECEIVERS, woken.get());
        assertEquals(0, okCount.get());
    }

    /** More than three of close's wake-up batches (it readies 256 at a time, lock released between). */
    private static final int RECEIVERS = 1000;

    @ParameterizedTest
    @MethodSource("schedulers")
    void sendOnClosedChannelPanicsWithGosWords(String sched) {
        RunResult r = Kit.run(sched, 1, () -> {
            Chan<Integer> c = Chan.make(1);
            c.close();
            c.send(1);
        });
        assertEquals(RunStatus.PANIC, r.status());
        assertTrue(r.failure().startsWith("panic: send on closed channel\n\ngoroutine 1 [running]:"), r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void closeOfClosedChannelPanics(String sched) {
        RunResult r = Kit.run(sched, 1, () -> {
            Chan<Integer> c = Chan.make();
            c.close();
            c.close();
        });
        assertEquals(RunStatus.PANIC, r.status());
        assertEquals("panic: close of closed channel", r.failureHeadline());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void blockedSenderPanicsWhenTheChannelIsClosed(String sched) {
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Boolean> started = Chan.make(1);
            Go.go(() -> {
                started.send(true);
                c.send(1);
            });
            started.recv();
            Go.sleepNanos(2_000_000);
            c.close();
            Go.sleepNanos(1_000_000_000L);
        });
        assertEquals(RunStatus.PANIC, r.status());
        assertEquals("panic: send on closed channel", r.failureHeadline());
        assertTrue(r.failure().contains("goroutine 2 [running]"), r.failure());
    }

    /**
     * Go picks uniformly among ready cases. With two always-ready cases, 2 000 selects give
     * each about 1 000 wins; the bounds are eight standard deviations wide, so the test cannot
     * flake while a biased choice (say 70/30) still fails it.
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void selectChoosesUniformlyAmongReadyCases(String sched) {
        int[] wins = new int[2];
        assertOk(Kit.run(sched, 1, () -> {
            Chan<Integer> a = Chan.make(1);
            Chan<Integer> b = Chan.make(1);
            for (int i = 0; i < 2000; i++) {
                a.send(1);
                b.send(2);
                int k = Select.create().recv(a, (v, ok) -> { }).recv(b, (v, ok) -> { }).run();
                wins[k]++;
                // drain the other so both are ready again next round
                if (k == 0) {
                    b.recv();
                } else {
                    a.recv();
                }
            }
        }));
        assertEquals(2000, wins[0] + wins[1]);
        assertTrue(wins[0] > 820 && wins[0] < 1180, "case 0 won " + wins[0] + " of 2000");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void selectTakesDefaultWhenNothingIsReadyAndBlocksOtherwise(String sched) {
        List<String> events = new ArrayList<>();
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> out = Chan.make();
            int k = Select.create().recv(c, (v, ok) -> events.add("recv")).orDefault(() -> events.add("default")).run();
            events.add("k=" + k);
            Go.go(() -> {
                Go.sleepNanos(2_000_000);
                c.send(42);
            });
            Select.create()
                    .recv(c, (v, ok) -> events.add("got " + v + " " + ok))
                    .send(out, 1, () -> events.add("sent"))
                    .run();
        }));
        assertEquals(List.of("default", "k=-1", "got 42 true"), events);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void selectSendAndReceiveBetweenManyGoroutines(String sched) {
        long[] sum = new long[1];
        assertOk(Kit.run(sched, 4, () -> {
            Chan<Integer> work = Chan.make();
            Chan<Integer> results = Chan.make(8);
            Chan<Boolean> quit = Chan.make();
            for (int w = 0; w < 8; w++) {
                Go.go(() -> {
                    boolean[] done = new boolean[1];
                    while (!done[0]) {
                        Select.create()
                                .recv(work, (v, ok) -> results.send(v * 2))
                                .recv(quit, (v, ok) -> done[0] = true)
                                .run();
                    }
                });
            }
            Go.go(() -> {
                for (int i = 1; i <= 1000; i++) {
                    work.send(i);
                }
            });
            for (int i = 0; i < 1000; i++) {
                sum[0] += results.recv();
            }
            quit.close();
        }));
        assertEquals(1000L * 1001, sum[0]);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void selectOnClosedChannelReceivesNotOk(String sched) {
        boolean[] seen = new boolean[2];
        assertOk(Kit.run(sched, 1, () -> {
            Chan<Integer> c = Chan.make();
            c.close();
            Select.create().recv(c, (v, ok) -> {
                seen[0] = true;
                seen[1] = ok;
            }).run();
        }));
        assertTrue(seen[0]);
        assertFalse(seen[1]);
    }
}
