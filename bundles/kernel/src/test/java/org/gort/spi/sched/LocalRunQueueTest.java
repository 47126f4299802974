package org.gort.spi.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalRunQueueTest {

    /** A goroutine handle: what the queue stores. */
    static final class TestG implements Goroutine {
        final long id;
        Object link;

        TestG(long id) {
            this.id = id;
        }

        @Override public long id() { return id; }
        @Override public int lastProc() { return -1; }
        @Override public Object schedLink() { return link; }
        @Override public void setSchedLink(Object link) { this.link = link; }
        @Override public String toString() { return "G" + id; }
    }

    /** A P whose status the test sets. */
    static final class TestProc implements Proc {
        final int id;
        volatile ProcStatus status = ProcStatus.RUNNING;
        /** What the runtime says at the end of a thief's pause: false when the world is stopping. */
        volatile boolean pauseEndsRunning = true;
        volatile int pauses;

        TestProc(int id) {
            this.id = id;
        }

        @Override
        public boolean runnextStealPause(long nanos) {
            pauses++;
            return pauseEndsRunning;
        }

        @Override public int id() { return id; }
        @Override public long schedtick() { return 0; }
        @Override public long syscalltick() { return 0; }
        @Override public ProcStatus status() { return status; }
    }

    private static TestG[] gs(int n) {
        TestG[] gs = new TestG[n];
        for (int i = 0; i < n; i++) {
            gs[i] = new TestG(i);
        }
        return gs;
    }

    private final MeteredLock schedLock = new MeteredLock("sched.lock");
    private final GlobalRunQueue global = new GlobalRunQueue(schedLock);

    @Test
    void fullRingMovesHalfPlusTheNewGToTheGlobalQueueUnderOneLockAcquisition() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        TestG[] g = gs(LocalRunQueue.CAPACITY + 1);
        for (int i = 0; i < LocalRunQueue.CAPACITY; i++) {
            assertFalse(q.put(g[i], false, global));
        }
        assertEquals(LocalRunQueue.CAPACITY, q.size());
        assertEquals(0, global.size());
        assertEquals(0, schedLock.acquisitions());

        assertTrue(q.put(g[LocalRunQueue.CAPACITY], false, global), "runqputslow reports the overflow");

        assertEquals(LocalRunQueue.CAPACITY / 2, q.size());
        assertEquals(LocalRunQueue.CAPACITY / 2 + 1, global.size());
        assertEquals(1, schedLock.acquisitions(), "the batch goes to the global queue under one lock acquisition");
        List<Goroutine> moved = global.drain();
        for (int i = 0; i < LocalRunQueue.CAPACITY / 2; i++) {
            assertSame(g[i], moved.get(i), "the older half moves, in order");
        }
        assertSame(g[LocalRunQueue.CAPACITY], moved.get(LocalRunQueue.CAPACITY / 2), "the new G follows the batch");
        for (int i = LocalRunQueue.CAPACITY / 2; i < LocalRunQueue.CAPACITY; i++) {
            assertSame(g[i], q.get(), "the newer half stays local, in order");
        }
        assertNull(q.get());
    }

    @Test
    void overflowThroughRunnextKicksTheOldRunnextIntoTheOverflow() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        TestG[] g = gs(LocalRunQueue.CAPACITY + 2);
        q.put(g[0], true, global);
        for (int i = 1; i <= LocalRunQueue.CAPACITY; i++) {
            q.put(g[i], false, global);
        }
        assertTrue(q.put(g[LocalRunQueue.CAPACITY + 1], true, global), "g[0] is kicked into a full ring");

        assertTrue(q.hasRunnext());
        assertEquals(LocalRunQueue.CAPACITY / 2 + 1, global.size());
        List<Goroutine> moved = global.drain();
        assertSame(g[0], moved.get(LocalRunQueue.CAPACITY / 2), "the kicked runnext is the G that overflowed");
        assertSame(g[LocalRunQueue.CAPACITY + 1], q.get(), "the new G holds runnext");
    }

    @Test
    void runnextRunsFirstAndTheOldRunnextIsKickedToTheTail() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        TestG a = new TestG(1);
        TestG b = new TestG(2);
        TestG c = new TestG(3);
        TestG d = new TestG(4);
        q.put(a, false, global);
        q.put(b, true, global);
        assertTrue(q.hasRunnext());
        assertEquals(1, q.size(), "runnext is not counted in the ring size");
        q.put(c, true, global); // b is kicked behind a
        q.put(d, false, global);

        assertSame(c, q.get(), "runnext first");
        assertFalse(q.hasRunnext());
        assertSame(a, q.get());
        assertSame(b, q.get(), "the old runnext went to the tail when it was kicked");
        assertSame(d, q.get());
        assertNull(q.get());
        assertTrue(q.isEmpty());
    }

    @Test
    void takeRunnextAndTakeFromRingAreTheTwoHalvesOfGet() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        TestG a = new TestG(1);
        TestG b = new TestG(2);
        q.put(a, false, global);
        q.put(b, true, global);
        assertSame(a, q.takeFromRing());
        assertNull(q.takeFromRing());
        assertFalse(q.isEmpty(), "runnext still holds a G");
        assertSame(b, q.takeRunnext());
        assertNull(q.takeRunnext());
        assertTrue(q.isEmpty());
    }

    @Test
    void stealTakesHalfRoundedUpInOrderAndReturnsTheLastTaken() {
        LocalRunQueue victim = new LocalRunQueue(new TestProc(0));
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        TestG[] g = gs(5);
        for (TestG x : g) {
            victim.put(x, false, global);
        }

        Goroutine got = thief.steal(victim, false);

        assertSame(g[2], got, "runqsteal returns the last G it grabbed");
        assertEquals(3, thief.lastStealSize());
        assertEquals(2, thief.size());
        assertSame(g[0], thief.get());
        assertSame(g[1], thief.get());
        assertEquals(2, victim.size());
        assertSame(g[3], victim.get());
        assertSame(g[4], victim.get());
    }

    @Test
    void stealOfAFullQueueTakesHalf() {
        LocalRunQueue victim = new LocalRunQueue(new TestProc(0));
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        for (TestG x : gs(LocalRunQueue.CAPACITY)) {
            victim.put(x, false, global);
        }
        Goroutine got = thief.steal(victim, false);
        assertEquals(LocalRunQueue.CAPACITY / 2 - 1, got.id());
        assertEquals(LocalRunQueue.CAPACITY / 2, thief.lastStealSize());
        assertEquals(LocalRunQueue.CAPACITY / 2 - 1, thief.size());
        assertEquals(LocalRunQueue.CAPACITY / 2, victim.size());
    }

    @Test
    void stealTakesTheSingleGOfAOneElementRing() {
        LocalRunQueue victim = new LocalRunQueue(new TestProc(0));
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        TestG a = new TestG(7);
        victim.put(a, false, global);
        assertSame(a, thief.steal(victim, false));
        assertEquals(1, thief.lastStealSize());
        assertEquals(0, thief.size());
        assertTrue(victim.isEmpty());
    }

    @Test
    void aThiefWhosePauseEndsInAStopOfTheWorldTakesNothing() {
        TestProc victimProc = new TestProc(0);
        LocalRunQueue victim = new LocalRunQueue(victimProc);
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        TestG next = new TestG(1);
        victim.put(next, true, global);

        victimProc.pauseEndsRunning = false;
        assertNull(thief.steal(victim, true), "the world is stopping: runnext stays with its P");
        assertEquals(1, victimProc.pauses, "the pause is the victim runtime's");
        assertTrue(victim.hasRunnext());

        victimProc.pauseEndsRunning = true;
        assertSame(next, thief.steal(victim, true));
        assertEquals(2, victimProc.pauses);
        assertTrue(victim.isEmpty());
    }

    @Test
    void runnextIsStolenOnlyWhenAskedAndOnlyWhenTheRingIsEmpty() {
        TestProc victimProc = new TestProc(0);
        LocalRunQueue victim = new LocalRunQueue(victimProc);
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        TestG next = new TestG(1);
        victim.put(next, true, global);

        assertNull(thief.steal(victim, false), "runnext is left alone unless asked");
        assertTrue(victim.hasRunnext());

        TestG inRing = new TestG(2);
        victim.put(inRing, false, global);
        assertSame(inRing, thief.steal(victim, true), "the ring is stolen before runnext");
        assertTrue(victim.hasRunnext());

        victimProc.status = ProcStatus.RUNNING; // the thief pauses ~3 µs first
        assertSame(next, thief.steal(victim, true));
        assertEquals(1, thief.lastStealSize());
        assertTrue(victim.isEmpty());

        victimProc.status = ProcStatus.SYSCALL; // no pause, same outcome
        TestG next2 = new TestG(3);
        victim.put(next2, true, global);
        assertSame(next2, thief.steal(victim, true));
    }

    @Test
    void stealRefusesWhenTheThiefHasNoRoomAndLosesNothing() {
        LocalRunQueue victim = new LocalRunQueue(new TestProc(0));
        LocalRunQueue thief = new LocalRunQueue(new TestProc(1));
        for (TestG x : gs(LocalRunQueue.CAPACITY / 2 + 1)) {
            thief.put(x, false, global);
        }
        TestG v = new TestG(1000);
        victim.put(v, false, global);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> thief.steal(victim, false));
        assertTrue(e.getMessage().contains("runqsteal"), e.getMessage());
        assertEquals(1, victim.size(), "nothing was taken from the victim");
        assertEquals(LocalRunQueue.CAPACITY / 2 + 1, thief.size());
    }

    @Test
    void countersWrapAroundTheRingManyTimes() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        long id = 0;
        long expected = 0;
        for (int lap = 0; lap < 50; lap++) {
            for (int i = 0; i < 200; i++) {
                q.put(new TestG(id++), false, global);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(expected++, q.get().id());
            }
        }
        assertTrue(q.isEmpty());
        assertEquals(0, global.size());
    }

    @Test
    void drainTakesRunnextThenTheRingInOrder() {
        LocalRunQueue q = new LocalRunQueue(new TestProc(0));
        TestG[] g = gs(4);
        q.put(g[0], false, global);
        q.put(g[1], false, global);
        q.put(g[2], false, global);
        q.put(g[3], true, global);
        List<Goroutine> out = new ArrayList<>();
        assertEquals(4, q.drainTo(out));
        assertEquals(List.of(g[3], g[0], g[1], g[2]), out);
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
    }

    /**
     * One owner puts (sometimes into runnext) and gets; several thieves steal from it (runnext
     * included) and from each other, and run what they steal. Every G must be taken exactly once.
     */
    @Test
    void concurrentOwnerAndThievesNeitherLoseNorDuplicateAG() throws Exception {
        final int total = 300_000;
        final int thieves = 3;
        final long seed = 0x5eed_60_2025L;
        AtomicIntegerArray taken = new AtomicIntegerArray(total);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean ownerDone = new AtomicBoolean();
        TestProc ownerProc = new TestProc(0);
        LocalRunQueue owner = new LocalRunQueue(ownerProc);
        LocalRunQueue[] thiefQueues = new LocalRunQueue[thieves];
        for (int i = 0; i < thieves; i++) {
            thiefQueues[i] = new LocalRunQueue(new TestProc(i + 1));
        }
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(thieves + 1);

        Thread ownerThread = new Thread(() -> {
            try {
                start.await();
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int id = 0; id < total; id++) {
                    owner.put(new TestG(id), rnd.nextInt(4) == 0, global);
                    int r = rnd.nextInt(8);
                    if (r == 0) {
                        take(owner.get(), taken);
                    } else if (r == 1) {
                        take(global.get(), taken);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                ownerDone.set(true);
                done.countDown();
            }
        }, "owner");
        ownerThread.start();

        for (int i = 0; i < thieves; i++) {
            final int me = i;
            Thread thief = new Thread(() -> {
                try {
                    start.await();
                    SplittableRandom rnd = new SplittableRandom(seed + 1 + me);
                    LocalRunQueue mine = thiefQueues[me];
                    while (!ownerDone.get()) {
                        // Run (take) everything local first, as findRunnable does before stealing.
                        for (Goroutine g; (g = mine.get()) != null; ) {
                            take(g, taken);
                        }
                        LocalRunQueue victim = rnd.nextInt(4) == 0
                                ? thiefQueues[rnd.nextInt(thieves)]
                                : owner;
                        if (victim != mine) {
                            take(mine.steal(victim, rnd.nextInt(4) == 0), taken);
                        }
                    }
                    for (Goroutine g; (g = mine.get()) != null; ) {
                        take(g, taken);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }, "thief-" + i);
            thief.start();
        }

        start.countDown();
        if (!done.await(120, TimeUnit.SECONDS)) {
            fail("stress threads did not finish within 120 s");
        }
        if (failure.get() != null) {
            throw new AssertionError("a stress thread failed", failure.get());
        }
        // What is left: the owner's queue, the thieves' queues (empty by now) and the global queue.
        List<Goroutine> rest = new ArrayList<>();
        owner.drainTo(rest);
        for (LocalRunQueue q : thiefQueues) {
            q.drainTo(rest);
        }
        rest.addAll(global.drain());
        for (Goroutine g : rest) {
            take(g, taken);
        }
        int missing = 0;
        for (int id = 0; id < total; id++) {
            int n = taken.get(id);
            if (n == 0) {
                missing++;
            }
        }
        assertEquals(0, missing, "Gs lost");
    }

    private static void take(Goroutine g, AtomicIntegerArray taken) {
        if (g == null) {
            return;
        }
        int n = taken.incrementAndGet((int) g.id());
        if (n != 1) {
            throw new AssertionError("G" + g.id() + " taken " + n + " times");
        }
    }
}
