package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runtime.LockOSThread under every scheduler (Go's lockedm/lockedg hand-off, done by the
 * kernel's M loop, so no strategy knows about it): a locked goroutine observes one thread
 * across every kind of wait, that thread runs no other goroutine meanwhile, the others keep
 * running, unlocking releases the thread, and a goroutine that exits locked takes its thread
 * with it.
 */
class LockOSThreadTest {

    static java.util.stream.Stream<Arguments> schedulersAndProcs() {
        return Kit.schedulers().flatMap(s -> java.util.stream.Stream.of(Arguments.of(s, 1), Arguments.of(s, 2)));
    }

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    private static void assertOk(RunResult r) {
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @ParameterizedTest(name = "{0}, GOMAXPROCS={1}")
    @MethodSource("schedulersAndProcs")
    void lockedGoroutineKeepsItsThreadAcrossEveryWait(String sched, int procs) {
        List<String> moved = new ArrayList<>();
        Set<Long> othersThreads = ConcurrentHashMap.newKeySet();
        AtomicLong othersWork = new AtomicLong();
        long[] lockedTid = new long[1];
        assertOk(Kit.run(Kit.config(sched, procs).build(), () -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Chan<Boolean> locked = Chan.make();
            Chan<Boolean> finished = Chan.make();
            Chan<Boolean> release = Chan.make();
            AtomicBoolean stop = new AtomicBoolean();
            Go.go(() -> { // the partner: the locked goroutine blocks on it
                for (Integer v; (v = ping.recv()) != null; ) {
                    pong.send(v);
                }
            });
            Go.go(() -> {
                Go.lockOSThread();
                long tid = Go.gettid();
                lockedTid[0] = tid;
                locked.close();
                String[] waits = {"chan", "sleep", "gosched", "syscall", "preempted"};
                for (int i = 0; i < 15; i++) {
                    for (String w : waits) {
                        switch (w) {
                            case "chan" -> {
                                ping.send(i);
                                pong.recv();
                            }
                            case "sleep" -> Go.sleepNanos(200_000);
                            case "gosched" -> Go.gosched();
                            case "syscall" -> Go.syscall(() -> LockSupport.parkNanos(300_000));
                            default -> { // long enough for sysmon to preempt it (legacy-gm never does)
                                long end = System.nanoTime() + 2_000_000;
                                while (System.nanoTime() < end) {
                                    Go.checkpoint();
                                }
                            }
                        }
                        if (Go.gettid() != tid) {
                            synchronized (moved) {
                                moved.add(w + " #" + i);
                            }
                        }
                    }
                }
                ping.close();
                finished.close();
                release.recv();
                Go.unlockOSThread();
            });
            locked.recv();
            WaitGroup wg = new WaitGroup();
            for (int k = 0; k < 4; k++) {
                int kind = k;
                wg.add(1);
                Go.go(() -> {
                    while (!stop.get()) {
                        othersThreads.add(Go.gettid());
                        othersWork.incrementAndGet();
                        if (kind % 2 == 0) {
                            Go.gosched();
                        } else {
                            Go.sleepNanos(100_000);
                        }
                    }
                    wg.done();
                });
            }
            finished.recv();
            stop.set(true);
            await(wg);
            release.send(true);
        }));
        assertTrue(moved.isEmpty(), "the locked goroutine ran on another thread after: " + moved);
        assertTrue(othersWork.get() > 0, "no other goroutine ran while one was locked");
        assertFalse(othersThreads.contains(lockedTid[0]), "another goroutine ran on the locked goroutine's thread");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void unlockingAsOftenAsLockingReleasesTheThread(String sched) {
        AtomicBoolean sharedAfterUnlock = new AtomicBoolean();
        List<String> problems = new ArrayList<>();
        assertOk(Kit.run(Kit.config(sched, 1).build(), () -> {
            AtomicLong tid = new AtomicLong(-1);
            AtomicBoolean unlocked = new AtomicBoolean();
            AtomicBoolean done = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(() -> {
                Go.lockOSThread();
                Go.lockOSThread(); // nested: two unlocks undo it
                tid.set(Go.gettid());
                Go.unlockOSThread();
                for (int i = 0; i < 50; i++) {
                    Go.gosched();
                    if (Go.gettid() != tid.get()) {
                        synchronized (problems) {
                            problems.add("moved while still locked once");
                        }
                    }
                }
                Go.unlockOSThread();
                Go.unlockOSThread(); // one too many: a no-op, as in Go
                unlocked.set(true);
                // One P and no syscalls: the P stays on this M, which now runs the other goroutine too.
                for (int i = 0; i < 10_000 && !sharedAfterUnlock.get(); i++) {
                    Go.gosched();
                }
                done.set(true);
                wg.done();
            });
            Go.go(() -> {
                while (!done.get()) {
                    long me = Go.gettid();
                    if (me == tid.get()) {
                        if (unlocked.get()) {
                            sharedAfterUnlock.set(true);
                        } else {
                            synchronized (problems) {
                                problems.add("ran on the locked thread");
                            }
                        }
                    }
                    Go.gosched();
                }
                wg.done();
            });
            await(wg);
        }));
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(sharedAfterUnlock.get(), "after the last unlock no other goroutine ran on the thread");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void goroutineThatExitsLockedTakesItsThreadWithIt(String sched) {
        long[] tid = new long[1];
        AtomicLong after = new AtomicLong();
        assertOk(Kit.run(Kit.config(sched, 2).build(), () -> {
            Chan<Long> c = Chan.make();
            Go.go(() -> {
                Go.lockOSThread();
                Go.sleepNanos(100_000);
                c.send(Go.gettid());
            }); // exits locked
            tid[0] = c.recv();
            for (int i = 0; i < 10_000 && threadAlive(tid[0]); i++) {
                Go.sleep(Duration.ofMillis(1));
            }
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 8; i++) {
                wg.add(1);
                Go.go(() -> {
                    Go.gosched();
                    after.incrementAndGet();
                    wg.done();
                });
            }
            await(wg);
        }));
        assertFalse(threadAlive(tid[0]), "the thread of a goroutine that exited locked is still alive");
        assertEquals(8, after.get());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void scheddetailShowsTheLock(String sched) {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] gid = new long[1];
        assertOk(Kit.run(Kit.config(sched, 2).schedtrace(5).scheddetail(true).trace(lines::add).build(), () -> {
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                Go.lockOSThread();
                gid[0] = Go.goid();
                for (int i = 0; i < 400 && !sawLock(lines, gid[0]); i++) {
                    Go.sleep(Duration.ofMillis(2)); // waiting: its M is parked, locked
                }
                done.close();
            });
            done.recv();
        }));
        assertTrue(sawLock(lines, gid[0]), "no scheddetail showed goroutine " + gid[0] + " locked:\n" + String.join("\n", lines));
    }

    /** An M line {@code lockedg=<gid>} and the G line {@code lockedm=} naming that M. */
    private static boolean sawLock(List<String> lines, long gid) {
        synchronized (lines) {
            for (String block : lines) {
                Matcher m = Pattern.compile("\\n  M(\\d+): .* lockedg=" + gid + "\\b").matcher(block);
                if (m.find() && Pattern.compile("\\n  G" + gid + ": status=\\d+\\([^)]*\\) m=-?\\d+ lockedm=" + m.group(1) + "\\b")
                        .matcher(block).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean threadAlive(long tid) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.threadId() == tid && t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private static void await(WaitGroup wg) {
        wg.await();
    }
}
