package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Cond;
import org.gort.api.Go;
import org.gort.api.GoPanic;
import org.gort.api.Mutex;
import org.gort.api.Pool;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.SyncMap;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sync.Cond, sync.Map, sync.Pool, the Mutex's starvation mode and runtime.Goexit, under every scheduler. */
class SyncExtrasTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    /**
     * Go 1.9's starvation mode, step by step on one P. A waiter that has waited more than 1 ms
     * and is beaten again by a barging goroutine switches the mutex to starvation mode; the next
     * unlock then hands the mutex to it, ahead of the barger's next lock. (In normal mode only,
     * the barger would take it again first; with a plain FIFO hand-off, it could not barge at all.)
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void aWaiterStarvedForOverOneMillisecondGetsTheMutexHandedOff(String sched) {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        assertOk(Kit.run(sched, 1, () -> {
            Mutex mu = new Mutex();
            Chan<Boolean> queued = Chan.make();
            Chan<Boolean> done = Chan.make(1);
            mu.lock();
            Go.go(() -> {
                queued.send(true);
                mu.lock(); // waits from here
                order.add("waiter");
                mu.unlock();
                done.send(true);
            });
            queued.recv();
            Go.sleep(Duration.ofMillis(2)); // the waiter parks on the mutex meanwhile
            assertFalse(mu.starving());
            mu.unlock(); // normal mode: wakes the waiter, which must compete
            order.add("barged=" + mu.tryLock()); // a running goroutine wins the race
            Go.sleep(Duration.ofMillis(2)); // the woken waiter, waiting > 1 ms, finds it locked
            assertTrue(mu.starving(), "the starved waiter switched the mutex to starvation mode");
            assertEquals(1, mu.starvations());
            mu.unlock(); // starvation mode: handed to the waiter
            mu.lock();
            order.add("barger again");
            assertFalse(mu.starving(), "the last waiter switched it back to normal mode");
            mu.unlock();
            done.recv();
        }));
        assertEquals(List.of("barged=true", "waiter", "barger again"), order);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void condSignalWakesOneInOrderAndBroadcastWakesAll(String sched) {
        List<Integer> woken = Collections.synchronizedList(new ArrayList<>());
        List<Integer> firstWoken = new ArrayList<>();
        assertOk(Kit.run(sched, 2, () -> {
            Mutex mu = new Mutex();
            Cond cond = new Cond(mu);
            boolean[] go = {false};
            WaitGroup done = new WaitGroup();
            Chan<Boolean> inWait = Chan.make();
            Chan<Integer> woke = Chan.make(5);
            for (int i = 0; i < 5; i++) {
                int id = i;
                done.add(1);
                Go.go(() -> {
                    mu.lock();
                    inWait.send(true); // one at a time: waiters take their tickets in this order
                    while (!go[0]) {
                        cond.await();
                    }
                    woken.add(id);
                    mu.unlock();
                    woke.send(id);
                    done.done();
                });
                inWait.recv();
            }
            mu.lock(); // the last waiter has its ticket once it let go of the lock
            go[0] = true;
            mu.unlock();
            cond.signal(); // the longest waiter only
            firstWoken.add(woke.recv());
            assertEquals(0, woke.len(), "signal woke one goroutine");
            cond.broadcast();
            done.await();
            cond.broadcast(); // nobody waits: a no-op
            cond.signal();
        }));
        assertEquals(List.of(0), firstWoken, "signal woke the longest waiter");
        assertEquals(5, woken.size());
    }

    /** A signal sent between a waiter's ticket and its park is not lost (the classic lost wake-up). */
    @ParameterizedTest
    @MethodSource("schedulers")
    void condProducerConsumerLosesNoWakeups(String sched) {
        long[] sum = new long[1];
        assertOk(Kit.run(sched, 4, () -> {
            Mutex mu = new Mutex();
            Cond notEmpty = new Cond(mu);
            java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
            WaitGroup wg = new WaitGroup();
            for (int c = 0; c < 4; c++) {
                wg.add(1);
                Go.go(() -> {
                    for (int k = 0; k < 500; k++) {
                        mu.lock();
                        while (q.isEmpty()) {
                            notEmpty.await();
                        }
                        sum[0] += q.poll();
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            for (int i = 1; i <= 2000; i++) {
                mu.lock();
                q.add(i);
                mu.unlock();
                notEmpty.signal();
                if (i % 64 == 0) {
                    Go.gosched();
                }
            }
            wg.await();
        }));
        assertEquals(2000L * 2001 / 2, sum[0]);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void syncMapUnderConcurrentGoroutines(String sched) {
        TreeMap<Integer, Integer> seen = new TreeMap<>();
        assertOk(Kit.run(sched, 4, () -> {
            SyncMap<Integer, Integer> m = new SyncMap<>();
            WaitGroup wg = new WaitGroup();
            AtomicInteger firstStores = new AtomicInteger();
            for (int w = 0; w < 8; w++) {
                wg.add(1);
                Go.go(() -> {
                    for (int k = 0; k < 200; k++) {
                        if (!m.loadOrStoreLoaded(k, k * 10)) {
                            firstStores.incrementAndGet();
                        }
                        assertEquals(k * 10, (int) m.load(k));
                        if ((k & 7) == 0) {
                            Go.gosched();
                        }
                    }
                    wg.done();
                });
            }
            wg.await();
            assertEquals(200, firstStores.get(), "each key stored exactly once");
            for (int k = 0; k < 200; k += 2) {
                m.delete(k);
            }
            assertNull(m.load(0));
            assertFalse(m.containsKey(0));
            assertEquals(30, (int) m.swap(3, 33));
            assertTrue(m.compareAndSwap(3, 33, 333));
            assertFalse(m.compareAndSwap(3, 33, 3333));
            assertFalse(m.compareAndDelete(5, 0));
            assertTrue(m.compareAndDelete(5, 50));
            assertEquals(70, (int) m.loadAndDelete(7));
            assertNull(m.loadAndDelete(7));
            m.store(1000, null); // a stored null is a value
            assertTrue(m.containsKey(1000));
            m.store(0, 1); // revives a deleted key
            m.range((k, v) -> {
                seen.put(k, v);
                return true;
            });
            int[] visited = {0};
            m.range((k, v) -> ++visited[0] < 3);
            assertEquals(3, visited[0], "range stops when f returns false");
        }));
        assertEquals(1, seen.get(0));
        assertEquals(333, seen.get(3));
        assertFalse(seen.containsKey(5));
        assertFalse(seen.containsKey(7));
        assertTrue(seen.containsKey(1000));
        assertNull(seen.get(1000));
        assertEquals(1 + 100 - 2 + 1, seen.size()); // 0, the 100 odd keys less 5 and 7, and 1000
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void poolReturnsWhatWasPutOnTheSameP(String sched) {
        assertOk(Kit.run(sched, 4, () -> {
            AtomicInteger made = new AtomicInteger();
            Pool<StringBuilder> pool = new Pool<>(() -> {
                made.incrementAndGet();
                return new StringBuilder();
            });
            StringBuilder a = pool.get();
            assertEquals(1, made.get());
            pool.put(a);
            assertSame(a, pool.get(), "the P's private slot");
            StringBuilder b = new StringBuilder();
            pool.put(a); // the private slot
            pool.put(b); // the shared deque: other Ps may steal it, as in Go
            Chan<Object> fromOther = Chan.make();
            Go.go(() -> fromOther.send(pool.get())); // the same P's private slot, or a steal
            Object got = fromOther.recv();
            assertTrue(got == a || got == b, "a pooled object, not a new one");
            assertEquals(1, made.get());
            assertNull(new Pool<String>().get(), "no New: null when empty");
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 16; i++) {
                wg.add(1);
                Go.go(() -> {
                    for (int k = 0; k < 100; k++) {
                        StringBuilder sb = pool.get();
                        sb.setLength(0);
                        sb.append(k);
                        pool.put(sb);
                        Go.checkpoint();
                    }
                    wg.done();
                });
            }
            wg.await();
            assertTrue(made.get() <= 17, "the pool reused its objects: made " + made.get());
        }));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void goexitRunsFinallyBlocksAndIsNotAPanic(String sched) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                try {
                    try {
                        events.add("before");
                        throw Go.goexit();
                    } catch (GoPanic p) {
                        events.add("recovered"); // recover() returns nil during Goexit
                    } catch (RuntimeException e) {
                        events.add("caught " + e);
                    } finally {
                        events.add("deferred 1");
                    }
                } finally {
                    events.add("deferred 2");
                    done.send(true);
                }
            });
            done.recv();
        }));
        assertEquals(List.of("before", "deferred 1", "deferred 2"), events);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void goexitInMainLetsTheOthersFinishThenFails(String sched) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        RunResult r = Kit.run(sched, 2, () -> {
            Go.go(() -> {
                Go.sleep(Duration.ofMillis(5));
                events.add("worker finished after main's Goexit");
            });
            try {
                Go.goexit();
            } finally {
                events.add("main's deferred call");
            }
        });
        assertEquals(RunStatus.DEADLOCK, r.status(), r.failure());
        assertEquals("fatal error: no goroutines (main called runtime.Goexit) - deadlock!", r.failureHeadline());
        assertEquals(List.of("main's deferred call", "worker finished after main's Goexit"), events);

        RunResult blocked = Kit.run(sched, 1, () -> {
            Go.go(() -> Chan.nil().recv());
            Go.goexit();
        });
        assertEquals(RunStatus.DEADLOCK, blocked.status(), blocked.failure());
        assertEquals("fatal error: all goroutines are asleep - deadlock!", blocked.failureHeadline());
    }
}
