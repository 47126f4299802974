package org.gort.kernel;

import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.Scheduler;

/*
 * The watchdog: sysmon's judgement of a scheduler strategy that leaves a runnable goroutine
 * waiting too long (as sched_ext's watchdog ejects a BPF scheduler that stalls a task).
 *
 * Every 10 ms sysmon hands it one slice of goroutine slots. A G that is RUNNABLE, on no M,
 * and has waited longer than the limit is starved. The limit is the smaller of the run's
 * (30 s by default) and the strategy's own (Scheduler.watchdogNanos: a strategy may only
 * lower it). A wait counts from when the G became runnable or from the last change of
 * scheduler, whichever is later: a strategy is judged only for the time it was in charge.
 *
 * A starved G convicts the scheduler only if the scheduler had a chance to run it, and only
 * if it still does at the next round (a P seen between two goroutines, or a G picked a moment
 * ago, is a transient). The rule, for each P during the wait:
 *
 *     idle, in a syscall, or scheduling (its schedtick moved since the G became runnable):
 *         the scheduler could have run the G there                   -> eject the scheduler
 *     running one goroutine the whole time, which sysmon asked to yield long ago and which
 *         has not reached a safepoint since                         -> the program's fault
 *     running one goroutine the whole time, never asked to yield:
 *         a strategy that preempts (Scheduler.preempts)             -> eject the scheduler
 *         a strategy that never preempts by design (legacy-gm)      -> its promised behaviour
 *
 * If no P convicts the scheduler and some P is held by a goroutine that ignores its
 * preemption request (a loop with no runtime call, as in Go before 1.14), the watchdog says so
 * once per such slice, on the run's trace output:
 *
 *     gort: goroutine 5 has run 30 s without a safepoint on M0; goroutine 1 waits for a P ...
 *
 * Under a strategy that never preempts, every P held by one goroutine that never blocks (a
 * loop of channel operations that always find room or a value does not block) starves the
 * rest for as long as it runs, as Go 1.0 did; that is said the same way:
 *
 *     gort: goroutine 3 has run 30 s without yielding on M0 and legacy-gm never preempts; ...
 *
 * Whether a P ran one goroutine for the whole wait is read from when its M picked that
 * goroutine (P.pickedAt, sysmon's coarse clock stored at execute, never later than the real
 * pick): a pick no later than a moment after the wait's start. A goroutine asked to yield less
 * than half the limit ago gets no verdict yet, and a conviction needs the same finding twice
 * at least a tenth of the limit (at most 100 ms) apart: on a loaded machine an M between two
 * goroutines can wait that long for a core.
 *
 * and nothing is ejected: replacing the scheduler cannot help, and the run goes on (it ends
 * when the loop does, or at --timeout).
 *
 * Invariants.
 *  - Nothing is judged while the world is stopping, nor in a sweep during which sysmon itself
 *    stalled for half the limit or more: runnableSince may then be a coarse time that old,
 *    and every wait would look long.
 *  - The cursor, stall and the last warning are sysmon's only; so are P.sysmonSchedtick,
 *    sysmonSchedwhen and preemptAsked, which sysmon's retake keeps; P.pickedAt is written by the
 *    P's M only.
 */
final class Watchdog {
    private final RuntimeInstance rt;

    /**
     * Goroutines the watchdog looks at per sysmon round. A sweep of 100 000 goroutines in
     * one round cost sysmon 5 ms of a core every 100 ms, which is the length of a pause a
     * stopping M then waits for that core; in slices a sweep takes 100 rounds, well under
     * any watchdog limit (seconds).
     */
    private static final int SLICE = 1024;
    private int cursor; // sysmon's only
    private long stall; // sysmon's only: the longest sysmon tick in this sweep
    private G warnedG; // sysmon's only: the last goroutine reported for running without a safepoint
    private long warnedTick;
    private G suspect; // sysmon's only: found starved by the scheduler's fault once; convicted if again next round
    private Scheduler suspectScheduler;
    private long suspectedAt;

    Watchdog(RuntimeInstance rt) {
        this.rt = rt;
    }

