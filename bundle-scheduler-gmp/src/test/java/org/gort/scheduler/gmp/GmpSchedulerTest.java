package org.gort.scheduler.gmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gort.scheduler.gmp.SpiFixtures.TestContext;
import org.gort.scheduler.gmp.SpiFixtures.TestG;
import org.gort.scheduler.gmp.SpiFixtures.TestMachine;
import org.gort.scheduler.gmp.SpiFixtures.TestProc;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.LocalRunQueue;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SyscallEntry;
import org.junit.jupiter.api.Test;

class GmpSchedulerTest {

    private static GmpScheduler scheduler(TestContext ctx) {
        return (GmpScheduler) new GmpStrategy().create(ctx);
    }

    private static Map<String, Long> counters(GmpScheduler s) {
        Map<String, Long> out = new HashMap<>();
        s.reportCounters(out::put);
        return out;
    }

    private long nextId = 1;

    private TestG g() {
        return new TestG(nextId++);
    }

    // ---- ready ------------------------------------------------------------------------

    @Test
    void newAndReadiedGsRunNextAndKickTheOldRunnextToTheTail() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        TestG a = g();
        TestG b = g();
        TestG c = g();
        s.ready(a, ReadyReason.NEW, m, p);
        s.ready(b, ReadyReason.READIED, m, p);
        s.ready(c, ReadyReason.NEW, m, p);

