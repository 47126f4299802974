package org.gort.kernel;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.gort.spi.sched.CacheLinePadding;
import org.gort.spi.sched.Machine;

/**
 * An M: a platform thread owned by the kernel. It runs one G at a time while it holds a P, and
 * parks on its own permit when it has none ({@code notesleep(&m.park)} in Go).
 */
public final class M extends CacheLinePadding implements Machine {
    final int id;
    final RuntimeInstance rt;
    final MThread thread;
    final SplittableRandom random;

    /** The P this M holds, or null. Only the M itself writes it, except {@link #nextp} hand-over. */
    P p;
    /** The P another thread handed to this parked M ({@code m.nextp}). */
    volatile P nextp;
    /** The G running on this M, or null between Gs. */
    volatile G curg;
    private static final java.lang.invoke.VarHandle CURG;
    private static final java.lang.invoke.VarHandle SPINNING;

    static {
        try {
            CURG = java.lang.invoke.MethodHandles.lookup().findVarHandle(M.class, "curg", G.class);
            SPINNING = java.lang.invoke.MethodHandles.lookup().findVarHandle(M.class, "spinning", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A release store of {@link #curg} for {@code execute} (see {@code G.setStatusRelease}). */
    void setCurgRelease(G g) {
        CURG.setRelease(this, g);
    }
    /**
     * Go's {@code m.spinning}, counted by {@code sched.nmspinning}: flipped through
     * {@link SpinningMs#set} (by CAS, {@link #casSpinning}), except by {@code startm}, which
     * hands an idle M the count {@code wakep} claimed.
     */
    volatile boolean spinning;

    /** Sets {@link #spinning} from {@code expect} to {@code update}; false if it was not {@code expect}. */
    boolean casSpinning(boolean expect, boolean update) {
        return SPINNING.compareAndSet(this, expect, update);
    }
    /** True while parked on the idle list. */
    volatile boolean idle;
    /** Parked in {@code stopAtSafepoint} until the world restarts: the Ms startTheWorld wakes. */
    volatile boolean stoppedForGc;
    /** In a thief's pause before a runnext steal: a stop of the world unparks it (StopTheWorld.runnextStealPause). */
    volatile boolean inStealPause;
    /**
     * The goroutine locked to this M by {@code LockOSThread} (Go's {@code m.lockedg}), or null.
     * Written only by that goroutine while it runs on this M; this M then runs no other G.
     */
    volatile G lockedg;
    /**
     * This M holds a P that {@code startlockedm} handed it to run {@link #lockedg}: the loop runs
     * that G next. Only this M writes it (read by procresize with the world stopped).
     */
    volatile boolean runLocked;
    /** Parked in {@code stoplockedm} until its locked G is runnable (counted as Go's {@code nmidlelocked}). */
    volatile boolean lockedWaiting;
    /** Its locked goroutine exited still locked: the thread has ended, as Go's mexit ends it. */
    volatile boolean exited;
    /** The G in a blocking syscall on this M, or null. */
    volatile G syscallG;
    /** The P this M left in {@code SYSCALL} state and the epoch it left it at. */
    P oldp;
    long oldpEpoch;

    // This M's share of the run's hottest counters: written only by this M's thread, so a
    // plain increment instead of a shared adder; SchedCounters sums them over allm.
    long schedules;
    long migrations;
    long created;
    /** This M's execution-trace buffer (TraceRecorder), made on its first slice; only this M's thread writes it. */
    TraceRecorder.MBuffer traceBuffer;

    M(int id, RuntimeInstance rt, long seed) {
        this(id, rt, seed, "gort-" + rt.id + "-M" + id);
    }

    /** An M whose thread is named {@code threadName}; its thread starts when {@code newm} starts it. */
    M(int id, RuntimeInstance rt, long seed, String threadName) {
        this.id = id;
        this.rt = rt;
        this.random = new SplittableRandom(seed);
        this.thread = new MThread(this, threadName);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean spinning() {
        return spinning;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** Blocks this M until it is given a P or the runtime shuts down. */
    void parkUntilHandedP() {
        while (nextp == null && !rt.shuttingDown) {
            LockSupport.park(this);
            Thread.interrupted(); // an idle M's thread is nobody's to interrupt: park must block again
        }
    }

    void unpark() {
        LockSupport.unpark(thread);
    }

    @Override
    public String toString() {
        return "M" + id;
    }
}
