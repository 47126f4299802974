package org.gort.kernel;

import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.Scheduler;

/*
 * The M loop (Go's mstart, schedule, findRunnable's tail, execute, startm, stopm, handoffp,
 * gopark, goready).
 *
 *     loop:
 *         if m has no P: park m until some startm hands it one (stopm)
 *         if the world is stopping: stop here, resume when it restarts
 *         g = scheduler.findRunnable(m, p)
 *         if g == nil: mark for the collector if it has work (Go's idle mark worker); else
 *                      put p on the idle list, run the deadlock check, look once more for
 *                      work (the lost-wakeup re-check), block in the network poller if
 *                      goroutines wait on sockets and no other M does (Netpoll.blockIdle),
 *                      then park m until some startm hands it a P
 *         execute(g): resume g's coroutine until it suspends, then act on why:
 *             park       -> run g's unlockf (it is now safe for a waker to ready g)
 *             gosched    -> ready(g, YIELDED)
 *             preempted  -> ready(g, PREEMPTED)
 *             no P after a syscall -> ready(g, SYSCALL_EXIT); m has no P now, so it parks
 *             exit       -> g is dead; if g is main, the program ends
 *
 * LockOSThread (Go's lockedm/lockedg). A G locked to an M runs only on that M, and that M runs
 * no other G. When the locked G stops running (parks, yields, is preempted, lost its P in a
 * syscall), its M hands its P off (handoffp) and parks (stoplockedm) instead of looking for
 * work. Whoever readies the G readies it through the scheduler as any G; the M that the
 * scheduler gives it to sees g.lockedm, hands its own P to the locked M and parks
 * (startlockedm); the locked M wakes with that P and runs the G. So the scheduler strategy
 * never knows about locking. A G that exits while locked takes its M with it (mexit): the
 * thread ends, as Go's does.
 *
 * Every call from the kernel into the scheduler strategy is contained, here and in Syscalls,
 * Sysmon, Watchdog, SchedTrace and SyncImpl: a strategy that throws is ejected
 * (SchedulerSwaps.threw, one line naming it and the method) and the caller goes on with the
 * answer that cannot lose or strand a goroutine until the default is in:
 *
 *     findRunnable -> nothing found        ready          -> the G stays RUNNABLE, unqueued
 *     hasRunnable  -> yes (look again)     exited         -> nothing
 *     inheritsTimeSlice -> no              onSyscallEntry -> keep the P (sysmon may retake it)
 *     shouldPreempt, shouldRetake -> no    queue lengths  -> 0
 *
 * The ejection's swap re-readies every RUNNABLE G on no M from the kernel's records, so the
 * G whose ready() threw, and any the strategy held, run on the default.
 *
 * Invariants.
 *  - An M holds at most one P, a P is held by at most one M; P ownership changes only under
 *    idleLock (idle list), by CAS out of SYSCALL (P.casFromSyscall), or by hand-over to a
 *    parked M (M.nextp) made under idleLock.
 *  - A G is owned by exactly one party at a time: the M running it, the scheduler (runnable),
 *    or a wait structure (waiting). gopark publishes the wait only after the coroutine has
 *    suspended (unlockf runs on the M), so a waker can never resume a G that is still running.
 *  - A G becomes RUNNABLE (markRunnable) immediately before the scheduler's ready() is called
 *    for it; a ready() from outside any P runs inside SchedulerSwaps' outside-ready section, so
 *    a swap never sees a RUNNABLE G whose ready() is still to come.
 *  - An M's thread carries a goroutine's interrupt status only while it runs that goroutine:
 *    execute saves it into the G (and clears the thread) when the G suspends and restores it
 *    when the G resumes, so an M between goroutines, parked, or running another G is never
 *    interrupted by a goroutine's Thread.currentThread().interrupt().
 *  - At most maxmcount Ms exist (Go's sched.maxmcount, 10 000 unless set; Ms are never freed,
 *    an idle one is reused): the M that would exceed it is not made, and the run ends with
 *    Go's "runtime: program exceeds N-thread limit" / "fatal error: thread exhaustion"
 *    (checkmcount). A thread the JVM cannot start ends it with Go's newosproc failure.
 */
