package org.gort.scheduler.gmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.scheduler.gmp.SpiFixtures.TestContext;
import org.gort.scheduler.gmp.SpiFixtures.TestG;
import org.gort.scheduler.gmp.SpiFixtures.TestMachine;
import org.gort.scheduler.gmp.SpiFixtures.TestProc;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.ReadyReason;
import org.junit.jupiter.api.Test;

/**
 * Several Ms, one per P, each loop {@code findRunnable} and "run" what they get: a run spawns
 * children (NEW, into runnext), yields or is preempted (to the global queue), or finishes. The
 * policy's whole queue machinery (runnext, overflow, global batches, stealing, spinning) runs
 * concurrently; every G must be handed out exactly once per time it was readied.
 *
 * <p>Whether the Ms steal in a given round depends on how the OS interleaves them (with four Ms on
 * two cores, one M may drain everything through runnext and the global queue while the others are
 * descheduled), so the round is repeated, each with its own seed, until stealing has been seen; a
 * policy that never steals still fails after {@link #MAX_ROUNDS}.
 */
class GmpSchedulerConcurrencyTest {

    private static final int MAX_ROUNDS = 10;

    @Test
    void everyReadiedGIsHandedOutExactlyOnce() throws Exception {
        long steals = 0;
        for (int round = 0; round < MAX_ROUNDS && steals == 0; round++) {
            steals = oneRound(0x6d70_2025L + 1_000L * round);
        }
        assertTrue(steals > 0, "the Ms stole from each other in none of " + MAX_ROUNDS + " rounds");
    }

    /** Runs the Ms to completion, checks exactly-once hand-out, and returns the steals seen. */
    private static long oneRound(long seed) throws Exception {
        final int procs = 4;
        final int total = 200_000;
        TestContext ctx = new TestContext(procs);
        GmpScheduler s = (GmpScheduler) new GmpStrategy().create(ctx);

        AtomicIntegerArray queued = new AtomicIntegerArray(total + 1); // 1 while a G is in the scheduler
        AtomicInteger created = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger handedOut = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();

        // The main goroutine.
        TestG main = new TestG(created.incrementAndGet());
        readyChecked(s, queued, main, ReadyReason.NEW, new TestMachine(99, 0), ctx.procs[0]);

        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(procs);
        for (int i = 0; i < procs; i++) {
            final TestProc p = ctx.procs[i];
            final TestMachine m = new TestMachine(i, seed + i);
            new Thread(() -> {
                try {
                    start.await();
                    SplittableRandom rnd = new SplittableRandom(seed * 31 + p.id());
                    while (!stop.get() && finished.get() < total) {
                        Goroutine g = s.findRunnable(m, p);
                        if (g == null) {
                            // The kernel's "return P and block": the M stops spinning.
                            if (m.spinning()) {
                                ctx.setSpinning(m, false);
                            }
                            Thread.onSpinWait();
                            continue;
                        }
                        if (m.spinning()) {
                            throw new AssertionError(m + " returned " + g + " still spinning");
                        }
                        p.schedtick++;
                        handedOut.incrementAndGet();
                        if (queued.getAndSet((int) g.id(), 0) != 1) {
                            throw new AssertionError(g + " handed out but not queued");
                        }
                        run(s, queued, g, m, p, rnd, created, finished, total);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    stop.set(true);
                } finally {
                    done.countDown();
                }
            }, "M" + i).start();
        }
        start.countDown();
        if (!done.await(120, TimeUnit.SECONDS)) {
            stop.set(true);
            fail("Ms did not finish within 120 s: created " + created.get() + ", finished " + finished.get());
        }
        if (failure.get() != null) {
            throw new AssertionError("an M failed", failure.get());
        }
        assertEquals(total, created.get());
        assertEquals(total, finished.get());
        assertTrue(s.drain().isEmpty(), "nothing left behind");
        assertEquals(0, ctx.spinningMs());
        for (int id = 1; id <= total; id++) {
            assertEquals(0, queued.get(id), "G" + id + " is still queued");
        }
        assertTrue(handedOut.get() > total, "some Gs yielded and ran again");
        return ctx.steals.get();
    }

    /** What a G does when it runs: spawn, yield, be preempted, or finish. */
    private static void run(GmpScheduler s, AtomicIntegerArray queued, Goroutine g, TestMachine m, TestProc p,
                            SplittableRandom rnd, AtomicInteger created, AtomicInteger finished, int total) {
        int r = rnd.nextInt(16);
        if (r < 2) {
            readyChecked(s, queued, g, ReadyReason.YIELDED, m, p);
            return;
        }
        if (r < 3) {
            readyChecked(s, queued, g, ReadyReason.PREEMPTED, m, p);
            return;
        }
        int children = rnd.nextInt(4);
        for (int i = 0; i < children; i++) {
            int id = created.incrementAndGet();
            if (id > total) {
                created.decrementAndGet();
                break;
            }
            readyChecked(s, queued, new TestG(id), ReadyReason.NEW, m, p);
        }
        // Keep the run alive: if this was the last runnable G and it spawned nothing, respawn.
        if (children == 0 && created.get() < total && !s.hasRunnable()) {
            int id = created.incrementAndGet();
            if (id <= total) {
                readyChecked(s, queued, new TestG(id), ReadyReason.READIED, m, p);
            } else {
                created.decrementAndGet();
            }
        }
        finished.incrementAndGet();
    }

    private static void readyChecked(GmpScheduler s, AtomicIntegerArray queued, Goroutine g, ReadyReason why,
                                     TestMachine m, TestProc p) {
        if (queued.getAndSet((int) g.id(), 1) != 0) {
            throw new AssertionError(g + " readied twice");
        }
        s.ready(g, why, m, p);
    }
}
