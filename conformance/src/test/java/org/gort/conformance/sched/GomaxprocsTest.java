package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runtime.GOMAXPROCS(n) while the program runs (Go's procresize), under every scheduler: Ps
 * are destroyed and added with goroutines queued on them, running on them and blocked in
 * syscalls, and none is lost.
 */
class GomaxprocsTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    private static void assertOk(RunResult r) {
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void shrinkingAndGrowingWhileGoroutinesRunLosesNone(String sched) {
        List<String> seen = new ArrayList<>();
        AtomicLong work = new AtomicLong();
        assertOk(Kit.run(Kit.config(sched, 4).property("maxprocs", "6").build(), () -> {
            AtomicBoolean stop = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            org.gort.api.Mutex mu = new org.gort.api.Mutex();
            long[] shared = new long[1];
            for (int i = 0; i < 40; i++) {
                int k = i;
                wg.add(1);
                Go.go(() -> {
                    while (!stop.get()) {
                        switch (k % 4) {
                            case 0 -> Go.gosched();
                            case 1 -> Go.sleepNanos(50_000);
                            case 2 -> {
                                // A loop of short syscalls keeps its P (its M takes it back each
                                // time, and sysmon never sees the same syscall twice), and
                                // legacy-gm never preempts: on one P it must yield.
                                Go.syscall(() -> java.util.concurrent.locks.LockSupport.parkNanos(50_000));
                                Go.gosched();
                            }
                            default -> {
                                mu.lock();
                                shared[0]++;
                                mu.unlock();
                                Go.gosched(); // legacy-gm never preempts: on one P a loop must yield
                            }
                        }
                        work.incrementAndGet();
                    }
                    wg.done();
                });
            }
            int[] sizes = {1, 3, 6, 2, 5, 1, 4};
            int prev = Go.gomaxprocs();
            for (int n : sizes) {
                Go.sleep(Duration.ofMillis(3));
                int old = Go.gomaxprocs(n);
                synchronized (seen) {
                    seen.add(old + "->" + Go.gomaxprocs());
                }
                assertEquals(prev, old, "GOMAXPROCS(n) returns the previous setting");
                prev = n;
            }
            assertEquals(4, Go.gomaxprocs(0), "n < 1 only reads");
            assertEquals(4, Go.gomaxprocs());
            stop.set(true);
            wg.await();
        }));
        assertEquals(List.of("4->1", "1->3", "3->6", "6->2", "2->5", "5->1", "1->4"), seen);
        assertTrue(work.get() > 0);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aRequestAboveTheMaximumIsCappedAndTheRequesterMayLoseItsP(String sched) {
        assertOk(Kit.run(Kit.config(sched, 2).property("maxprocs", "3").build(), () -> {
            assertEquals(2, Go.gomaxprocs(100));
            assertEquals(3, Go.gomaxprocs());
            // Whatever P this goroutine runs on, shrinking to one P destroys the others: it goes on.
            for (int i = 0; i < 10; i++) {
                Go.gomaxprocs(i % 2 == 0 ? 1 : 3);
                Chan<Integer> c = Chan.make();
                Go.go(() -> c.send(1));
                assertEquals(1, (int) c.recv());
            }
        }));
    }

    /**
     * Several goroutines change GOMAXPROCS at once: one that waits for its turn to stop the
     * world may lose its P to another's shrink, and its turn then comes while it is runnable on
     * no P; the goroutines queued behind it must not keep every P from it (Go's semacquire
     * parks them). Five runs of 4 × 300 changes: before that, most hung.
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void severalGoroutinesResizingAtOnceNeverHang(String sched) {
        resizeFromSeveralGoroutines(sched, 4, 300, 5);
    }

    /**
     * An M that a stop held on a P, woken after a shrink destroyed that P, drops it at its next
     * look (StopTheWorld.stopAtSafepoint); a grow that re-adds the P in between must see either
     * the M still holding it or the P ownerless, never a P restarted for an M that has just let
     * it go (the next stop then waited for it for ever, or the deadlock check, miscounting,
     * declared "all goroutines are asleep"). Eight Ps, eight goroutines resizing: before the
     * fix 2 runs in 40 failed (a hang, a false deadlock), after it none in 120.
     */
    @Test
    void growsThatReAddAPDestroyedUnderAWakingMNeverHang() {
        resizeFromSeveralGoroutines("gmp", 8, 100, 40);
    }

    /**
     * {@code runs} runs at GOMAXPROCS=2 with room for {@code procs} Ps, in each of which
     * {@code procs} goroutines change GOMAXPROCS {@code changes} times each, between 1 and
     * {@code procs}, in staggered orders; every run must end OK.
     */
    private static void resizeFromSeveralGoroutines(String sched, int procs, int changes, int runs) {
        for (int run = 0; run < runs; run++) {
            assertOk(Kit.run(Kit.config(sched, 2).property("maxprocs", Integer.toString(procs)).build(), () -> {
                WaitGroup wg = new WaitGroup();
                for (int w = 0; w < procs; w++) {
                    int k = w;
                    wg.add(1);
                    Go.go(() -> {
                        for (int i = 0; i < changes; i++) {
                            Go.gomaxprocs(1 + (i * 7 + k * 3) % procs);
                        }
                        wg.done();
                    });
                }
                wg.await();
            }));
        }
    }

    /** From outside the program, as the shell's {@code gomaxprocs N} does: schedtrace shows the change. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void aRunningProgramCanBeResizedFromOutside(String sched) throws Exception {
        Chan<Boolean>[] release = new Chan[1];
        AtomicBoolean ready = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config(sched, 2).property("maxprocs", "4").build(), Kit.catalog(), () -> {
            release[0] = Chan.make();
            for (int i = 0; i < 8; i++) {
                Go.go(() -> {
                    for (int k = 0; k < 200; k++) {
                        Go.sleepNanos(100_000);
                    }
                });
            }
            ready.set(true);
            release[0].recv();
        });
        while (!ready.get()) {
            Thread.sleep(1);
        }
        assertEquals(2, h.gomaxprocs(4));
        assertTrue(h.status().contains("gomaxprocs=4"), h.status());
        assertEquals(4, h.gomaxprocs(1));
        assertTrue(h.status().contains("gomaxprocs=1"), h.status());
        h.stop("test over");
        RunResult r = h.await(Kit.TIMEOUT);
        assertEquals(RunStatus.STOPPED, r.status(), r.failure());
        assertEquals(2, (long) r.metrics().get("sched.procresizes", 0));
    }
}
