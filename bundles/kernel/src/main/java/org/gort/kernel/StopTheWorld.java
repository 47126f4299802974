package org.gort.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.gort.spi.sched.ProcStatus;

/*
 * Stop-the-world (Go's stopTheWorldWithSema / startTheWorldWithSema, worldsema,
 * sched.gcwaiting, sched.stopwait).
 *
 * A stop is requested by a collector phase, a scheduler swap, an ejection or a trace snapshot,
 * from a goroutine or from any other thread:
 *
 *     take worldsema (a ticket lock: stops are granted in arrival order)
 *     under idleLock: gcwaiting = true; stopwait = gomaxprocs
 *         the requester's own P stops now
 *         an idle P is taken off the idle list and stopped
 *         a P in a syscall is stopped by CAS (losing to the M coming back is fine: that M
 *             then finds gcwaiting and stops itself)
 *         a P that startm handed to an idle M whose thread has not run yet is taken back
 *     spin up to 20 µs, then wait in 100 µs slices, until stopwait reaches 0: running Ps
 *         stop themselves at their next safepoint (a runtime call or the top of the M loop),
 *         each decrementing stopwait; the last one unparks the requester
 *
 * An M that is looking for work may be asleep in the pause before a runnext steal (Go's
 * usleep(3), some 50 µs in practice: the timer slack). The stop unparks it, and the thief,
 * finding the world stopping, takes nothing and stops at the top of its loop: the pause was for
 * the victim P to run its runnext itself, which a stopped P will not do. Without the wake-up, a
 * stop that began while an M slept there waited out the rest of the sleep (time to safepoint of
 * 20-90 µs at mark termination in GcHarness's parked-heap).
 *
 * A stopped M blocks in place (stopAtSafepoint), so the goroutine it was running is held at a
 * safepoint and its root stack may be scanned. Preemption is cooperative, as in Go before
 * 1.14: a loop with no runtime call delays the stop for as long as it runs, and
 * time-to-safepoint shows it.
 *
 * startTheWorld clears gcwaiting, gives every P that still has an M back to it, idles the
 * others, wakes the Ms blocked at a safepoint, releases worldsema, and starts Ms for idle Ps
 * if there is runnable work (a swap re-queued Gs, a syscall returned during the stop).
 *
 * Invariants.
 *  - Only the worldsema holder sets gcwaiting; stopwait is written under idleLock and read by
 *    the requester's park loop.
 *  - A P is counted once: each path that stops a P moves it to GCSTOP under idleLock (or by
 *    the syscall CAS), and only a P not already in GCSTOP decrements stopwait.
 *  - An M parked in stopAtSafepoint waits for its P to leave GCSTOP, not for gcwaiting to
 *    clear: the next stop may begin before it wakes, and it must stop for that one too.
 */
final class StopTheWorld {
    private final RuntimeInstance rt;

    /**
     * Go's worldsema as a ticket lock: stops of the world are granted in arrival order, so a
     * tight loop of scheduler swaps from outside cannot starve a collector's stops.
     */
    private final AtomicLong worldSemaNext = new AtomicLong();
    private volatile long worldSemaServing;
    /** Ps still to stop; written under idleLock, read by the requester's park loop. */
    volatile int stopwait;
    /** The thread waiting in stopTheWorld for stopwait to reach 0. */
    private volatile Thread stopRequester;

    StopTheWorld(RuntimeInstance rt) {
        this.rt = rt;
    }

