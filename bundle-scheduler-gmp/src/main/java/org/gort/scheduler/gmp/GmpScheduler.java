package org.gort.scheduler.gmp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;
import org.gort.spi.sched.GlobalRunQueue;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.LocalRunQueue;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.MeteredLock;
import org.gort.spi.sched.NetpollMode;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SyscallEntry;

/**
 * Goroutine scheduler: Go's GMP policy (Go 1.1+, {@code runtime/proc.go}).
 *
 * <p>The kernel owns the Gs (goroutines), Ms (worker threads) and Ps (the right to run Go code,
 * exactly GOMAXPROCS of them), and parks, wakes and hands Ps over. This class is the policy:
 * where a runnable G waits, which G an M runs next, when an idle M is woken, and what sysmon
 * does about long-running Gs and Ms stuck in syscalls.
 *
 * <h2>Queues</h2>
 * Each P has a {@link LocalRunQueue}: a 256-slot lock-free ring that only its owner puts into
 * and that others steal from, plus {@code runnext}. Beside them is one global queue
 * ({@code sched.runq}) under {@code sched.lock}, a {@link MeteredLock} so the run reports how
 * often it was taken. A G becomes runnable ({@link #ready}) as Go does it:
 * <ul>
 *   <li>{@code NEW} ({@code newproc}) and {@code READIED} ({@code ready}): {@code runqput(p, g,
 *       next=true)}: g runs next on this P and inherits the current time slice; the old runnext
 *       goes to the tail. A full ring sends half of itself plus g to the global queue
 *       ({@code runqputslow}). Without a P (a timer, a thread outside the scheduler) g goes to
 *       the global queue.</li>
 *   <li>With {@code gmp.runnext=false}, {@code NEW} and {@code READIED} use {@code runqput(p, g,
 *       next=false)}: g goes to the ring's tail, as before Go 1.5 (CL 9289 added runnext), and
 *       waits behind whatever this P already queued; no G then inherits a time slice.</li>
 *   <li>{@code YIELDED} ({@code goschedImpl}), {@code PREEMPTED} ({@code gopreempt_m}),
 *       {@code SYSCALL_EXIT} ({@code exitsyscall0}) and {@code SWAPPED}: {@code globrunqput}.</li>
 * </ul>
 * Then {@code wakep}: if a P is idle and no M is spinning, start one spinning M.
 *
 * <h2>Finding work ({@code findRunnable}), in Go's order</h2>
 * <ol>
 *   <li>Every 61st schedtick, one G from the global queue first, so that two Gs respawning each
 *       other through runnext cannot starve the global queue.</li>
 *   <li>{@code runqget}: runnext (inheriting the time slice), then the local ring.</li>
 *   <li>{@code globrunqget}: a batch of {@code min(size, size/gomaxprocs + 1)} Gs, at most half a
 *       ring; one runs, the rest go to the local ring.</li>
 *   <li>{@code netpoll(0)} ({@link SchedContext#netpoll()}): goroutines whose sockets became
 *       ready; the first runs, the rest go on the local queue ({@code injectglist}).</li>
 *   <li>{@code stealWork}: only if this M is already spinning or fewer than half the busy Ps
 *       have a spinning M ({@code 2*nmspinning < gomaxprocs - npidle}). The M becomes spinning
 *       and makes 4 passes over all non-idle Ps in a random order (a start and a stride coprime
 *       to GOMAXPROCS), taking half of a victim's ring; a victim's runnext only on the last pass.</li>
 * </ol>
 * An M that found a G while spinning stops spinning and, if it was the last spinning M, wakes
 * another ({@code resetspinning} → {@code wakep}): there may be more work, and someone should
 * be looking for it. An M that found nothing returns null still spinning; the kernel then idles
 * its P, stops the M spinning, re-checks {@link #hasRunnable()} (Go's guard against work readied
 * while every spinning M was giving up) and parks it ({@code stopm}) or, if there was work,
 * gives it a P back spinning. Until its P is idle it counts as spinning, so a {@code wakep} in
 * that window starts no other M.
 *
 * <h2>Sysmon</h2>
 * <ul>
 *   <li>Preempt a G whose time slice is at least {@code forcePreemptNS} (10 ms, configurable as
 *       {@code gmp.forcePreemptNS}). A G taken from runnext inherits the slice of the G that
 *       readied it: {@link #inheritsTimeSlice} tells the kernel not to bump schedtick, as Go's
 *       {@code execute(gp, inheritTime)} does, and sysmon times slices by schedtick; so a
 *       ping-pong pair shares one slice and cannot starve the rest of its P's queue.</li>
 *   <li>Syscalls keep their P ({@code entersyscall}); sysmon retakes it ({@code retake}) once it
 *       has seen the same syscall on two ticks, unless the P has no local work, some P is idle
 *       or some M is spinning, and the syscall is younger than 10 ms. The kernel then calls
 *       {@code handoffp}, which asks {@link #hasRunnable(Proc)}.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Every G passed to {@link #ready} is in exactly one place (one runnext, one ring slot,
 *       or the global queue) until {@link #findRunnable} or {@link #drain} hands it back.</li>
 *   <li>Only the M holding P puts into P's local queue; anyone may take from it by CAS.</li>
 *   <li>An idle P's local queue is empty (Go's {@code pidleput} throws otherwise), so thieves
 *       skip idle Ps; the kernel idles a P only after {@link #findRunnable} returned null on it
 *       or {@link #hasRunnable(Proc)} said it has no work.</li>
 *   <li>{@code sched.lock} is never held while a G runs or while stealing.</li>
 * </ul>
 */
