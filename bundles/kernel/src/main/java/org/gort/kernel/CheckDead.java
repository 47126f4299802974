package org.gort.kernel;

import org.gort.api.RunStatus;

/*
 * The deadlock check (Go's checkdead).
 *
 * Called with idleLock held whenever a P goes idle (findRunnable's tail, handoffp). If no P
 * runs Go code, no M is in a syscall, no timer is pending, the scheduler has nothing queued
 * and user goroutines remain, nothing can ever make progress: the run ends with Go's
 * "fatal error: all goroutines are asleep - deadlock!" and every goroutine's traceback in Go's
 * shape (Traceback): nothing can run, so every stack can be read.
 *
 * Invariants.
 *  - Every input is stable under idleLock or monotone towards "dead": npidle changes only
 *    under idleLock; nsyscall and Timers.pending() count an M or a timer until the G it may
 *    ready is runnable, so there is no instant at which they are 0 while a wake-up is in flight.
 *  - Nothing is declared while the world is stopping or the run is ending.
 */
final class CheckDead {
    private final RuntimeInstance rt;

    CheckDead(RuntimeInstance rt) {
        this.rt = rt;
    }

    /**
     * {@code checkdead}: called with idleLock held when a P goes idle. If no P runs Go code,
     * no M is in a syscall, no timer is pending and nothing is queued, the goroutines that
     * remain can never run again.
     */
    void check() {
        if (rt.npidle != rt.gomaxprocs || rt.nsyscall.get() != 0 || rt.timers.pending() != 0 || rt.shuttingDown || rt.gcwaiting) {
            return;
        }
        if (rt.mloop.hasRunnableSafely() || rt.goroutines.nUserG.get() == 0) {
            return;
        }
        // A fatal error prints every goroutine from GOTRACEBACK=single up (Go's throw), none at none.
        StringBuilder sb = new StringBuilder("fatal error: all goroutines are asleep - deadlock!\n");
        Traceback.Level level = Traceback.Level.of(rt.config().traceback());
        String dump = Traceback.all(rt, level, rt.coarseNanos);
        if (!dump.isEmpty()) {
            sb.append('\n').append(dump.stripTrailing());
        }
        rt.finish(RunStatus.DEADLOCK, sb.toString());
    }
}
