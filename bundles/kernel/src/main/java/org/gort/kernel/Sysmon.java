package org.gort.kernel;

import java.util.concurrent.locks.LockSupport;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.Scheduler;

/**
 * sysmon: the kernel thread that runs without a P and watches the others (Go's
 * {@code sysmon} in proc.go).
 *
 * <p>It sleeps 20 µs, doubling the sleep after 50 consecutive idle rounds (about 1 ms) up to
 * 10 ms. A round is idle unless it retook a P from a syscall: as in Go, where {@code retake}
 * counts only syscall hand-offs, preempting a long-running G does not keep sysmon at 20 µs,
 * so a busy program is watched every 10 ms instead of every 20 µs (measured on two cores:
 * about 4 000 wake-ups a second, each taking a mutator's core for a moment). On every round:
 * <ul>
 *   <li>{@code retake}, part 1: for a P running the same G since the previous round (same
 *       {@code schedtick}), asks the scheduler whether the G has run too long; if so, sets the
 *       G's preempt flag, honoured at its next safepoint (cooperative, as before Go 1.14);</li>
 *   <li>{@code retake}, part 2: for a P in a syscall, asks the scheduler whether to retake it;
 *       if so, takes it by CAS (losing to the M coming back is fine) and calls
 *       {@code handoffp};</li>
 *   <li>lets the collector sample the heap and start a periodic cycle (Go's forcegc check);</li>
 *   <li>polls the network if goroutines wait on sockets and nobody has polled for 10 ms
 *       (see {@code Netpoll#sysmonTick});</li>
 *   <li>prints {@code schedtrace} when due, and every 10 ms looks at the next slice of
 *       goroutines for the watchdog.</li>
 * </ul>
 * Like Go's ({@code sched.sysmonwait}), while the world is stopped or every P is idle it does
 * nothing and sleeps until {@link #wake} (a P leaves the idle list, the world restarts), at
 * most {@value #IDLE_SLEEP_NANOS} ns: then a stop-the-world has no sysmon competing for the
 * cores the late Ms need, and an idle runtime does not tick. Go bounds that sleep by the next
 * timer; gort's timers ready goroutines through an idle P, which wakes sysmon. The bound
 * keeps the watchdog running for a strategy that loses a runnable goroutine with every P idle.
 */
final class Sysmon {
    private static final long MIN_DELAY_NANOS = 20_000;
    private static final long MAX_DELAY_NANOS = 10_000_000;
    /** Between two watchdog slices (see {@code Watchdog.round}). */
    private static final long WATCHDOG_PERIOD_NANOS = 10_000_000;
    private static final long IDLE_SLEEP_NANOS = 100_000_000;

    private final RuntimeInstance rt;
    private final Thread thread;
    private volatile boolean stopped;
    /** Go's {@code sched.sysmonwait}: sysmon sleeps because the world is stopped or idle. */
    private volatile boolean waiting;

