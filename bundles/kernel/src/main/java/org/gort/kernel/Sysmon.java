package org.gort.kernel;

import java.util.concurrent.locks.LockSupport;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.Scheduler;

/**
 * sysmon: the kernel thread that runs without a P and watches the others (Go's
 * {@code sysmon} in proc.go).
 *
 * <p>It sleeps 20 µs, doubling the sleep after 50 consecutive idle rounds (about 1 ms) up to
 * 10 ms, and on every round:
 * <ul>
 *   <li>{@code retake}, part 1: for a P running the same G since the previous round (same
 *       {@code schedtick}), asks the scheduler whether the G has run too long; if so, sets the
 *       G's preempt flag, honoured at its next safepoint (cooperative, as before Go 1.14);</li>
 *   <li>{@code retake}, part 2: for a P in a syscall, asks the scheduler whether to retake it;
 *       if so, takes it by CAS (losing to the M coming back is fine) and calls
 *       {@code handoffp};</li>
 *   <li>lets the collector sample the heap and start a periodic cycle (Go's forcegc check);</li>
 *   <li>prints {@code schedtrace} when due, and runs the watchdog.</li>
 * </ul>
 * Like Go's, it does nothing while the world is stopped.
 */
final class Sysmon {
    private static final long MIN_DELAY_NANOS = 20_000;
    private static final long MAX_DELAY_NANOS = 10_000_000;
    private static final long WATCHDOG_PERIOD_NANOS = 100_000_000;

    private final RuntimeInstance rt;
    private final Thread thread;
    private volatile boolean stopped;

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

    void join(long millis) throws InterruptedException {
        thread.join(millis);
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
            if (stopped || rt.shuttingDown) {
                return;
            }
            long now = System.nanoTime();
            longestTick = Math.max(longestTick, now - rt.coarseNanos);
            rt.coarseNanos = now;
            boolean acted = false;
            if (!rt.gcwaiting) {
                try {
                    acted = retake(now);
                } catch (RuntimeException | Error e) {
                    rt.ejectScheduler(rt.sched, "a sysmon callback threw " + e, null);
                }
                rt.gcSysmonTick(now); // the collector's heap sample and periodic trigger (forcegc)
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
                rt.watchdog(now, longestTick);
                longestTick = 0;
            }
        }
    }

    /** Go's {@code retake}; true if it preempted or retook anything. */
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
                    continue;
                }
                M m = p.m;
                G g = m == null ? null : m.curg;
                if (g != null && !g.preempt && s.shouldPreempt(p, g, now - p.sysmonSchedwhen)) {
                    g.preempt = true;
                    rt.counters.preemptRequests.increment();
                    acted = true;
                }
            } else if (st == ProcStatus.SYSCALL) {
                long t = p.syscalltick;
                if (p.sysmonSyscalltick != t) {
                    p.sysmonSyscalltick = t;
                    p.sysmonSyscallTicks = 1;
                    continue;
                }
                p.sysmonSyscallTicks++;
                if (s.shouldRetake(p, now - p.syscallWhen, p.sysmonSyscallTicks)
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
}