final class MLoop {
    private final RuntimeInstance rt;
    /**
     * Go's {@code sched.maxmcount}: the most Ms this run may make, written under idleLock; -1
     * until {@link #setMaxThreads}, meaning the configured limit.
     */
    private volatile int maxmcount = -1;

    MLoop(RuntimeInstance rt) {
        this.rt = rt;
    }

    private int maxmcount() {
        int n = maxmcount;
        return n >= 0 ? n : rt.config.maxThreads();
    }

    /** The body of every M thread ({@code mstart} → {@code schedule} forever). */
    void mstart(M m) {
        try {
            while (!rt.shuttingDown) {
                if (!schedule(m)) {
                    return;
                }
            }
        } catch (OutOfMemoryError e) {
            rt.finish(org.gort.api.RunStatus.OUT_OF_MEMORY, LowMemory.outOfMemory(e));
        } catch (Throwable t) {
            rt.finish(org.gort.api.RunStatus.FATAL, "fatal error: " + m + " failed: " + t);
        }
    }

    /**
     * One turn of the M loop. A method of its own so that no G stays in a local of the M's
     * frame while the M parks: an idle M's thread stack would keep the last G it ran reachable,
     * and the live leak analysis (LeakCheck) decides leaks by reachability.
     * False when the M must exit.
     */
    private boolean schedule(M m) {
        if (m.p == null) {
            return m.lockedg != null ? stoplockedm(m) : stopm(m);
        }
        if (rt.gcwaiting) {
            rt.world.stopAtSafepoint(m);
            return true;
        }
        G locked = m.lockedg;
        if (locked != null) {
            // schedule(): "if mp.lockedg != 0 { stoplockedm(); execute(mp.lockedg) }"
            if (m.runLocked) {
                m.runLocked = false;
                execute(m, locked);
                if (m.exited) {
                    return false; // mexit: its locked goroutine exited, so does the thread
                }
            } else {
                releaseLockedP(m);
            }
            return true;
        }
        G g = findRunnable(m);
        if (g == null) {
            if (rt.gcHooks.idleMark(m)) {
                return true;
            }
            releasePAndPark(m);
            return true;
        }
        if (g.lockedm != null && g.lockedm != m) {
            startlockedm(m, g);
            return true;
        }
        execute(m, g);
        if (m.exited) {
            return false;
        }
        return true;
    }

    private G findRunnable(M m) {
        Scheduler s = rt.sched;
        try {
            return (G) s.findRunnable(m, m.p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "findRunnable", e);
            return null;
        }
    }