    Sysmon(RuntimeInstance rt) {
        this.rt = rt;
        this.thread = new Thread(this::loop, "gort-" + rt.id + "-sysmon");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /**
     * Ends a {@code sysmonwait} sleep; cheap when sysmon is not in one. The caller has just
     * made a P busy or restarted the world, and wrote that before reading {@code waiting}
     * (both volatile), so either it sees sysmon waiting or sysmon sees the busy P.
     */
    void wake() {
        if (waiting) {
            waiting = false;
            LockSupport.unpark(thread);
        }
    }

    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** The longest gap between two of sysmon's clock readings since the last watchdog round. */
    private long longestTick;

    private void loop() {
        long delay = MIN_DELAY_NANOS;
        int idleRounds = 0;
        long schedtraceNanos = rt.config.schedtraceMillis() * 1_000_000L;
        long nextTrace = schedtraceNanos > 0 ? System.nanoTime() + schedtraceNanos : Long.MAX_VALUE;
        long nextWatchdog = System.nanoTime() + WATCHDOG_PERIOD_NANOS;
        while (!stopped && !rt.shuttingDown) {
            LockSupport.parkNanos(this, delay);
            if (schedtraceNanos == 0 && idleOrStopped()) {
                waiting = true;
                if (idleOrStopped()) {
                    LockSupport.parkNanos(this, IDLE_SLEEP_NANOS);
                }
                waiting = false;
            }
            if (stopped || rt.shuttingDown) {
                return;
            }
            long now = System.nanoTime();
            longestTick = Math.max(longestTick, now - rt.coarseNanos);
            rt.coarseNanos = now;
            boolean acted = false;
            if (!rt.gcwaiting) {
                acted = retake(now);
                // The collector's tick may request a cycle (goroutines then wait for it) and
                // start its coordinator; the poll may ready goroutines: the deadlock check must
                // not run between the two (Go's sysmon injects under sched.lock).
                rt.deadlock.enterWaker();
                try {
                    rt.gcHooks.sysmonTick(now); // the collector's heap sample and periodic trigger (forcegc)
                    rt.netpoll.sysmonTick(now); // poll the network if nobody did for 10 ms
                } finally {
                    rt.deadlock.exitWaker();
                }
            }
            if (acted) {
                idleRounds = 0;
                delay = MIN_DELAY_NANOS;
            } else if (++idleRounds > 50) {
                delay = Math.min(delay * 2, MAX_DELAY_NANOS);
            }
            if (now >= nextTrace) {
                rt.trace(rt.schedtrace(rt.config.scheddetail()));
                nextTrace = now + schedtraceNanos;
                delay = Math.min(delay, schedtraceNanos);
            }
            if (now >= nextWatchdog) {
                nextWatchdog = now + WATCHDOG_PERIOD_NANOS;
                rt.watchdog.round(now, longestTick);
                longestTick = 0;
            }
        }
    }

    private boolean idleOrStopped() {
        return rt.gcwaiting || rt.npidle == rt.gomaxprocs;
    }

    /** Go's {@code retake}; true if it retook a P from a syscall (preempting does not count, as in Go). */
    private boolean retake(long now) {
        Scheduler s = rt.sched;
        boolean acted = false;
        for (P p : rt.allp) {
            long w = p.stateWord();
            ProcStatus st = P.statusOf(w);
            if (st == ProcStatus.RUNNING) {
                long t = p.schedtick;
                if (p.sysmonSchedtick != t) {
                    p.sysmonSchedtick = t;
                    p.sysmonSchedwhen = now;
                    p.preemptAsked = 0;
                    continue;
                }
                M m = p.m;
                G g = m == null ? null : m.curg;
                if (g != null && !g.preempt && shouldPreempt(s, p, g, now - p.sysmonSchedwhen)) {
                    g.preempt = true;
                    p.preemptAsked = now;
                    rt.counters.preemptRequests.increment();
                }
            } else if (st == ProcStatus.SYSCALL) {
                long t = p.syscalltick;
                if (p.sysmonSyscalltick != t) {
                    p.sysmonSyscalltick = t;
                    p.sysmonSyscallTicks = 1;
                    continue;
                }
                p.sysmonSyscallTicks++;
                if (shouldRetake(s, p, now - p.syscallWhen, p.sysmonSyscallTicks)
                        && p.casFromSyscall(P.epochOf(w), ProcStatus.RUNNING)) {
                    // sysmon owns the P now (RUNNING with no M) until handoffp places it.
                    p.m = null;
                    rt.counters.retakes.increment();
                    rt.handoffp(p);
                    acted = true;
                }
            }
        }
        return acted;
    }

    /** The scheduler's {@code shouldPreempt}; no if it throws (it is ejected). */
    private boolean shouldPreempt(Scheduler s, P p, G g, long ranNanos) {
        try {
            return s.shouldPreempt(p, g, ranNanos);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "shouldPreempt", e);
            return false;
        }
    }

    /** The scheduler's {@code shouldRetake}; no if it throws (it is ejected). */
    private boolean shouldRetake(Scheduler s, P p, long inSyscallNanos, int ticksSeen) {
        try {
            return s.shouldRetake(p, inSyscallNanos, ticksSeen);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "shouldRetake", e);
            return false;
        }
    }
}