    /**
     * The sysmon watchdog, one slice of {@link #SLICE} goroutine slots per call: a runnable G
     * waited longer than the limit. {@code longestTick} is sysmon's longest gap between clock
     * readings since the last call: the coarse times handed out meanwhile may be that old, so
     * a sweep during which sysmon itself stalled (half the limit or more) convicts nobody.
     */
    void round(long now, long longestTick) {
        Scheduler s = rt.sched;
        long limit;
        try {
            limit = Math.min(rt.config.watchdogNanos(), s.watchdogNanos());
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "watchdogNanos", e);
            return;
        }
        long judgedFrom = rt.swaps.lastChangeNanos();
        int length = rt.allgs.length();
        int end = Math.min(length, cursor + SLICE);
        if (cursor == 0) {
            stall = 0;
        }
        stall = Math.max(stall, longestTick);
        // A stalled sysmon (a suspended machine) makes every wait look long: no verdict then.
        boolean mayConvict = !rt.gcwaiting && stall <= limit / 2;
        for (int i = cursor; mayConvict && i < end; i++) {
            G g = rt.allgs.at(i);
            if (g != null && g.status == GStatus.RUNNABLE && g.m == null) {
                long since = judgedFrom == 0 ? g.runnableSince : Math.max(g.runnableSince, judgedFrom);
                if (now - since > limit) {
                    judge(s, g, since, now, limit);
                    cursor = 0;
                    return;
                }
            }
        }
        cursor = end < length ? end : 0;
    }

    /** {@code starved} has waited since {@code since}, longer than {@code limit}: whose fault is it? */
    private void judge(Scheduler s, G starved, long since, long now, long limit) {
        String waited = "goroutine " + starved.id + " runnable for more than " + limit / 1_000_000 + " ms";
        // A P that picked its goroutine just after the wait began (a yield handing it on, a queue
        // served in order) had a moment's chance at most.
        long slack = Math.min(limit / 2, 200_000_000L);
        P spinningP = null;
        G spinner = null;
        P holdingP = null; // under a strategy that never preempts: the P whose goroutine has run longest
        for (P p : rt.allp) {
            M m = p.m;
            G g = m == null ? null : m.curg;
            // pickedAt is sysmon's coarse time at the pick, never later than the real one (the more
            // so when sysmon runs late), so a late sysmon cannot make a pick look late.
            boolean wholeWait = p.status() == ProcStatus.RUNNING && g != null && p.pickedAt <= since + slack;
            if (!wholeWait) {
                convict(s, starved, waited, now, limit);
                return;
            }
            long asked = p.preemptAsked;
            if (g.preempt && asked != 0 && now - asked <= limit / 2) {
                suspect = null; // asked to yield lately (sysmon runs late on a loaded machine): no verdict yet
                return;
            }
            if (g.preempt && asked != 0) {
                if (spinner == null || asked < spinningP.preemptAsked) {
                    spinner = g;
                    spinningP = p;
                }
            } else if (preempts(s)) {
                convict(s, starved, waited + ", and it never asked the goroutine running on P" + p.id + " to yield", now, limit);
                return;
            } else if (holdingP == null || p.pickedAt < holdingP.pickedAt) {
                holdingP = p;
            }
        }
        suspect = null;
        if (spinner == null && holdingP != null) {
            M m = holdingP.m;
            G holder = m == null ? null : m.curg;
            if (holder != null && (holder != warnedG || holdingP.schedtick != warnedTick)) { // once per slice
                warnedG = holder;
                warnedTick = holdingP.schedtick;
                rt.trace("gort: goroutine " + holder.id + " has run " + seconds(now - holdingP.pickedAt) + " without yielding on M"
                        + m.id + " and " + rt.schedStrategy.name() + " never preempts; goroutine " + starved.id
                        + " waits for a P meanwhile (it runs when a running goroutine blocks, exits or calls Go.gosched())");
            }
            return;
        }
        if (spinner != null && (spinner != warnedG || spinningP.schedtick != warnedTick)) {
            warnedG = spinner;
            warnedTick = spinningP.schedtick;
            M m = spinningP.m;
            rt.trace("gort: goroutine " + spinner.id + " has run " + seconds(now - spinningP.sysmonSchedwhen) + " without a safepoint on "
                    + (m == null ? "P" + spinningP.id : "M" + m.id) + "; goroutine " + starved.id
                    + " waits for a P meanwhile (a loop with no runtime call cannot be preempted: call Go.checkpoint() in it)");
        }
    }

    /**
     * The scheduler's fault, if it still is at the next round: a P seen between two goroutines,
     * or a G picked a moment ago, is a transient that a round later has resolved itself.
     */
    private void convict(Scheduler s, G starved, String reason, long now, long limit) {
        if (suspect == starved && suspectScheduler == s) {
            if (now - suspectedAt >= Math.min(limit / 10, 100_000_000L)) {
                suspect = null;
                rt.swaps.eject(s, reason, null);
            }
            return;
        }
        suspect = starved;
        suspectScheduler = s;
        suspectedAt = now;
    }

    /** The scheduler's {@code preempts()}; if it throws, it is ejected (and judged as one that preempts). */
    private boolean preempts(Scheduler s) {
        try {
            return s.preempts();
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "preempts", e);
            return true;
        }
    }

    /** {@code 30 s}, {@code 450 ms}. */
    private static String seconds(long nanos) {
        return nanos >= 1_000_000_000L ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000 + " ms";
    }
}
