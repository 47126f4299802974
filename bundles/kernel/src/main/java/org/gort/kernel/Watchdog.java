package org.gort.kernel;

/*
 * The watchdog: sysmon's conviction of a scheduler strategy that leaves a runnable goroutine
 * waiting too long (as sched_ext's watchdog ejects a BPF scheduler that stalls a task).
 *
 * Every 10 ms sysmon hands it one slice of goroutine slots. A G that is RUNNABLE, on no M,
 * and has been runnable longer than the limit convicts the scheduler, which is then ejected
 * (see SchedulerSwaps). The limit is the smaller of the run's (30 s by default) and the
 * strategy's own (Scheduler.watchdogNanos: a strategy may only lower it).
 *
 * Invariants.
 *  - Nothing is convicted while the world is stopping, nor in a sweep during which sysmon
 *    itself stalled for half the limit or more: runnableSince may then be a coarse time that
 *    old, and every wait would look long.
 *  - The cursor and stall are sysmon's only: no other thread reads or writes them.
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
        long limit = Math.min(rt.config.watchdogNanos(), rt.sched.watchdogNanos());
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
            if (g != null && g.status == GStatus.RUNNABLE && g.m == null && now - g.runnableSince > limit) {
                rt.swaps.eject(rt.sched, "goroutine " + g.id + " runnable for more than " + limit / 1_000_000 + " ms", null);
                cursor = 0;
                return;
            }
        }
        cursor = end < length ? end : 0;
    }
}
