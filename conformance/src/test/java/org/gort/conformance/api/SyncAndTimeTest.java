package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Mutex;
import org.gort.api.Once;
import org.gort.api.RWMutex;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Timer;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sync and time semantics, under every scheduler. */
class SyncAndTimeTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    /** 10 000 goroutines increment an unsynchronised counter under a Mutex: no update is lost. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void mutexGivesMutualExclusionToTenThousandGoroutines(String sched) {
        long[] counter = new long[1];
        int[] maxInside = new int[1];
        assertOk(Kit.run(sched, 4, () -> {
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            int[] inside = new int[1];
            for (int i = 0; i < 10_000; i++) {
                wg.add(1);
                Go.go(() -> {
                    for (int k = 0; k < 10; k++) {
                        mu.lock();
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        long v = counter[0];
                        if ((k & 3) == 0) {
                            Go.gosched(); // yield inside the critical section
                        }
                        counter[0] = v + 1;
                        inside[0]--;
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            wg.await();
        }));
        assertEquals(100_000, counter[0]);
        assertEquals(1, maxInside[0]);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void unlockOfUnlockedMutexIsFatal(String sched) {
        RunResult r = Kit.run(sched, 1, () -> new Mutex().unlock());
        assertEquals(RunStatus.FATAL, r.status());
        assertEquals("fatal error: sync: unlock of unlocked mutex", r.failureHeadline());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void rwMutexAdmitsReadersTogetherAndWritersAlone(String sched) {
        int[] maxReaders = new int[1];
        boolean[] overlap = new boolean[1];
        assertOk(Kit.run(sched, 4, () -> {
            RWMutex rw = new RWMutex();
            AtomicInteger readers = new AtomicInteger();
            AtomicInteger writers = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 200; i++) {
                boolean writer = i % 10 == 0;
                wg.add(1);
                Go.go(() -> {
                    if (writer) {
                        rw.lock();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            overlap[0] = true;
                        }
                        Go.gosched();
                        writers.decrementAndGet();
                        rw.unlock();
                    } else {
                        rw.rlock();
                        int n = readers.incrementAndGet();
                        synchronized (maxReaders) {
                            maxReaders[0] = Math.max(maxReaders[0], n);
                        }
                        if (writers.get() != 0) {
                            overlap[0] = true;
                        }
                        Go.gosched();
                        readers.decrementAndGet();
                        rw.runlock();
                    }
                    wg.done();
                });
            }
            wg.await();
        }));
        assertTrue(!overlap[0], "a writer overlapped another holder");
        assertTrue(maxReaders[0] >= 1);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void waitGroupWaitsForAllAndNegativeCounterPanics(String sched) {
        AtomicInteger done = new AtomicInteger();
        assertOk(Kit.run(sched, 2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100; i++) {
                wg.add(1);
                Go.go(() -> {
                    Go.sleepNanos(100_000);
                    done.incrementAndGet();
                    wg.done();
                });
            }
            wg.await();
            assertEquals(100, done.get());
        }));
        RunResult r = Kit.run(sched, 1, () -> new WaitGroup().done());
        assertEquals(RunStatus.PANIC, r.status());
        assertEquals("panic: sync: negative WaitGroup counter", r.failureHeadline());
    }

    /**
     * Many waiters and many Done calls on four Ps, the group reused round after round: every
     * waiter must return, and only once the counter is zero (Go's lock-free Add against the
     * waiters' registration; a lost wake-up would end the run in a deadlock report).
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void waitGroupWakesEveryWaiterAcrossRoundsOfConcurrentDone(String sched) {
        AtomicInteger early = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        int rounds = 200;
        int waiters = 8;
        int doers = 16;
        assertOk(Kit.run(sched, 4, () -> {
            WaitGroup wg = new WaitGroup();
            for (int round = 0; round < rounds; round++) {
                AtomicInteger pending = new AtomicInteger(doers);
                WaitGroup all = new WaitGroup();
                wg.add(doers);
                all.add(waiters + doers);
                for (int w = 0; w < waiters; w++) {
                    Go.go(() -> {
                        wg.await();
                        if (pending.get() != 0) {
                            early.incrementAndGet();
                        }
                        returned.incrementAndGet();
                        all.done();
                    });
                }
                for (int d = 0; d < doers; d++) {
                    int id = d;
                    Go.go(() -> {
                        if (id % 3 == 0) {
                            Go.gosched();
                        }
                        pending.decrementAndGet();
                        wg.done();
                        all.done();
                    });
                }
                all.await();
            }
        }));
        assertEquals(0, early.get(), "a waiter returned before the counter reached zero");
        assertEquals(rounds * waiters, returned.get());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void onceRunsItsFunctionOnceForConcurrentCallers(String sched) {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger returned = new AtomicInteger();
        assertOk(Kit.run(sched, 4, () -> {
            Once once = new Once();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100; i++) {
                wg.add(1);
                Go.go(() -> {
                    once.run(() -> {
                        Go.sleepNanos(1_000_000);
                        calls.incrementAndGet();
                    });
                    // every caller returns only after the function completed
                    if (calls.get() == 1) {
                        returned.incrementAndGet();
                    }
                    wg.done();
                });
            }
            wg.await();
        }));
        assertEquals(1, calls.get());
        assertEquals(100, returned.get());
    }

    /**
     * Timers fire in deadline order: each goroutine receives its timer's fire time (taken by
     * the timer as it fires), so the check does not depend on how fast goroutines run after.
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void timersFireInDeadlineOrder(String sched) {
        long[] firedAt = new long[5];
        int[] delaysMs = {30, 10, 50, 20, 40};
        assertOk(Kit.run(sched, 2, () -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < delaysMs.length; i++) {
                int k = i;
                wg.add(1);
                Go.go(() -> {
                    firedAt[k] = Go.after(Duration.ofMillis(delaysMs[k])).recv();
                    wg.done();
                });
            }
            wg.await();
        }));
        List<Integer> byFireTime = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        byFireTime.sort((a, b) -> Long.compare(firedAt[a], firedAt[b]));
        List<Integer> delaysInFireOrder = byFireTime.stream().map(i -> delaysMs[i]).toList();
        assertEquals(List.of(10, 20, 30, 40, 50), delaysInFireOrder);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void afterChannelAndTimerStop(String sched) {
        boolean[] results = new boolean[3];
        assertOk(Kit.run(sched, 1, () -> {
            long t0 = System.nanoTime();
            long fired = Go.after(Duration.ofMillis(5)).recv();
            results[0] = fired - t0 >= 5_000_000;
            Timer t = Go.newTimer(Duration.ofHours(1));
            results[1] = t.stop();
            results[2] = !t.stop();
        }));
        assertTrue(results[0], "after() fired early");
        assertTrue(results[1], "stop of a pending timer returns true");
        assertTrue(results[2], "second stop returns false");
    }

    /** With one P, a sleeping goroutine must not hold it: the other one keeps running. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void sleepDoesNotBlockOtherGoroutines(String sched) {
        long[] progress = new long[1];
        assertOk(Kit.run(sched, 1, () -> {
            Chan<Boolean> stop = Chan.make(1);
            Go.go(() -> {
                Go.sleep(Duration.ofMillis(50));
                stop.send(true);
            });
            while (stop.len() == 0) {
                progress[0]++;
                Go.gosched();
            }
        }));
        assertTrue(progress[0] > 10, "the busy goroutine ran " + progress[0] + " rounds while the other slept");
    }
}