    private void execute(M m, G g) {
        P p = m.p;
        // execute(gp, inheritTime): a G from runnext continues the slice; pickedAt is the
        // watchdog's, a store of sysmon's clock, no clock read
        p.picked(!inheritsTimeSlice(p), rt.coarseNanos);
        m.schedules++;
        if (g.tracking) {
            g.tracking = false;
            SchedCounters.record(p.latency(), System.nanoTime() - g.runnableSince);
        }
        if (g.lastM != null && g.lastM != m) {
            m.migrations++;
        }
        g.lastM = m;
        g.lastProc = p.id;
        // Release stores: acquireStack's CAS fences them before the G runs.
        g.setMRelease(m);
        g.setStatusRelease(GStatus.RUNNING);
        g.yield = G.Yield.NONE;
        m.setCurgRelease(g);
        acquireStack(g);
        TraceRecorder tr = rt.traceRecorder;
        if (tr != null) {
            tr.sliceBegin(m, p, g, false);
        }
        if (g.interrupted) {
            g.interrupted = false;
            m.thread.interrupt(); // the goroutine's own interrupt status, saved when it last suspended
        }
        g.coroutine.resume();
        // The interrupt status belongs to the goroutine: take it off the M's thread (this code
        // runs on the M's own stack, so Thread.interrupted() reads the right thread).
        g.interrupted = Thread.interrupted();
        if (tr != null) {
            tr.sliceEnd(m, g); // before unlockf: a waker may clear g's wait reason
        }
        g.releaseStackLazily();
        m.setCurgRelease(null);
        g.setMRelease(null);
        switch (g.yield) {
            case PARK -> {
                Runnable unlock = g.unlockf;
                g.unlockf = null;
                if (unlock != null) {
                    unlock.run();
                }
            }
            case GOSCHED -> {
                ready(g, ReadyReason.YIELDED, m, m.p);
            }
            case PREEMPTED -> {
                rt.counters.preemptions.increment();
                ready(g, ReadyReason.PREEMPTED, m, m.p);
            }
            case SYSCALL_NO_P -> {
                // exitsyscall0: m has no P; the G goes back to the scheduler and m parks.
                ready(g, ReadyReason.SYSCALL_EXIT, m, null);
                rt.nsyscall.decrementAndGet();
                rt.deadlock.checkIfIdle(); // exitsyscall0 -> stopm -> mput -> checkdead
            }
            case EXIT, ABORT -> {
                boolean locked = m.lockedg == g;
                if (locked) {
                    m.lockedg = null;
                    g.lockedm = null;
                }
                rt.goroutines.gexit(g, m.p);
                Scheduler s = rt.sched;
                try {
                    s.exited(g, m, m.p);
                } catch (RuntimeException | Error e) {
                    rt.swaps.threw(s, "exited", e);
                }
                if (locked && g.yield == G.Yield.EXIT) {
                    mexit(m);
                }
            }
            case NONE -> throw new IllegalStateException(g + " suspended without a reason");
        }
    }

    // ------------------------------------------------------------------ LockOSThread

    /**
     * {@code startlockedm}: the scheduler gave this M a G locked to another M. Hand this M's P
     * to that M, which is parked in {@link #stoplockedm} waiting for exactly this, and wake it;
     * this M has no P now and parks at the top of its loop ({@code stopm}). The G is marked as
     * held by its M ({@code g.m}) from here until that M runs it, so that neither a scheduler
     * swap nor the deadlock check takes it for a runnable G the scheduler lost.
     */
    private void startlockedm(M m, G g) {
        M lm = g.lockedm;
        if (m.spinning) {
            rt.ctx.setSpinning(m, false);
        }
        P p = m.p;
        rt.idleLock.lock();
        try {
            m.p = null;
            g.setMRelease(lm);
            p.m = lm;
            lm.nextp = p; // a hand-over to a parked M, made under idleLock
        } finally {
            rt.idleLock.unlock();
        }
        rt.counters.handoffs.increment();
        lm.unpark();
    }

    /**
     * {@code stoplockedm}'s first half: this M's locked G is not runnable here (it parked,
     * yielded or was preempted), and the M may run no other G, so it gives its P away
     * ({@code handoffp(releasep())}); it then waits in {@link #stoplockedm}.
     */
    private void releaseLockedP(M m) {
        P p = m.p;
        rt.idleLock.lock();
        try {
            m.p = null;
            p.m = null;
        } finally {
            rt.idleLock.unlock();
        }
        handoffp(p); // p is RUNNING with no M: handoffp gives it to work, to the idle list, or stops it for the world
    }