    /**
     * {@code stopTheWorld}: returns when every P is stopped. May be called from a goroutine
     * (its own P stops first) or from any other thread.
     */
    StwToken stop(String reason) {
        M self = acquireWorldSema(Current.m());
        long t0 = System.nanoTime();
        P ownP = self != null && self.rt == rt ? self.p : null;
        rt.idleLock.lock();
        try {
            rt.gcwaiting = true;
            stopwait = rt.gomaxprocs;
            if (ownP != null) {
                ownP.setStatus(ProcStatus.GCSTOP);
                stopwait--;
            }
            for (P p : rt.allp) {
                if (p == ownP) {
                    continue;
                }
                long w = p.stateWord();
                ProcStatus st = P.statusOf(w);
                if (st == ProcStatus.IDLE) {
                    rt.idlePs.remove(p);
                    rt.npidle = rt.idlePs.size();
                    rt.counters.idlePNanos.add(System.nanoTime() - p.idleSince);
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwait--;
                } else if (st == ProcStatus.SYSCALL && p.casFromSyscall(P.epochOf(w), ProcStatus.GCSTOP)) {
                    p.m = null;
                    stopwait--;
                } else if (st == ProcStatus.RUNNING && p.m != null && p.m.nextp == p && p.m.lockedg == null) {
                    // startm handed p to an idle M whose thread has not run since: take it back
                    // (not from a locked M, handed p to run its G: it stops with p instead)
                    // rather than wait for the OS to give that thread a core. The M is idle
                    // again: back on the list, so that a later startm can hand it a P (it
                    // wakes, finds no nextp, and parks on in stopm, which reads nextp under
                    // idleLock).
                    M handed = p.m;
                    handed.nextp = null;
                    handed.idle = true;
                    rt.idleMs.push(handed);
                    rt.ctx.setSpinning(handed, false);
                    p.m = null;
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwait--;
                    rt.counters.stopReclaims.increment();
                }
            }
            stopRequester = Current.carrier();
        } finally {
            rt.idleLock.unlock();
        }
        // A thief asleep before a runnext steal ends its pause (it sets inStealPause, then reads
        // gcwaiting; this thread has set gcwaiting, then reads inStealPause).
        for (M m : rt.allm) {
            if (m.inStealPause) {
                m.unpark();
            }
        }
        // Running Ps stop at their next safepoint. Idle Ms are not woken: on a machine with few
        // cores a woken M that has nothing to do takes a core from the M the stop waits for
        // (Go's stopTheWorldWithSema wakes nobody either). The last P usually stops within
        // microseconds, so the requester looks for that long before it parks (see STOP_SPIN_NANOS).
        long spinUntil = System.nanoTime() + STOP_SPIN_NANOS;
        while (stopwait > 0 && !rt.shuttingDown && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        while (stopwait > 0 && !rt.shuttingDown) {
            LockSupport.parkNanos(this, STOP_WAIT_POLL_NANOS);
        }
        stopRequester = null;
        long t1 = System.nanoTime();
        rt.counters.stwCount.increment();
        return new StwToken(reason, t0, t1); // its time to safepoint is recorded after the restart
    }

    /**
     * The stop requester's wait for the last P, in slices, as Go's stopTheWorldWithSema sleeps
     * on its note 100 µs at a time. Go re-preempts between slices; here the stop flag stays set,
     * so there is nothing to redo, and the last P's {@code stopwaitDone} ends the wait at once.
     * The slices only keep the requester's core from going idle for long while the laggard M
     * waits for a core (on two vCPUs, slightly fewer pauses over 1 ms, within the noise).
     */
    private static final long STOP_WAIT_POLL_NANOS = 100_000;

    /**
     * How long the requester spins for the last P before it parks. A parked requester is woken
     * by the last P's unpark, and waking a thread whose CPU has gone idle costs an interrupt
     * to that CPU: on a virtual machine whose idle vCPUs halt at once (guest halt polling
     * off), tens of microseconds. At mark termination, where the requester is the collector's
     * coordinator and the last P the program's, that wake-up was most of the time to
     * safepoint: GcHarness parked-heap, scheduler-trace timestamps, a median of 16-28 us
     * between the last P's stop and the requester running again. Spinning ends it in the
     * common case at the cost of at most this long on the requester's core, which a stopping
     * M does not need (it is on its own core, or the stop waits for the OS either way).
     */
    private static final long STOP_SPIN_NANOS = 20_000;

    /**
     * Takes worldsema, in ticket order. A goroutine must not block its M while holding a
     * running P: the holder may be stopping the world and waiting for exactly that P (Go's
     * semacquire parks the goroutine instead). So a goroutine waiting for its turn stops at a
     * safepoint whenever a stop is in progress, and keeps its place in the queue.
     *
     * Nor may it keep its P for the whole wait: the goroutine whose turn comes may be runnable
     * on no P (a GOMAXPROCS change destroyed its P while it waited here, and it keeps its
     * ticket), and if every P is held by a goroutine queued behind it, it never runs and
     * nobody's turn comes again. So after a short spin a waiting goroutine yields its P
     * (Gosched) between looks, as a parked one would have given it up.
     */
    private M acquireWorldSema(M self) {
        boolean onGoroutine = self != null && self.rt == rt && self.p != null;
        long ticket = worldSemaNext.getAndIncrement();
        for (int spins = 0; worldSemaServing != ticket; spins++) {
            if (rt.shuttingDown) {
                // The program has ended: turns may never come round again, and nothing needs
                // the world stopped any more. A goroutine unwinds; another caller goes on.
                if (onGoroutine) {
                    throw new RuntimeInstance.AbortSignal();
                }
                return self;
            }
            if (onGoroutine && rt.gcwaiting) {
                stopAtSafepoint(self);
                if (self.p == null) { // its P was destroyed: resume on another M, keep the ticket
                    G g = Current.g();
                    rt.mloop.losePAfterResize(g);
                    self = g.m;
                }
                continue;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (onGoroutine) {
                G g = Current.g();
                rt.mloop.gosched(g);
                self = g.m; // it may resume on another M
            } else {
                Thread.yield();
            }
        }
        return self;
    }

    private void releaseWorldSema() {
        worldSemaServing = worldSemaServing + 1;
    }

    /** {@code startTheWorld}: restart every P. Returns the pause length in nanoseconds. */
    long start(StwToken token) {
        List<P> orphans = new ArrayList<>();
        rt.idleLock.lock();
        try {
            rt.gcwaiting = false;
            M self = Current.m();
            for (P p : rt.allp) {
                if (p.m != null) {
                    p.setStatus(ProcStatus.RUNNING);
                } else if (self != null && self.p == p) {
                    p.setStatus(ProcStatus.RUNNING);
                } else {
                    orphans.add(p);
                }
            }
            for (P p : orphans) {
                rt.mloop.pidleput(p);
            }
        } finally {
            rt.idleLock.unlock();
        }
        rt.sysmon.wake();
        // Ms blocked at a safepoint wait for gcwaiting to clear. The pause ends as the last of
        // them is woken (Go reads its clock after the notewakeups): read just before that last
        // wakeup, because on a machine with fewer free cores than running threads the woken M
        // may take this thread's core at once, and the time this thread then waits for a core
        // is time the restarted world already runs in.
        M self = Current.m();
        long end = 0;
        for (M m : rt.allm) {
            if (m != self && m.stoppedForGc) {
                end = System.nanoTime();
                m.unpark();
            }
        }
        long pause = (end != 0 ? end : System.nanoTime()) - token.requested();
        // The histograms are recorded with the world running again: a Recorder's critical
        // section, run twice a cycle, took 7-8 us of each pause (timed step by step).
        SchedCounters.record(rt.counters.stwPause, pause);
        rt.counters.stwPauseTotal.add(pause);
        SchedCounters.record(rt.counters.timeToSafepoint, token.stoppedAt() - token.requested());
        if (rt.traceRecorder != null) {
            rt.traceRecorder.stopTheWorld(token.reason(), token.requested(), token.stoppedAt(), token.requested() + pause);
        }
        releaseWorldSema();
        // Idle Ps may have work now (a swap re-queued Gs, a syscall returned during the stop).
        for (int i = 0; i < orphans.size() && rt.mloop.hasRunnableSafely(); i++) {
            if (!rt.mloop.startm(null, false)) {
                break;
            }
        }
        // A check skipped while the world was stopping (or an ejection pending) runs now.
        rt.deadlock.checkIfIdle();
        return pause;
    }

    /** An M whose P must stop: mark the P stopped and block until the world restarts. */
    void stopAtSafepoint(M m) {
        stopAtSafepoint0(m);
        P p = m.p;
        if (p != null && p.id >= rt.gomaxprocs) {
            // procresize destroyed m's P while m was stopped: m drops it. The caller sees
            // m.p == null: a goroutine gives its M up (MLoop.losePAfterResize), the M loop parks.
            rt.idleLock.lock();
            try {
                if (p.id >= rt.gomaxprocs) { // not re-added (and given back to m) since
                    if (p.m == m) {
                        p.m = null;
                    }
                    m.p = null;
                }
            } finally {
                rt.idleLock.unlock();
            }
        }
    }

    private void stopAtSafepoint0(M m) {
        for (;;) {
            P p;
            rt.idleLock.lock();
            try {
                if (m.p != null && m.p.id >= rt.gomaxprocs) {
                    return; // a P procresize destroyed need not stop (see stopAtSafepoint)
                }
                if (!rt.gcwaiting) {
                    return;
                }
                p = m.p;
                if (p != null && p.status() != ProcStatus.GCSTOP) {
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwaitDone();
                }
            } finally {
                rt.idleLock.unlock();
            }
            // m is this thread's M (Current.m() or the M loop's own), so parking here parks m.
            // startTheWorld sets p RUNNING before it unparks us; if the next stop began before we
            // woke, gcwaiting is already true again and we must stop for that one too, so wait
            // for p to leave GCSTOP rather than for the flag, and then check again.
            m.stoppedForGc = true; // before reading gcwaiting: startTheWorld clears it, then reads this
            // A goroutine held here may have interrupted itself: keep its status aside so park blocks.
            boolean interrupted = Current.takeCarrierInterrupt();
            while (rt.gcwaiting && !rt.shuttingDown && (p == null || p.status() == ProcStatus.GCSTOP)) {
                LockSupport.park(this);
            }
            m.stoppedForGc = false;
            if (interrupted) {
                Current.carrier().interrupt();
            }
            if (!rt.gcwaiting || rt.shuttingDown) {
                return;
            }
        }
    }

    /**
     * The pause a thief on {@code m} makes before stealing a running P's runnext
     * ({@link org.gort.spi.sched.Proc#runnextStealPause}): {@code nanos} of sleep, ended early
     * by a stop of the world. False if the world is stopping: the thief takes nothing.
     */
    boolean runnextStealPause(M m, long nanos) {
        m.inStealPause = true; // before reading gcwaiting: stop() sets gcwaiting, then reads this
        try {
            if (!rt.gcwaiting) {
                LockSupport.parkNanos(this, nanos);
            }
            return !rt.gcwaiting;
        } finally {
            m.inStealPause = false;
        }
    }

    /** One more P has stopped; the last one wakes the stop requester. Caller holds idleLock. */
    void stopwaitDone() {
        if (--stopwait == 0) {
            Thread t = stopRequester;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** The run has ended: a stop in progress will never complete now. */
    void wakeRequester() {
        Thread t = stopRequester;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** True if the world is stopped and {@code g}'s M is blocked at a safepoint (not the caller). */
    boolean isHeldAtSafepoint(G g) {
        M self = Current.m();
        return stopwait == 0 && (self == null || self.curg != g);
    }
}
