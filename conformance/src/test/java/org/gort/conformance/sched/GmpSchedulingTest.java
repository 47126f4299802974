package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * The GMP scheduler's behaviour on the real kernel (Go 1.1+, {@code runtime/proc.go}):
 * sysmon preemption, the runnext time slice, syscall hand-off and work stealing. Each program
 * can only finish if the behaviour is there; without it a goroutine stays runnable and the
 * watchdog (lowered here to {@value #WATCHDOG_SECONDS} s) fails the run. Assertions are on
 * counts, never on elapsed time.
 */
class GmpSchedulingTest {
    private static final long WATCHDOG_SECONDS = 10;

    private static RuntimeConfig.Builder gmp(int gomaxprocs) {
        return Kit.config("gmp", gomaxprocs).watchdogNanos(WATCHDOG_SECONDS * 1_000_000_000L);
    }

    private static void assertOk(RunResult r) {
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    private static long metric(RunResult r, String name) {
        return (long) r.metrics().get(name, 0);
    }

    /**
     * GOMAXPROCS=1: main yields to a goroutine that loops on {@code checkpoint()} until main
     * sets a flag. Only sysmon's preemption after {@code forcePreemptNS} lets main run again.
     */
    @Test
    void aCheckpointLoopIsPreemptedSoOthersRun() {
        AtomicLong spins = new AtomicLong();
        RunResult r = Kit.run(gmp(1).build(), () -> {
            AtomicBoolean stop = new AtomicBoolean();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                while (!stop.get()) {
                    spins.incrementAndGet();
                    Go.checkpoint();
                }
                done.send(true);
            });
            Go.gosched(); // the spinner runs from runnext; main waits in the global queue
            stop.set(true);
            done.recv();
        });
        assertOk(r);
        assertTrue(spins.get() > 0, "the spinner ran before main came back");
        assertTrue(metric(r, "sched.preemptions") >= 1, "main ran again because the spinner was preempted: " + r.metrics().values());
    }

    /** {@code gmp.forcePreemptNS} tunes the slice; a shorter one still preempts the loop. */
    @Test
    void forcePreemptNSIsConfigurable() {
        RunResult r = Kit.run(gmp(1).property("gmp.forcePreemptNS", 1_000_000L).build(), () -> {
            AtomicBoolean stop = new AtomicBoolean();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                while (!stop.get()) {
                    Go.checkpoint();
                }
                done.send(true);
            });
            Go.gosched();
            stop.set(true);
            done.recv();
        });
        assertOk(r);
        assertTrue(metric(r, "sched.preemptions") >= 1, r.metrics().values().toString());
    }

    /**
     * GOMAXPROCS=1: a ping-pong pair hands the P back and forth through runnext for ever, and a
     * third goroutine waits in the local ring behind it. The pair inherits one time slice
     * ({@code inheritTime}), so sysmon preempts it after {@code forcePreemptNS} and the third
     * goroutine runs; if every switch started a new slice, the pair would hold the P for ever.
     */
    @Test
    void aRunnextPingPongPairSharesOneTimeSliceAndIsPreempted() {
        AtomicLong rounds = new AtomicLong();
        RunResult r = Kit.run(gmp(1).build(), () -> {
            AtomicBoolean stop = new AtomicBoolean();
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Chan<Boolean> done = Chan.make(2);
            Go.go(() -> { // pong: echoes until told to stop
                while (true) {
                    int v = ping.recv();
                    if (v < 0) {
                        done.send(true);
                        return;
                    }
                    pong.send(v);
                }
            });
            Go.go(() -> { // ping: plays, and once the pair is going starts the third goroutine
                for (int i = 0; !stop.get(); i++) {
                    ping.send(i); // parks until pong takes it; resumes from runnext, which is now empty
                    if (i == 1) {
                        // Into runnext; the receive below readies pong (parked in its send),
                        // which kicks this G to the ring, behind the pair.
                        Go.go(() -> stop.set(true));
                    }
                    pong.recv();
                    rounds.incrementAndGet();
                }
                ping.send(-1);
                done.send(true);
            });
            done.recv();
            done.recv();
        });
        assertOk(r);
        assertTrue(rounds.get() > 1, "the pair played");
        assertTrue(metric(r, "sched.preemptions") >= 1, "the pair was preempted: " + r.metrics().values());
    }

    /**
     * GOMAXPROCS=1: main blocks in a syscall that only another goroutine can end, and that
     * goroutine waits (yielding) until the syscall has begun. The P stays with the syscall
     * (Go 1.1+ {@code entersyscall}) until sysmon retakes it, since no P is idle and no M spins,
     * and {@code handoffp} gives it to another M.
     */
    @Test
    void aBlockingSyscallHandsThePOffSoOthersRun() {
        RunResult r = Kit.run(gmp(1).build(), () -> {
            AtomicBoolean inSyscall = new AtomicBoolean();
            CountDownLatch released = new CountDownLatch(1);
            Go.go(() -> {
                while (!inSyscall.get()) {
                    Go.gosched(); // main may not have reached the syscall yet (it may have been preempted)
                }
                released.countDown();
            });
            Go.syscall(() -> {
                inSyscall.set(true);
                try {
                    released.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        });
        assertOk(r);
        assertTrue(metric(r, "sched.retakes") >= 1, "sysmon retook the P: " + r.metrics().values());
        assertTrue(metric(r, "sched.handoffs") >= 1, "handoffp gave it to another M: " + r.metrics().values());
    }

    /**
     * GOMAXPROCS=2: main fills its P's local queue and then holds the P in a loop with no
     * safepoint, so it cannot be preempted. The goroutines can only run if the M that
     * {@code wakep} started on the other P steals them.
     */
    @Test
    void anIdlePStealsFromABusyOne() {
        final int n = 100;
        AtomicInteger ran = new AtomicInteger();
        AtomicBoolean sawAll = new AtomicBoolean();
        RunResult r = Kit.run(gmp(2).build(), () -> {
            for (int i = 0; i < n; i++) {
                Go.go(ran::incrementAndGet);
            }
            // No runtime call in this loop: only thieves can run the goroutines. The deadline
            // only bounds the failure case, where nobody steals.
            long deadline = System.nanoTime() + WATCHDOG_SECONDS * 1_000_000_000L;
            while (ran.get() < n && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            sawAll.set(ran.get() == n);
        });
        assertOk(r);
        assertTrue(sawAll.get(), "every goroutine ran while main held its P: " + ran.get() + " of " + n);
        // Main may be preempted at a Go.go call while creating them (a cold JIT is slow), and its
        // P then runs a few itself; whatever was queued when the loop began had to be stolen.
        assertTrue(metric(r, "sched.steals") >= 1, r.metrics().values().toString());
        assertTrue(metric(r, "sched.stolen") >= metric(r, "sched.steals"), r.metrics().values().toString());
    }
    /**
     * GOMAXPROCS=2: one goroutine stops the world 200 times ({@code runtime.GC()}) while main
     * keeps creating goroutines, whose readies wake the idle P's M. A stop that finds a P handed
     * to an M whose thread has not run yet takes the P back ({@code stw.reclaimed.ps}); that M
     * must go back on the idle list, or each such stop strands it and the next wake-up creates a
     * thread. (Skipped if no stop ever met such an M: the race needs a busy machine.)
     */
    @Test
    void aStopThatTakesBackAWakingMsPLeavesThatMIdleForReuse() {
        long reclaimed = 0;
        for (int attempt = 0; attempt < 3 && reclaimed == 0; attempt++) {
            RunResult r = Kit.run(gmp(2).build(), () -> {
                AtomicBoolean done = new AtomicBoolean();
                WaitGroup collector = new WaitGroup();
                collector.add(1);
                Go.go(() -> {
                    for (int i = 0; i < 200; i++) {
                        Heap.gc();
                    }
                    done.set(true);
                    collector.done();
                });
                while (!done.get()) {
                    WaitGroup batch = new WaitGroup();
                    batch.add(4);
                    for (int i = 0; i < 4; i++) {
                        Go.go(batch::done);
                    }
                    batch.await();
                    Go.sleep(Duration.ofNanos(20_000));
                }
                collector.await();
            });
            assertOk(r);
            reclaimed = metric(r, "stw.reclaimed.ps");
            long created = metric(r, "sched.ms.created");
            assertTrue(created <= 8, () -> created + " Ms created for 2 Ps: Ms whose P a stop took back were "
                    + "stranded (" + metric(r, "stw.reclaimed.ps") + " taken back)");
        }
        assumeTrue(reclaimed > 0, "no stop met an M handed a P and not yet running");
    }

    /**
     * A procresize replaces the scheduler instance (as a live leak analysis does); gmp's own
     * counters still cover the whole run. GOMAXPROCS=1, 500 round trips, a resize to 2 and back
     * (two new instances), 500 more: every hand-off at one P runs the readied G from runnext.
     */
    @Test
    void itsCountersSpanTheInstancesAResizeMakes() {
        int trips = 500;
        RunResult r = Kit.run(gmp(1).property("maxprocs", "2").build(), () -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Go.go(() -> {
                for (int i = 0; i < 2 * trips; i++) {
                    pong.send(ping.recv());
                }
            });
            for (int i = 0; i < trips; i++) {
                ping.send(i);
                pong.recv();
            }
            Go.gomaxprocs(2);
            Go.gomaxprocs(1);
            for (int i = 0; i < trips; i++) {
                ping.send(i);
                pong.recv();
            }
        });
        assertOk(r);
        assertEquals(2, metric(r, "sched.procresizes"), r.metrics().values().toString());
        long runnext = metric(r, "sched.gmp.runqget.runnext");
        assertTrue(runnext >= 2L * 2 * trips * 9 / 10, "runnext gets of both halves of the run counted: " + runnext
                + " of " + metric(r, "sched.schedules") + " schedules");
    }
}