final class GmpScheduler implements Scheduler {
    /** How often the global queue is checked first, for fairness ({@code schedtick % 61}). */
    static final int GLOBAL_QUEUE_FAIRNESS_TICKS = 61;
    /** {@code stealTries}: passes over all Ps before giving up. */
    static final int STEAL_TRIES = 4;
    /** Go's {@code forcePreemptNS}. */
    static final long DEFAULT_FORCE_PREEMPT_NS = 10_000_000L;
    /** {@code retake}'s grace for a syscall on a P without local work while others are idle. */
    static final long SYSCALL_RETAKE_GRACE_NS = 10_000_000L;
    static final String FORCE_PREEMPT_KEY = "gmp.forcePreemptNS";
    /** The property: do {@code ready} and {@code newproc} put into runnext (Go 1.5+) or at the ring's tail? */
    static final String RUNNEXT_KEY = "gmp.runnext";

    private final SchedContext ctx;
    private final int gomaxprocs;
    private final LocalRunQueue[] runqs;
    private final GlobalRunQueue globalRunq;
    private final RandomOrder stealOrder;
    /**
     * Per P, written only by the M holding the P ({@link #findRunnable}, {@link #ready} with that
     * P, then the kernel's execute): did the G findRunnable last returned come from runnext, and
     * how often each counted event happened on this P. One stripe of {@value #STRIPE} longs per
     * P, so that two Ps' writes never share a cache line, and an unused stripe at each end, so
     * that neither do a P's writes and the objects beside the array. A count is an opaque
     * increment (a plain store that cannot tear), where a shared counter costs an atomic
     * read-modify-write on every hand-off. {@link #metrics} sums the stripes.
     */
    private final long[] perP;
    private static final VarHandle PER_P = MethodHandles.arrayElementVarHandle(long[].class);
    /** longs per P: 128 bytes, two cache lines of 64 bytes (the adjacent-line prefetcher pairs them). */
    private static final int STRIPE = 16;
    private static final int INHERIT_TIME = 0;
    private static final int RUNQ_PUT_SLOW = 1;
    private static final int RUNNEXT_GETS = 2;
    private static final int FAIRNESS_GLOBAL_GETS = 3;
    private static final int GLOBAL_BATCH_GETS = 4;
    private final long forcePreemptNS;
    /** {@code runqput}'s {@code next} for NEW and READIED Gs. */
    private final boolean runnext;

    /** wakep's started Ms: counted by whoever readies, with or without a P. */
    private final LongAdder spinningMsStarted = new LongAdder();

