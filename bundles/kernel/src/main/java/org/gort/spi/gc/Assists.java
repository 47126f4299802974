package org.gort.spi.gc;

import java.util.concurrent.atomic.LongAdder;
import org.gort.spi.sched.Goroutine;

/*
 * Mutator assists (Go's gcAssistAlloc, gcParkAssist and mallocgc's deductAssistCredit).
 *
 * While marking, every allocated byte owes the pacer's assistWorkPerByte units of scan work.
 * A goroutine pays before it allocates: first from the background workers' banked credit
 * (bgScanCredit), rounded up to gcOverAssistWork so that one steal covers many allocations; then
 * by marking itself (gcDrainN), stopping at a pending stop of the world; and what it still owes
 * then waits on the assist queue until background marking pays it or marking ends, when it is
 * forgiven (gcParkAssist). An over-payment is credit the goroutine keeps for its next
 * allocations (gp.gcAssistBytes), and gives to the background pool if it exits while marking.
 * Allocation off any goroutine charges its P's account instead, its debt forgiven.
 *
 * The ratio comes from the pacer policy; a policy's CPU limiter sets it to 0, which turns
 * assists off. When marking ends, every goroutine still parked is woken (gcWakeAllAssists),
 * just after the world restarts. Implementation notes: a goroutine's balance is per cycle in
 * the kernel (GcRuntime.assistDebt), a P's account is touched only by the thread holding the P.
 */
final class Assists {
    private final GcRuntime rt;
    private final Marking marking;
    private final Pacer pacer;
    /** Time goroutines spent assisting this cycle (Go's {@code assistTime}); reset as a cycle starts. */
    final LongAdder nanos = new LongAdder();

    Assists(GcRuntime rt, Marking marking, Pacer pacer) {
        this.rt = rt;
        this.marking = marking;
        this.pacer = pacer;
    }

    /** {@code deductAssistCredit}, while marking: charge {@code g} for {@code size} bytes and make it pay. */
    void deductAssistCredit(Goroutine g, long size) {
        long c = marking.cycle();
        long debt = rt.assistDebt(g, c) + (long) Math.ceil(size * pacer.assistWorkPerByte());
        if (debt > 0) {
            debt = assist(debt, rt.currentProc());
            if (debt > 0) {
                debt = parkAssist(debt);
            }
        }
        rt.setAssistDebt(g, c, debt);
    }

    /** Allocation of {@code size} bytes off any goroutine, while marking: P {@code p}'s account pays, its debt forgiven. */
    void allocatedOffGoroutine(int p, long size) {
        Pacer.PAccount a = pacer.perP[p];
        a.assistCredit -= (long) Math.ceil(size * pacer.assistWorkPerByte());
        if (a.assistCredit < 0) {
            a.assistCredit = Math.max(0, -assist(-a.assistCredit, p));
        }
    }

    /** {@code goexit0}, while marking: credit left goes to the background pool, so that it is not lost. */
    void goroutineExiting(Goroutine g) {
        long balance = rt.assistDebt(g, marking.cycle());
        if (balance < 0) {
            rt.setAssistDebt(g, marking.cycle(), 0);
            marking.flushBackgroundCredit(-balance);
        }
    }

    /**
     * {@code gcWakeAllAssists}, once marking is over. Go wakes them inside mark termination's
     * pause; here it is done just after the world restarts, because a burst of goroutine
     * creation can leave thousands parked on the queue (8 000–10 000 at 100 000 new goroutines),
     * and waking tens of thousands one by one once took up to 15 ms of the pause. No goroutine
     * parks once blackening is off (the queue checks it under its lock), so none is left behind.
     * Called as every pause ends, and as the cycle ends whatever happened.
     */
    void wakeAllIfMarkingEnded() {
        if (!marking.blackening()) {
            marking.assists.wakeAll();
        }
    }

    /**
     * {@code gcParkAssist}: a debt neither credit nor marking could pay waits on the assist
     * queue until background marking pays it or marking ends (then it is forgiven). Returns what
     * is still owed: nothing, unless a stop of the world is pending (the goroutine must reach its
     * safepoint; its next allocation tries again).
     */
    private long parkAssist(long debt) {
        while (debt > 0 && marking.blackening() && !rt.stopRequested()) {
            debt -= marking.stealBackgroundCredit(debt);
            if (debt <= 0) {
                return debt;
            }
            if (marking.assists.park(debt, marking, rt)) {
                return 0; // paid, or marking ended and the rest is forgiven
            }
            // Credit appeared while it queued itself: take it and look again (gcParkAssist's retry).
        }
        return marking.blackening() ? debt : 0;
    }

    /**
     * {@code gcAssistAlloc}: pays {@code debt} units of scan work from background credit, else by
     * marking, and returns what is still owed (negative: credit the goroutine keeps for its next
     * allocations, as an over-assist leaves in Go's {@code gp.gcAssistBytes}).
     */
    private long assist(long debt, int p) {
        // As gcAssistAlloc, round the debt up to gcOverAssistWork before stealing, so that one
        // steal (an atomic on the shared credit) covers many allocations, not just this one.
        long want = Math.max(debt, Pacer.OVER_ASSIST_WORK);
        long stolen = marking.stealBackgroundCredit(want);
        debt -= stolen;
        if (debt <= 0) {
            return debt;
        }
        if (!marking.workAvailable() && !marking.hasLocalWork(p)) {
            // Nothing to mark now: every grey object is in another drainer's hands. The
            // goroutine keeps the debt, and parks on the assist queue (gcParkAssist).
            return debt;
        }
        want = Math.max(debt, Pacer.OVER_ASSIST_WORK);
        long t0 = System.nanoTime();
        // gcDrainN stops when the goroutine is asked to preempt (a stop-the-world is pending):
        // an assist runs inside an allocation, which is where this goroutine's safepoint is.
        long done = marking.drain(Marking.Drainer.ASSIST, want, rt::stopRequested);
        nanos.add(System.nanoTime() - t0);
        marking.finishIfMine(); // this drain ended marking: mark termination runs here, before allocating
        // Still owed if interrupted by a stop or out of work: the goroutine parks for it, or,
        // with a stop pending, stops first and settles it at its next allocation.
        return debt - done;
    }
}