    /**
     * {@code stoplockedm}'s second half: park this M (its locked G not running, no P) until
     * {@link #startlockedm} hands it a P to run that G with. False when the run ends.
     */
    private boolean stoplockedm(M m) {
        if (m.runLocked) {
            // It was handed its G and a P, and procresize destroyed that P before the G ran: the
            // G goes back to the scheduler, as a G back from a syscall without a P (procresize
            // counted it in nsyscall, so the deadlock check could not run in between).
            m.runLocked = false;
            G g = m.lockedg;
            g.setMRelease(null);
            ready(g, ReadyReason.SYSCALL_EXIT, m, null);
            rt.nsyscall.decrementAndGet();
            rt.deadlock.checkIfIdle();
        }
        m.lockedWaiting = true;
        m.parkUntilHandedP();
        m.lockedWaiting = false;
        rt.idleLock.lock();
        try {
            P p = m.nextp;
            m.nextp = null;
            if (p == null) {
                return !rt.shuttingDown;
            }
            acquirep(m, p);
            m.runLocked = true;
        } finally {
            rt.idleLock.unlock();
        }
        return true;
    }

    /**
     * {@code mexit} for an M whose goroutine exited while locked to it: as Go terminates the
     * thread (it may carry state the goroutine left on it), the M hands its P off and its
     * thread ends. It stays in allm for its counters, no longer counted as a thread.
     */
    private void mexit(M m) {
        P p = m.p;
        rt.idleLock.lock();
        try {
            m.exited = true;
            nmfreed++;
            m.p = null;
            p.m = null;
        } finally {
            rt.idleLock.unlock();
        }
        handoffp(p);
    }

    /** The Ms that exited ({@code sched.nmfreed}); written under idleLock. */
    private volatile int nmfreed;

    /** Ms alive: Go's {@code mcount()}. */
    int mcount() {
        return rt.allm.size() - nmfreed;
    }

    /** The scheduler's {@code inheritsTimeSlice(p)}; false (a new slice) if it throws. */
    private boolean inheritsTimeSlice(P p) {
        Scheduler s = rt.sched;
        try {
            return s.inheritsTimeSlice(p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "inheritsTimeSlice", e);
            return false;
        }
    }

    /** Waits out a collector scanning {@code g}'s stack, then owns it (Go's casgstatus loop on _Gscan). */
    static void acquireStack(G g) {
        while (!g.acquireStack(1)) {
            Thread.onSpinWait();
        }
    }

    /** {@code stopm}: park an M that has no P until it is handed one. False when shutting down. */
    private boolean stopm(M m) {
        rt.idleLock.lock();
        try {
            if (m.nextp == null) {
                m.idle = true;
                rt.idleMs.push(m);
            }
        } finally {
            rt.idleLock.unlock();
        }
        rt.counters.mParks.increment();
        m.parkUntilHandedP();
        rt.idleLock.lock();
        try {
            if (m.idle) {
                rt.idleMs.remove(m);
                m.idle = false;
            }
            P p = m.nextp;
            m.nextp = null;
            if (p == null) {
                return !rt.shuttingDown;
            }
            acquirep(m, p);
        } finally {
            rt.idleLock.unlock();
        }
        return true;
    }

    void acquirep(M m, P p) {
        m.p = p;
        p.m = m;
        p.setStatus(ProcStatus.RUNNING);
    }

    /**
     * findRunnable's tail ("return P and block"): drop the P, stop spinning, look once more, and
     * park. The order is Go's and it matters. A spinning M that found nothing stays spinning
     * (the policy may return null with {@code m.spinning} still set) until its P is on the idle
     * list, so a {@code wakep} in between sees a spinning M and starts nobody. Only then does
     * the M stop spinning and re-check every queue: a G readied after the policy looked, when
     * {@code wakep} saw no idle P or a spinning M, is found here. If there is one, the M takes
     * an idle P back and, if it was spinning, spins again ({@code goto top}).
     */
    private void releasePAndPark(M m) {
        P p = m.p;
        rt.idleLock.lock();
        try {
            if (rt.gcwaiting) {
                rt.ctx.setSpinning(m, false); // gcstopm: an M stopped for the world is not looking
                return; // stop at the top of the loop instead
            }
            m.p = null;
            p.m = null;
            pidleput(p);
            rt.deadlock.check();
        } finally {
            rt.idleLock.unlock();
        }
        boolean wasSpinning = m.spinning;
        if (wasSpinning) {
            rt.ctx.setSpinning(m, false); // a volatile decrement, then the queues are read again
        }
        if (hasRunnableSafely()) {
            rt.idleLock.lock();
            try {
                P q = rt.gcwaiting ? null : pidleget();
                if (q != null) {
                    acquirep(m, q);
                    if (wasSpinning) {
                        rt.ctx.setSpinning(m, true);
                    }
                    return;
                }
            } finally {
                rt.idleLock.unlock();
            }
        }
        if (rt.netpoll.blockIdle(m)) {
            return; // the poller found goroutines and this M took a P back for them
        }
        stopm(m);
    }