    GmpScheduler(SchedContext ctx) {
        this.ctx = ctx;
        this.gomaxprocs = ctx.gomaxprocs();
        this.runqs = new LocalRunQueue[gomaxprocs];
        for (int i = 0; i < gomaxprocs; i++) {
            runqs[i] = new LocalRunQueue(ctx.proc(i));
        }
        this.globalRunq = new GlobalRunQueue(ctx.newMeteredLock("sched.lock"));
        this.stealOrder = new RandomOrder(gomaxprocs);
        this.perP = new long[(gomaxprocs + 2) * STRIPE];
        this.forcePreemptNS = ctx.configLong(FORCE_PREEMPT_KEY, DEFAULT_FORCE_PREEMPT_NS);
        if (forcePreemptNS <= 0) {
            throw new IllegalArgumentException(FORCE_PREEMPT_KEY + " must be positive, got " + forcePreemptNS);
        }
        this.runnext = ctx.configBoolean(RUNNEXT_KEY, true);
    }

    // ---- making Gs runnable -------------------------------------------------------------

    @Override
    public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
        switch (why) {
            case NEW, READIED -> {
                if (p != null) {
                    // proc.go's "#StoreLoad-style memory barrier" between publishing the G and
                    // reading nmspinning/npidle in wakep (it pairs with a spinning M that gives
                    // up: decrements nmspinning, then re-checks the queues) is the runnext CAS
                    // itself: a volatile write, which no later volatile read may pass.
                    runqput(p, g, runnext);
                } else {
                    globalRunq.put(g);
                }
            }
            case YIELDED, PREEMPTED, SYSCALL_EXIT, SWAPPED -> globalRunq.put(g);
        }
        // With the world stopped (a swap re-queueing), startm refuses and wakep undoes itself.
        wakep();
    }

    /** {@code runqput}: put g on p's local queue (runnext if {@code next}); overflow goes global. */
    private void runqput(Proc p, Goroutine g, boolean next) {
        if (runqs[p.id()].put(g, next, globalRunq)) {
            count(p, RUNQ_PUT_SLOW);
        }
    }

    /**
     * {@code wakep}: try to add one more P to execute Gs, but only if a P is idle and no M is
     * spinning already (a spinning M will find the work, and start another when it does).
     */
    private void wakep() {
        if (ctx.idleProcs() == 0 || ctx.spinningMs() != 0 || !ctx.tryStartSpinning()) {
            return;
        }
        if (ctx.startM(true)) {
            spinningMsStarted.increment();
        } else {
            ctx.cancelSpinning(); // no idle P after all: undo the increment
        }
    }

    // ---- finding work -------------------------------------------------------------------

    @Override
    public Goroutine findRunnable(Machine m, Proc p) {
        LocalRunQueue local = runqs[p.id()];

        // Check the global runnable queue once in a while to ensure fairness. Otherwise two
        // goroutines can completely occupy the local runqueue by constantly respawning each other.
        if (p.schedtick() % GLOBAL_QUEUE_FAIRNESS_TICKS == 0 && !globalRunq.isEmpty()) {
            Goroutine g = globrunqget(local, 1);
            if (g != null) {
                count(p, FAIRNESS_GLOBAL_GETS);
                return execute(m, p, g, false);
            }
        }

        // local runq: runnext inherits the time slice
        Goroutine g = local.takeRunnext();
        if (g != null) {
            count(p, RUNNEXT_GETS);
            return execute(m, p, g, true);
        }
        g = local.takeFromRing();
        if (g != null) {
            return execute(m, p, g, false);
        }

        // global runq
        if (!globalRunq.isEmpty()) {
            g = globrunqget(local, 0);
            if (g != null) {
                count(p, GLOBAL_BATCH_GETS);
                return execute(m, p, g, false);
            }
        }

        // Poll network. This netpoll is only an optimization before we resort to stealing
        // (the kernel polls only if some goroutine waits on a socket and no M is blocked in the
        // poller). The first G runs; the rest go on this P's queue (injectglist).
        List<Goroutine> polled = ctx.netpoll();
        if (!polled.isEmpty()) {
            for (int i = 1; i < polled.size(); i++) {
                runqput(p, polled.get(i), false);
            }
            if (polled.size() > 1) {
                wakep();
            }
            return execute(m, p, polled.get(0), false);
        }

        // Spinning Ms: steal work from other Ps. Limit the number of spinning Ms to half the
        // number of busy Ps, to keep CPU use down when GOMAXPROCS >> 1 but parallelism is low.
        if (m.spinning() || 2 * ctx.spinningMs() < gomaxprocs - ctx.idleProcs()) {
            if (!m.spinning()) {
                ctx.setSpinning(m, true);
            }
            g = stealWork(m, p, local);
            if (g != null) {
                return execute(m, p, g, false);
            }
        }

        // Nothing to do. A spinning M stays spinning: the kernel idles the P first, then stops
        // it spinning and re-checks every queue before parking it (Go's order; see Scheduler).
        return null;
    }

    /** Go 1.1+: findRunnable polls the network before stealing; sysmon and an idle M poll too. */
    @Override
    public NetpollMode netpollMode() {
        return NetpollMode.SCHEDULER;
    }

    /**
     * {@code globrunqget}: take a batch from the global queue under one lock acquisition; return
     * the first G and put the rest on p's local ring. {@code max > 0} caps the batch. The batch
     * is detached as a chain under the lock and moved to the ring after it (Go moves it while
     * holding {@code sched.lock}; the Gs are this P's once detached, so nothing can tell).
     */
    private Goroutine globrunqget(LocalRunQueue local, int max) {
        MeteredLock lock = globalRunq.lock();
        Goroutine g;
        lock.lock();
        try {
            int size = globalRunq.size();
            if (size == 0) {
                return null;
            }
            int n = Math.min(size, size / gomaxprocs + 1);
            if (max > 0 && n > max) {
                n = max;
            }
            n = Math.min(n, LocalRunQueue.CAPACITY / 2);
            g = globalRunq.takeBatchLocked(n);
        } finally {
            lock.unlock();
        }
        Goroutine next = (Goroutine) g.schedLink();
        g.setSchedLink(null);
        while (next != null) {
            Goroutine b = next;
            next = (Goroutine) b.schedLink();
            b.setSchedLink(null);
            local.put(b, false, globalRunq);
        }
        return g;
    }

    /**
     * {@code stealWork}: {@value #STEAL_TRIES} passes over every other non-idle P in a random
     * order, stealing half of a victim's local ring; runnext only on the last pass. Gives up
     * when a stop of the world is pending, checked before each victim as Go does.
     */
    private Goroutine stealWork(Machine m, Proc p, LocalRunQueue local) {
        int self = p.id();
        for (int i = 0; i < STEAL_TRIES; i++) {
            boolean stealRunnext = i == STEAL_TRIES - 1;
            for (RandomOrder.Enumeration e = stealOrder.start(m.random().nextInt()); !e.done(); e.next()) {
                if (ctx.stopPending()) {
                    return null; // sched.gcwaiting: the world is stopping; stop looking
                }
                int victim = e.position();
                if (victim == self) {
                    continue;
                }
                // Don't bother to attempt to steal if the victim is idle.
                if (ctx.proc(victim).status() == ProcStatus.IDLE) {
                    continue;
                }
                Goroutine g = local.steal(runqs[victim], stealRunnext);
                if (g != null) {
                    ctx.countSteal(local.lastStealSize());
                    return g;
                }
            }
        }
        return null;
    }

    /**
     * What {@code schedule} does with the G {@code findRunnable} found: a spinning M stops
     * spinning ({@code resetspinning}) and, if it was the last one, wakes another; and the
     * kernel's {@code execute} is told whether the G inherits the time slice.
     */
    private Goroutine execute(Machine m, Proc p, Goroutine g, boolean inherit) {
        if (m.spinning()) {
            ctx.setSpinning(m, false);
            if (ctx.spinningMs() == 0) {
                wakep();
            }
        }
        perP[stripe(p) + INHERIT_TIME] = inherit ? 1 : 0;
        return g;
    }

    /** {@code runqget}'s {@code inheritTime}: the G came from runnext. */
    @Override
    public boolean inheritsTimeSlice(Proc p) {
        return perP[stripe(p) + INHERIT_TIME] != 0;
    }

    /** The first index of {@code p}'s stripe in {@link #perP} (stripe 0 and the last are padding). */
    private static int stripe(Proc p) {
        return (p.id() + 1) * STRIPE;
    }

    /** One more {@code event} on {@code p}; only the M holding {@code p} calls this. */
    private void count(Proc p, int event) {
        int i = stripe(p) + event;
        PER_P.setOpaque(perP, i, (long) PER_P.getOpaque(perP, i) + 1);
    }

    /** The sum of {@code event}'s counts over every P. */
    private long sum(int event) {
        long n = 0;
        for (int i = STRIPE + event; i < perP.length - STRIPE; i += STRIPE) {
            n += (long) PER_P.getOpaque(perP, i);
        }
        return n;
    }

    // ---- queries ------------------------------------------------------------------------

    @Override
    public boolean hasRunnable() {
        if (!globalRunq.isEmpty()) {
            return true;
        }
        for (LocalRunQueue q : runqs) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** {@code handoffp}'s test: local work on p, or anything in the global queue. */
    @Override
    public boolean hasRunnable(Proc p) {
        return !runqs[p.id()].isEmpty() || !globalRunq.isEmpty();
    }

    @Override
    public int globalQueueLength() {
        return globalRunq.size();
    }

    @Override
    public int localQueueLength(Proc p) {
        return runqs[p.id()].size();
    }

    // ---- sysmon -------------------------------------------------------------------------

    /**
     * {@code retake}'s preemption test: the P has been in the same time slice for at least
     * {@code forcePreemptNS} (read anew each time: {@link #forcePreemptNS()}). The kernel measures {@code ranNanos} from the schedtick, which a
     * G from runnext does not bump, so a ping-pong pair shares one slice.
     */
    @Override
    public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
        return ranNanos >= forcePreemptNS();
    }

    /**
     * {@code gmp.forcePreemptNS} as the run has it now: a live setting, so the shell's {@code set}
     * changes it while the program runs. A value below 1 ns (only {@code set} could give it
     * one; the run's start refuses it) keeps the starting value.
     */
    private long forcePreemptNS() {
        long now = ctx.configLong(FORCE_PREEMPT_KEY, forcePreemptNS);
        return now >= 1 ? now : forcePreemptNS;
    }

    /** {@code entersyscall}: keep the P; sysmon decides later whether to retake it. */
    @Override
    public SyscallEntry onSyscallEntry(Proc p) {
        return SyscallEntry.KEEP_P;
    }

    /**
     * {@code retake} for a P in a syscall: not on the tick that first sees the syscall; then not
     * if the P has no local work, other Ps or Ms can pick up new work, and the syscall is younger
     * than 10 ms (retake eventually anyway, so sysmon can sleep deeply); otherwise yes.
     */
    @Override
    public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
        if (ticksSeen < 2) {
            return false;
        }
        return !(runqs[p.id()].isEmpty()
                && ctx.spinningMs() + ctx.idleProcs() > 0
                && inSyscallNanos < SYSCALL_RETAKE_GRACE_NS);
    }

    // ---- hot swap -----------------------------------------------------------------------

    @Override
    public List<Goroutine> drain() {
        List<Goroutine> all = new ArrayList<>();
        for (LocalRunQueue q : runqs) {
            q.drainTo(all);
        }
        all.addAll(globalRunq.drain());
        return all;
    }

    @Override
    public void reportCounters(ObjLongConsumer<String> sink) {
        sink.accept("gmp.runqputslow", sum(RUNQ_PUT_SLOW));
        sink.accept("gmp.runqget.runnext", sum(RUNNEXT_GETS));
        sink.accept("gmp.globrunqget.fairness", sum(FAIRNESS_GLOBAL_GETS));
        sink.accept("gmp.globrunqget.batch", sum(GLOBAL_BATCH_GETS));
        sink.accept("gmp.wakep.startm", spinningMsStarted.sum());
    }
}
