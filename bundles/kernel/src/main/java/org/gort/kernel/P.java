package org.gort.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.gort.spi.sched.CacheLinePadding;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ProcStatus;

/**
 * A P: the right to run Go code. Exactly GOMAXPROCS exist for the life of a runtime instance.
 *
 * <p>Implementation notes: the status and a syscall epoch share one word so that the
 * {@code SYSCALL -> RUNNING} CAS of an M leaving a syscall cannot succeed on a P that was
 * retaken by sysmon and has since entered another syscall on another M (an ABA that a bare
 * status CAS would allow). Every entry into a syscall increments the epoch.
 */
public final class P extends CacheLinePadding implements Proc {
    private static final VarHandle STATE;
    private static final VarHandle SCHEDTICK;
    private static final VarHandle PICKED_AT;
    private static final ProcStatus[] STATUSES = ProcStatus.values();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(P.class, "state", long.class);
            SCHEDTICK = l.findVarHandle(P.class, "schedtick", long.class);
            PICKED_AT = l.findVarHandle(P.class, "pickedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int id;
    /** Free goroutine-registry slots (Go's {@code p.gFree}); used by the M holding this P. */
    final AllGs.Cache gfree = new AllGs.Cache();
    /** {@code epoch << 3 | status.ordinal()}. */
    private volatile long state;
    /** The M holding this P (running or in a syscall with it), or null. */
    volatile M m;
    /** Written only by the M holding this P ({@link #picked}); read by sysmon, the watchdog and schedtrace. */
    volatile long schedtick;
    /**
     * sysmon's coarse time when this P's M last picked a G to run (execute), for the watchdog:
     * no later than the real time, so a P whose pick is not after a wait's (coarse or precise)
     * start has run its G for the whole wait. Written by the P's M, read by sysmon.
     */
    volatile long pickedAt;
    volatile long syscalltick;
    /** When the current syscall on this P began. */
    volatile long syscallWhen;
    /** When the P last became idle, for idle-P time. */
    long idleSince;
    /**
     * The scheduling latencies (runnable to running) of the Gs this P ran, one transition in
     * eight ({@code sched.latency}); made by the first M to record on this P. Only the M holding
     * the P records, so a single-writer recorder suffices; {@link SchedCounters} merges every P's.
     */
    volatile org.HdrHistogram.SingleWriterRecorder latency;

    // sysmon's view (Go's sysmontick): read and written by sysmon only
    long sysmonSchedtick = -1;
    long sysmonSchedwhen;
    /** When sysmon asked the G running in this slice to yield (0: not asked), for the watchdog. */
    long preemptAsked;
    long sysmonSyscalltick = -1;
    int sysmonSyscallTicks;

    P(int id) {
        this.id = id;
        this.state = ProcStatus.GCSTOP.ordinal();
    }

    /**
     * {@code execute}'s bookkeeping on this P, by the M holding it: a new time slice unless the G
     * inherits the current one, and the pick time for the watchdog. Release stores, as Go's plain
     * stores: the readers (sysmon, the watchdog) read them racily, and the stack hand-shake's CAS
     * that follows in execute fences them before the G runs; a volatile store would add a full
     * fence per schedule.
     */
    void picked(boolean newSlice, long coarseNow) {
        if (newSlice) {
            SCHEDTICK.setRelease(this, (long) SCHEDTICK.get(this) + 1);
        }
        PICKED_AT.setRelease(this, coarseNow);
    }

    /** This P's latency recorder, made on first use; only the M holding the P calls this. */
    org.HdrHistogram.SingleWriterRecorder latency() {
        org.HdrHistogram.SingleWriterRecorder r = latency;
        if (r == null) {
            r = latency = new org.HdrHistogram.SingleWriterRecorder(3); // auto-resizing, lowest 1 ns
        }
        return r;
    }

    @Override
    public int id() {
        return id;
    }

    /** On the thief's thread: its runtime's stop of the world ends the pause (StopTheWorld). */
    @Override
    public boolean runnextStealPause(long nanos) {
        M m = Current.m();
        return m != null ? m.rt.world.runnextStealPause(m, nanos) : Proc.super.runnextStealPause(nanos);
    }

    @Override
    public long schedtick() {
        return schedtick;
    }

    @Override
    public long syscalltick() {
        return syscalltick;
    }

    @Override
    public ProcStatus status() {
        return STATUSES[(int) (state & 7)];
    }

    long stateWord() {
        return state;
    }

    static ProcStatus statusOf(long word) {
        return STATUSES[(int) (word & 7)];
    }

    static long epochOf(long word) {
        return word >>> 3;
    }

    /** Sets the status keeping the epoch. Callers own the P. */
    void setStatus(ProcStatus s) {
        long w;
        do {
            w = state;
        } while (!STATE.compareAndSet(this, w, (w & ~7L) | s.ordinal()));
    }

    /** {@code RUNNING -> SYSCALL} with a new epoch; returns the epoch. Caller owns the P. */
    long enterSyscall() {
        long w = state;
        long epoch = epochOf(w) + 1;
        state = (epoch << 3) | ProcStatus.SYSCALL.ordinal();
        return epoch;
    }

    /** CAS from {@code SYSCALL} at {@code epoch} to {@code to}. */
    boolean casFromSyscall(long epoch, ProcStatus to) {
        long expect = (epoch << 3) | ProcStatus.SYSCALL.ordinal();
        return STATE.compareAndSet(this, expect, (epoch << 3) | to.ordinal());
    }

    @Override
    public String toString() {
        return "P" + id;
    }
}