    /**
     * The scheduler's {@code hasRunnable()}; true (look again) if it throws: the caller must not
     * idle, nor declare a deadlock, on the word of a strategy being ejected.
     */
    boolean hasRunnableSafely() {
        Scheduler s = rt.sched;
        try {
            return s.hasRunnable();
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "hasRunnable", e);
            return true;
        }
    }

    /** Puts {@code p} on the idle list. Caller holds idleLock. */
    void pidleput(P p) {
        p.setStatus(ProcStatus.IDLE);
        p.idleSince = System.nanoTime();
        rt.idlePs.push(p);
        rt.npidle = rt.idlePs.size();
    }

    /** Takes an idle P or null. Caller holds idleLock. */
    P pidleget() {
        P p = rt.idlePs.poll();
        if (p != null) {
            rt.npidle = rt.idlePs.size();
            rt.counters.idlePNanos.add(System.nanoTime() - p.idleSince);
            rt.sysmon.wake();
        }
        return p;
    }

    /**
     * {@code startm}: give {@code p} (or an idle P if null) to an idle M, or a new M. Returns
     * false if no P was available.
     */
    boolean startm(P p, boolean spinning) {
        M m = null;
        int exceeded = -1;
        boolean pFromIdle = p == null;
        rt.idleLock.lock();
        try {
            if (rt.shuttingDown || rt.gcwaiting) {
                return false;
            }
            if (p == null) {
                p = pidleget();
                if (p == null) {
                    return false;
                }
            }
            p.setStatus(ProcStatus.RUNNING);
            m = rt.idleMs.poll();
            if (m != null) {
                m.idle = false;
                m.spinning = spinning;
                m.nextp = p;
                p.m = m;
                rt.counters.mWakes.increment();
            } else if (mcount() >= maxmcount()) {
                exceeded = maxmcount(); // checkmcount: the M that would exceed the limit is not made
                if (pFromIdle) {
                    pidleput(p); // else the caller still owns p, as after any false return
                }
            } else {
                m = newm(spinning);
                m.p = p;
                p.m = m;
            }
        } finally {
            rt.idleLock.unlock();
        }
        if (exceeded >= 0 && m == null) {
            threadExhaustion(exceeded);
            return false;
        }
        if (m.thread.getState() == Thread.State.NEW) {
            try {
                m.thread.start();
            } catch (OutOfMemoryError e) {
                // newosproc: the JVM (or the OS) could not make the thread
                rt.finish(org.gort.api.RunStatus.FATAL, "runtime: failed to create new OS thread (have "
                        + (rt.allm.size() - 1) + " already; " + e.getMessage() + ")\nfatal error: newosproc");
                return false;
            }
        } else {
            m.unpark();
        }
        return true;
    }

    /** Go's {@code checkmcount} failing: the run ends as Go's program crashes. */
    private void threadExhaustion(int limit) {
        rt.finish(org.gort.api.RunStatus.FATAL, "runtime: program exceeds " + limit + "-thread limit\n"
                + "fatal error: thread exhaustion\n"
                + "(a run makes an M for each goroutine blocked in a syscall; raise the limit with --max-threads N "
                + "or Go.setMaxThreads(n))");
    }

    /**
     * Go's {@code debug.SetMaxThreads}: sets the limit on Ms and returns the previous one; a
     * limit below the Ms that already exist ends the run at once, as Go's checkmcount does.
     */
    int setMaxThreads(int n) {
        int previous;
        boolean exceeded;
        rt.idleLock.lock();
        try {
            previous = maxmcount();
            maxmcount = Math.max(0, n);
            exceeded = mcount() > maxmcount;
        } finally {
            rt.idleLock.unlock();
        }
        if (exceeded) {
            threadExhaustion(maxmcount);
        }
        return previous;
    }

    private M newm(boolean spinning) {
        M m = new M(rt.allm.size(), rt, rt.config.seed() * 0x9E3779B97F4A7C15L + rt.allm.size());
        m.spinning = spinning;
        rt.allm.add(m);
        rt.counters.msCreated.increment();
        return m;
    }

    /**
     * {@code handoffp}: {@code p} has no M (its M blocked in a syscall, or sysmon retook it).
     * Give it to an M if there is work for it, else idle it. The caller owns {@code p}, whose
     * status is {@code RUNNING} with no M; if the world is stopping, this is where it stops.
     */
    void handoffp(P p) {
        boolean work;
        Scheduler s = rt.sched;
        try {
            work = s.hasRunnable(p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "hasRunnable", e);
            work = true;
        }
        if (work) {
            rt.counters.handoffs.increment();
            if (startm(p, false)) {
                return;
            }
        } else if (rt.nmspinning.get() + rt.npidle == 0 && rt.ctx.tryStartSpinning()) {
            // No local work, but nobody is looking for work either: start a spinning M.
            rt.counters.handoffs.increment();
            if (startm(p, true)) {
                return;
            }
            rt.ctx.cancelSpinning();
        }
        rt.idleLock.lock();
        try {
            if (rt.gcwaiting) {
                p.setStatus(ProcStatus.GCSTOP);
                rt.world.stopwaitDone();
            } else {
                pidleput(p);
                rt.deadlock.check();
            }
        } finally {
            rt.idleLock.unlock();
        }
    }

    // ------------------------------------------------------------------ ready, park, safepoints

    /** Make {@code g} runnable through the scheduler; {@code m}/{@code p} are the caller's, or null. */
    void ready(G g, ReadyReason why, M m, P p) {
        if (p == null) {
            // From outside any P (timer thread, an M back from a syscall without a P): a scheduler
            // swap must not interleave with this call. The G becomes RUNNABLE only inside the
            // counted section, so a swap that waited for the section to drain never sees a
            // RUNNABLE G whose ready() is still to come, and cannot queue it twice.
            rt.swaps.enterOutsideReady();
            try {
                markRunnable(g);
                callReady(g, why, m, null);
            } finally {
                rt.swaps.exitOutsideReady();
            }
        } else {
            markRunnable(g);
            callReady(g, why, m, p);
        }
    }

    /**
     * runnableSince first: the watchdog trusts it once it sees RUNNABLE. Like Go's casgstatus,
     * only a tracked transition reads the clock; the others take sysmon's coarse time, which is
     * all the watchdog (limits of seconds) needs.
     */
    void markRunnable(G g) {
        if (g.trackingSeq++ % RuntimeInstance.TRACKING_PERIOD == 0) {
            g.tracking = true;
            g.runnableSince = System.nanoTime();
        } else {
            g.runnableSince = rt.coarseNanos;
        }
        g.waitReason = "";
        g.setStatusRelease(GStatus.RUNNABLE); // the run-queue CAS that follows is the hand-off
    }

    private void callReady(G g, ReadyReason why, M m, P p) {
        Scheduler s = rt.sched;
        try {
            s.ready(g, why, m, p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "ready", e); // g stays RUNNABLE: the ejection's requeue finds it
        }
    }

    /** {@code goready}: a waiting G becomes runnable. Called by the waker, which may be any thread. */
    void goready(G g) {
        M m = Current.m();
        P p = m != null && m.rt == rt ? m.p : null;
        ready(g, ReadyReason.READIED, m, p);
    }

    /**
     * {@code goready} called by goroutine {@code waker}, which runs now: its M and P are known
     * without a lookup. A null waker (a kernel thread) falls back to {@link #goready(G)}.
     */
    void goready(G g, G waker) {
        M m = waker == null ? null : waker.m;
        if (m == null) {
            goready(g);
            return;
        }
        ready(g, ReadyReason.READIED, m, m.rt == rt ? m.p : null);
    }

    /**
     * {@code gopark}: suspend the calling goroutine in state {@code WAITING}. {@code unlockf}
     * runs on the M after the goroutine has suspended: it is where the wait becomes visible
     * to wakers (releasing the lock of the structure the G queued itself on).
     */
    void gopark(G g, String reason, Runnable unlockf) {
        g.waitReason = reason;
        g.waitSince = rt.coarseNanos; // minutes in the deadlock report; sysmon's clock is precise enough
        g.setStatusRelease(GStatus.WAITING); // wakers find the G only after unlockf has run
        g.unlockf = unlockf;
        g.yield = G.Yield.PARK;
        Profiles pr = rt.profiles;
        if (pr != null && (pr.block || pr.mutex)) {
            long t0 = System.nanoTime();
            g.parkedAt = t0; // for the mutex profile: the unlocker charges the wait to itself
            Coroutine.suspend();
            g.parkedAt = 0;
            pr.parked(reason, System.nanoTime() - t0); // on the goroutine itself, which takes its own stack
        } else {
            Coroutine.suspend();
        }
        afterResume(g);
    }

    /** {@code Gosched}: yield the P, stay runnable. */
    void gosched(G g) {
        g.yield = G.Yield.GOSCHED;
        Coroutine.suspend();
        afterResume(g);
    }

    void afterResume(G g) {
        if (rt.shuttingDown) {
            throw new RuntimeInstance.AbortSignal();
        }
    }

    /**
     * A safepoint: honour a preemption request and a stop-the-world request. Every runtime
     * call passes here ({@code Go.checkpoint()} is an explicit one).
     */
    /**
     * The running G's P was destroyed by a GOMAXPROCS change while it was stopped: it suspends,
     * its M makes it runnable again from outside any P and parks, and it resumes later on an M
     * that holds one of the remaining Ps. It leaves as a G back from a syscall without a P does
     * (procresize counted it in nsyscall, so that the deadlock check cannot run in between).
     */
    void losePAfterResize(G g) {
        g.yield = G.Yield.SYSCALL_NO_P;
        Coroutine.suspend();
        afterResume(g);
    }

    void safepoint(G g) {
        org.gort.kernel.heap.RootCheck.LongSet fresh = g.fresh;
        if (fresh != null) {
            fresh.clear(); // --check-roots: what g obtained is valid up to here (see RootCheck)
        }
        if (rt.shuttingDown) {
            throw new RuntimeInstance.AbortSignal();
        }
        java.util.function.Consumer<G> scan = g.selfScan;
        if (scan != null) {
            g.selfScan = null;
            scan.accept(g);
        }
        if (rt.gcwaiting) {
            if (rt.stackDumpWanted) {
                g.stoppedStack = new Throwable().getStackTrace(); // its own frames, for a goroutine dump
            }
            rt.world.stopAtSafepoint(g.m);
            g.stoppedStack = null;
            if (g.m.p == null) {
                losePAfterResize(g);
            }
        }
        if (g.preempt) {
            g.preempt = false;
            g.yield = G.Yield.PREEMPTED;
            Coroutine.suspend();
            afterResume(g);
        }
    }
}