        assertEquals(2, s.localQueueLength(p), "a and b were kicked to the ring");
        assertEquals(0, s.globalQueueLength());
        p.schedtick = 1;
        assertSame(c, s.findRunnable(m, p), "the newest G runs next");
        assertEquals(1L, counters(s).get("gmp.runqget.runnext"));
        assertSame(a, s.findRunnable(m, p));
        assertSame(b, s.findRunnable(m, p));
        assertNull(s.findRunnable(m, p));
    }

    @Test
    void withRunnextOffNewAndReadiedGsGoToTheRingsTail() {
        TestContext ctx = new TestContext(1);
        ctx.switches.put("gmp.runnext", false);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        TestG hog = g();
        TestG a = g();
        TestG b = g();
        s.ready(hog, ReadyReason.NEW, m, p);
        s.ready(a, ReadyReason.NEW, m, p);
        s.ready(b, ReadyReason.READIED, m, p);

        assertEquals(3, s.localQueueLength(p), "all three are in the ring: runnext stays empty");
        assertEquals(0, s.globalQueueLength());
        p.schedtick = 1;
        assertSame(hog, s.findRunnable(m, p), "first in, first out: the readied G waits its turn");
        assertFalse(s.inheritsTimeSlice(p));
        assertSame(a, s.findRunnable(m, p));
        assertSame(b, s.findRunnable(m, p), "the readied G ran last, from the tail");
        assertFalse(s.inheritsTimeSlice(p), "without runnext no G inherits a time slice");
        assertNull(s.findRunnable(m, p));
        assertEquals(0L, counters(s).get("gmp.runqget.runnext"));
    }

    @Test
    void yieldedPreemptedSyscallExitAndSwappedGsGoToTheGlobalQueue() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        ReadyReason[] global = {ReadyReason.YIELDED, ReadyReason.PREEMPTED, ReadyReason.SYSCALL_EXIT, ReadyReason.SWAPPED};
        for (ReadyReason why : global) {
            s.ready(g(), why, m, p);
        }
        assertEquals(global.length, s.globalQueueLength());
        assertEquals(0, s.localQueueLength(p));
        assertEquals(0, s.localQueueLength(ctx.procs[1]));

        s.ready(g(), ReadyReason.READIED, null, null);
        assertEquals(global.length + 1, s.globalQueueLength(), "a G readied without a P goes to the global queue");
    }

    @Test
    void ringOverflowMovesHalfPlusTheKickedGToTheGlobalQueue() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        TestG[] gs = new TestG[LocalRunQueue.CAPACITY + 2];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = g();
            s.ready(gs[i], ReadyReason.NEW, m, p);
        }
        // runnext holds the last G; the G it kicked found the ring full.
        assertEquals(LocalRunQueue.CAPACITY / 2, s.localQueueLength(p));
        assertEquals(LocalRunQueue.CAPACITY / 2 + 1, s.globalQueueLength());
        assertEquals(1, counters(s).get("gmp.runqputslow"));
        assertEquals(1, ctx.lock("sched.lock").acquisitions(), "one lock acquisition for the batch");

        List<Goroutine> drained = s.drain();
        assertSame(gs[gs.length - 1], drained.get(0), "runnext first");
        for (int i = 0; i < LocalRunQueue.CAPACITY / 2; i++) {
            assertSame(gs[LocalRunQueue.CAPACITY / 2 + i], drained.get(1 + i), "the newer half stayed local");
            assertSame(gs[i], drained.get(1 + LocalRunQueue.CAPACITY / 2 + i), "the older half moved to the global queue");
        }
        assertSame(gs[LocalRunQueue.CAPACITY], drained.get(drained.size() - 1), "the kicked G follows its batch");
        assertEquals(gs.length, drained.size());
    }

    @Test
    void wakepStartsOneSpinningMOnlyWhenAPIsIdleAndNoneSpins() {
        TestContext ctx = new TestContext(3);
        ctx.procs[1].status = ProcStatus.IDLE;
        ctx.procs[2].status = ProcStatus.IDLE;
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);

        s.ready(g(), ReadyReason.NEW, m, ctx.procs[0]);
        assertEquals(1, ctx.startedMs.size());
        assertTrue(ctx.startedMs.get(0).spinning());
        assertEquals(1, ctx.spinningMs());

        s.ready(g(), ReadyReason.NEW, m, ctx.procs[0]);
        assertEquals(1, ctx.startedMs.size(), "an M is already spinning: it will find the work");

        TestContext busy = new TestContext(2);
        GmpScheduler s2 = scheduler(busy);
        s2.ready(g(), ReadyReason.NEW, m, busy.procs[0]);
        assertEquals(0, busy.startedMs.size(), "no idle P, nothing to wake");
        assertEquals(0, busy.spinningMs());
    }

    @Test
    void swappedGsGoToTheGlobalQueueAndWakeAnM() {
        TestContext ctx = new TestContext(2);
        ctx.procs[1].status = ProcStatus.IDLE;
        GmpScheduler s = scheduler(ctx);
        s.ready(g(), ReadyReason.SWAPPED, null, null);
        assertEquals(1, s.globalQueueLength());
        assertEquals(1, ctx.startedMs.size(), "the kernel's startm refuses while the world is stopped");
    }

    // ---- findRunnable -----------------------------------------------------------------

    @Test
    void everySixtyFirstTickTheGlobalQueueIsCheckedFirst() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        TestG local1 = g();
        TestG local2 = g();
        TestG global1 = g();
        TestG global2 = g();
        s.ready(local1, ReadyReason.NEW, m, p);
        s.ready(local2, ReadyReason.NEW, m, p);
        s.ready(global1, ReadyReason.YIELDED, m, p);
        s.ready(global2, ReadyReason.YIELDED, m, p);

        p.schedtick = 60;
        assertSame(local2, s.findRunnable(m, p), "not a fairness tick: local runnext first");
        p.schedtick = 61;
        assertSame(global1, s.findRunnable(m, p), "tick 61: the global queue first");
        assertEquals(1, s.globalQueueLength(), "the fairness check takes a single G");
        assertEquals(1, s.localQueueLength(p));
        p.schedtick = 62;
        assertSame(local1, s.findRunnable(m, p));
        p.schedtick = 122;
        assertSame(global2, s.findRunnable(m, p));
        assertEquals(2, counters(s).get("gmp.globrunqget.fairness"));
    }

    @Test
    void globrunqgetTakesABatchOfSizeOverGomaxprocsPlusOne() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        TestG[] gs = new TestG[10];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = g();
            s.ready(gs[i], ReadyReason.YIELDED, m, p);
        }
        p.schedtick = 1;
        long before = ctx.lock("sched.lock").acquisitions();
        assertSame(gs[0], s.findRunnable(m, p));
        assertEquals(1, ctx.lock("sched.lock").acquisitions() - before, "one acquisition for the batch");
        // n = min(10, 10/2 + 1) = 6: one runs, five go to the local ring.
        assertEquals(5, s.localQueueLength(p));
        assertEquals(4, s.globalQueueLength());
        for (int i = 1; i <= 5; i++) {
            assertSame(gs[i], s.findRunnable(m, p), "the batch keeps global order locally");
        }
    }

    @Test
    void globrunqgetTakesAtMostHalfALocalQueue() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        for (int i = 0; i < 300; i++) {
            s.ready(g(), ReadyReason.PREEMPTED, m, p);
        }
        p.schedtick = 1;
        s.findRunnable(m, p);
        assertEquals(LocalRunQueue.CAPACITY / 2 - 1, s.localQueueLength(p));
        assertEquals(300 - LocalRunQueue.CAPACITY / 2, s.globalQueueLength());
    }

    @Test
    void stealingTakesHalfOfTheVictimsRing() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestMachine m1 = new TestMachine(1, 2);
        TestProc p0 = ctx.procs[0];
        TestProc p1 = ctx.procs[1];
        TestG[] gs = new TestG[11];
        for (int i = 0; i < gs.length; i++) {
            gs[i] = g();
            s.ready(gs[i], ReadyReason.READIED, m0, p0); // g0..g9 in the ring, g10 in runnext
        }
        assertEquals(10, s.localQueueLength(p0));
        p1.schedtick = 1;

        Goroutine got = s.findRunnable(m1, p1);

        assertSame(gs[4], got, "half of ten, the last one taken runs");
        assertEquals(4, s.localQueueLength(p1));
        assertEquals(5, s.localQueueLength(p0));
        assertEquals(1, ctx.steals.get());
        assertEquals(5, ctx.goroutinesStolen.get());
        assertFalse(m1.spinning(), "an M that found work stops spinning");
        assertEquals(0, ctx.spinningMs());
        assertSame(gs[0], s.findRunnable(m1, p1), "stolen Gs run from the thief's own ring");
    }

    @Test
    void runnextIsStolenOnlyOnTheLastPass() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestMachine m1 = new TestMachine(1, 2);
        TestG only = g();
        s.ready(only, ReadyReason.NEW, m0, ctx.procs[0]);
        ctx.procs[1].schedtick = 1;

        assertSame(only, s.findRunnable(m1, ctx.procs[1]));
        assertEquals(1, ctx.goroutinesStolen.get());
        assertFalse(s.hasRunnable());
    }

    @Test
    void aPendingStopOfTheWorldEndsStealing() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestMachine m1 = new TestMachine(1, 2);
        for (int i = 0; i < 10; i++) {
            s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        }
        ctx.procs[1].schedtick = 1;
        ctx.stopPending = true;

        assertNull(s.findRunnable(m1, ctx.procs[1]), "stealWork gives up when sched.gcwaiting is set");
        assertEquals(0, ctx.steals.get());
        assertEquals(9, s.localQueueLength(ctx.procs[0]), "nothing was taken");

        ctx.stopPending = false;
        assertTrue(s.findRunnable(m1, ctx.procs[1]) != null, "after the stop the victim's work is stolen");
    }

    @Test
    void idlePsAreNotStolenFrom() {
        TestContext ctx = new TestContext(3);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestMachine m1 = new TestMachine(1, 2);
        s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        ctx.procs[0].status = ProcStatus.IDLE; // breaks the idle-P invariant on purpose
        ctx.procs[1].schedtick = 1;

        assertNull(s.findRunnable(m1, ctx.procs[1]));
        assertEquals(1, s.localQueueLength(ctx.procs[0]));
        assertTrue(m1.spinning(), "an M that found nothing spins until the kernel has idled its P");
        assertEquals(1, ctx.spinningMs());

        ctx.procs[0].status = ProcStatus.SYSCALL; // a P in a syscall is fair game
        assertTrue(s.findRunnable(m1, ctx.procs[1]) != null);
    }

    @Test
    void atMostHalfTheBusyPsHaveASpinningM() {
        TestContext ctx = new TestContext(4);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestMachine m3 = new TestMachine(3, 4);
        for (int i = 0; i < 4; i++) {
            s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        }
        ctx.procs[2].status = ProcStatus.IDLE;
        // Two other Ms already spin: 2*2 < 4 - 1 is false, so m3 must not join them.
        ctx.setSpinning(new TestMachine(10, 0), true);
        ctx.setSpinning(new TestMachine(11, 0), true);
        ctx.procs[3].schedtick = 1;

        assertNull(s.findRunnable(m3, ctx.procs[3]));
        assertEquals(3, s.localQueueLength(ctx.procs[0]), "nothing was stolen");
        assertFalse(m3.spinning());
        assertEquals(2, ctx.spinningMs());

        // One spinning M left: 2*1 < 3, so m3 steals.
        ctx.nmspinning.decrementAndGet();
        assertTrue(s.findRunnable(m3, ctx.procs[3]) != null);
        assertEquals(1, ctx.spinningMs(), "m3 spun and stopped; the other M still spins");
    }

    @Test
    void anMAlreadySpinningStealsRegardlessOfTheLimit() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        s.ready(g(), ReadyReason.READIED, m0, ctx.procs[0]);
        TestMachine spinner = new TestMachine(1, 2);
        ctx.setSpinning(spinner, true);
        ctx.setSpinning(new TestMachine(12, 0), true); // 2*2 < 2 is false
        ctx.procs[1].schedtick = 1;

        assertTrue(s.findRunnable(spinner, ctx.procs[1]) != null);
        assertFalse(spinner.spinning());
    }

    @Test
    void theLastSpinningMThatFindsWorkWakesAnother() {
        TestContext ctx = new TestContext(3);
        ctx.procs[1].status = ProcStatus.IDLE;
        ctx.procs[2].status = ProcStatus.IDLE;
        GmpScheduler s = scheduler(ctx);
        TestMachine m0 = new TestMachine(0, 1);
        TestG a = g();
        s.ready(a, ReadyReason.NEW, m0, ctx.procs[0]); // wakep: starts a spinning M on an idle P
        assertEquals(1, ctx.startedMs.size());
        TestMachine spinner = ctx.startedMs.get(0);
        TestProc itsP = ctx.startedOnProcs.get(0);
        itsP.schedtick = 1;

        assertSame(a, s.findRunnable(spinner, itsP), "steals m0's runnext on the last pass");
        assertFalse(spinner.spinning());
        assertEquals(2, ctx.startedMs.size(), "resetspinning: the last spinner wakes another");
        assertEquals(1, ctx.spinningMs(), "the new M spins");
        assertEquals(2, counters(s).get("gmp.wakep.startm"));
    }

    @Test
    void nothingToFindReturnsNullStillSpinning() {
        TestContext ctx = new TestContext(4);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        ctx.procs[0].schedtick = 61;
        assertNull(s.findRunnable(m, ctx.procs[0]));
        // The kernel stops it spinning once its P is idle, so no wakep starts an M in between.
        assertTrue(m.spinning());
        assertEquals(1, ctx.spinningMs());
        assertFalse(s.hasRunnable());
    }

    // ---- sysmon -------------------------------------------------------------------------

    @Test
    void preemptsAfterForcePreemptNS() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestG running = g();
        assertFalse(s.shouldPreempt(ctx.procs[0], running, GmpScheduler.DEFAULT_FORCE_PREEMPT_NS - 1));
        assertTrue(s.shouldPreempt(ctx.procs[0], running, GmpScheduler.DEFAULT_FORCE_PREEMPT_NS));

        TestContext tuned = new TestContext(1);
        tuned.config.put("gmp.forcePreemptNS", 1_000_000L);
        GmpScheduler s2 = scheduler(tuned);
        assertFalse(s2.shouldPreempt(tuned.procs[0], running, 999_999));
        assertTrue(s2.shouldPreempt(tuned.procs[0], running, 1_000_000));
    }

    @Test
    void forcePreemptNSIsReadWhereSysmonUsesItSoItChangesWhileRunning() {
        TestContext ctx = new TestContext(1);
        GmpScheduler s = scheduler(ctx);
        TestG running = g();
        assertFalse(s.shouldPreempt(ctx.procs[0], running, 2_000_000));
        ctx.config.put("gmp.forcePreemptNS", 1_000_000L); // the shell's set, through the run's properties
        assertTrue(s.shouldPreempt(ctx.procs[0], running, 2_000_000));
        ctx.config.put("gmp.forcePreemptNS", 0L); // never valid: the starting value stays
        assertFalse(s.shouldPreempt(ctx.procs[0], running, 2_000_000));
    }

    @Test
    void onlyAGTakenFromRunnextInheritsTheTimeSlice() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc p = ctx.procs[0];
        p.schedtick = 1;
        assertFalse(s.inheritsTimeSlice(p));

        s.ready(g(), ReadyReason.YIELDED, m, p);
        assertTrue(s.findRunnable(m, p) != null);
        assertFalse(s.inheritsTimeSlice(p), "from the global queue: a new slice");

        s.ready(g(), ReadyReason.READIED, m, p); // runnext
        s.ready(g(), ReadyReason.READIED, m, p); // runnext; the previous one goes to the ring
        assertTrue(s.findRunnable(m, p) != null);
        assertTrue(s.inheritsTimeSlice(p), "from runnext: the readier's slice continues");
        assertTrue(s.findRunnable(m, p) != null);
        assertFalse(s.inheritsTimeSlice(p), "from the ring: a new slice");

        s.ready(g(), ReadyReason.READIED, m, p);
        TestMachine thief = new TestMachine(1, 2);
        ctx.procs[1].schedtick = 1;
        assertTrue(s.findRunnable(thief, ctx.procs[1]) != null);
        assertFalse(s.inheritsTimeSlice(ctx.procs[1]), "a stolen runnext starts a new slice elsewhere");
    }

    @Test
    void syscallsKeepTheirP() {
        TestContext ctx = new TestContext(1);
        assertEquals(SyscallEntry.KEEP_P, scheduler(ctx).onSyscallEntry(ctx.procs[0]));
    }

    @Test
    void retakeRules() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        TestProc inSyscall = ctx.procs[0];
        long young = 50_000;
        long old = GmpScheduler.SYSCALL_RETAKE_GRACE_NS;

        // The first sysmon tick that sees the syscall only records it.
        assertFalse(s.shouldRetake(inSyscall, old * 10, 1));

        // Busy machine (no idle P, no spinning M): retake even a young syscall with no local work.
        assertTrue(s.shouldRetake(inSyscall, young, 2));

        // Someone can pick up new work and the P has none: leave a young syscall alone...
        ctx.procs[1].status = ProcStatus.IDLE;
        assertFalse(s.shouldRetake(inSyscall, young, 2));
        // ...but not for ever.
        assertTrue(s.shouldRetake(inSyscall, old, 3));

        // A spinning M counts like an idle P.
        ctx.procs[1].status = ProcStatus.RUNNING;
        ctx.setSpinning(new TestMachine(9, 0), true);
        assertFalse(s.shouldRetake(inSyscall, young, 2));

        // Local work waiting behind the syscall: retake at once.
        s.ready(g(), ReadyReason.NEW, m, inSyscall);
        assertTrue(s.shouldRetake(inSyscall, young, 2));
    }

    @Test
    void hasRunnableSeesLocalAndGlobalWork() {
        TestContext ctx = new TestContext(2);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        assertFalse(s.hasRunnable());
        assertFalse(s.hasRunnable(ctx.procs[0]));

        s.ready(g(), ReadyReason.NEW, m, ctx.procs[0]);
        assertTrue(s.hasRunnable());
        assertTrue(s.hasRunnable(ctx.procs[0]));
        assertFalse(s.hasRunnable(ctx.procs[1]), "another P's local work is not handoffp's business");

        s.ready(g(), ReadyReason.YIELDED, m, ctx.procs[0]);
        assertTrue(s.hasRunnable(ctx.procs[1]), "global work is everyone's");
    }

    // ---- drain ------------------------------------------------------------------------

    @Test
    void drainReturnsEveryQueuedGExactlyOnce() {
        TestContext ctx = new TestContext(3);
        GmpScheduler s = scheduler(ctx);
        TestMachine m = new TestMachine(0, 1);
        Set<Goroutine> readied = new HashSet<>();
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 5; i++) {
                TestG x = g();
                readied.add(x);
                s.ready(x, i % 2 == 0 ? ReadyReason.NEW : ReadyReason.YIELDED, m, ctx.procs[p]);
            }
        }
        List<Goroutine> drained = s.drain();
        assertEquals(readied.size(), drained.size());
        assertEquals(readied, new HashSet<>(drained));
        assertFalse(s.hasRunnable());
        assertEquals(0, s.globalQueueLength());
        for (TestProc p : ctx.procs) {
            assertEquals(0, s.localQueueLength(p));
            assertNull(s.findRunnable(m, p));
        }
    }
}
