package org.gort.kernel;

import org.gort.kernel.heap.RootStack;
import org.gort.spi.sched.Goroutine;

/**
 * A goroutine: a coroutine plus the state Go keeps in {@code runtime.g}.
 *
 * <p>Ownership: between {@code execute} and its suspension a G belongs to exactly one M;
 * while runnable it belongs to the scheduler strategy; while waiting it belongs to the wait
 * structure (a channel's queue, a timer, a semaphore) that will ready it. Fields without
 * {@code volatile} are only touched by the current owner, and ownership changes through a
 * lock release or a queue CAS, which publishes them.
 */
public final class G implements Goroutine {
    /** Why the coroutine suspended; read by the M after {@link Coroutine#resume()} returns. */
    enum Yield { NONE, PARK, GOSCHED, PREEMPTED, SYSCALL_NO_P, EXIT, ABORT }

    final long id;
    final RuntimeInstance rt;
    private org.gort.kernel.heap.ManagedHeap heap; // see heap()
    /** The goroutine's {@link org.gort.api.Mutator}, made on its first {@code Mutator.current()}; written by the G only. */
    public org.gort.api.Mutator mutator;
    final Coroutine coroutine;
    public final RootStack roots = new RootStack();
    /**
     * Under {@code --check-roots}, the addresses this goroutine obtained since its last safepoint
     * (emptied at each); null when the check is off. Touched only by the goroutine itself.
     */
    public org.gort.kernel.heap.RootCheck.LongSet fresh;

    volatile GStatus status = GStatus.IDLE;
    /** Written before a {@link #status} store and read after a status load, which orders it. */
    String waitReason = "";
    /** Set by sysmon, honoured at the next safepoint ({@code g.preempt}). */
    volatile boolean preempt;
    /** The M running this G, or null. */
    volatile M m;
    /**
     * The M this G is locked to by {@code LockOSThread} (Go's {@code g.lockedm}), or null; the G
     * then runs only on it. Written only by this G while it runs.
     */
    volatile M lockedm;
    /** Go's {@code m.lockedExt}: LockOSThread calls not yet undone by UnlockOSThread. Its own. */
    int lockedExt;
    /** The M this G last ran on, or for a new G the M that created it (for sched.migrations). */
    M lastM;
    /** A locality hint for schedulers; a stale read only costs locality. */
    int lastProc = -1;
    /**
     * When this G last became runnable, for the watchdog: the coarse clock sysmon keeps, or the
     * exact time when this transition is {@link #tracking tracked}.
     */
    long runnableSince; // ordered by the status store that follows it, as waitReason
    /**
     * Go's {@code gp.tracking}/{@code gp.trackingSeq}: one in {@link RuntimeInstance#TRACKING_PERIOD}
     * runnable-to-running transitions is timed exactly for the scheduling-latency histogram,
     * which keeps two clock reads and a histogram update off most schedules, as in Go.
     */
    boolean tracking;
    int trackingSeq;
    /** The goroutine whose go statement made this one (Go's {@code parentGoid}); 0 for main and runtime goroutines. */
    long parentGoid;
    /** That go statement's source line (Go's {@code gopc}), or null; see {@link Traceback}. */
    StackTraceElement createdAt;
    /**
     * Its own frames, taken at the safepoint where it stopped for a goroutine dump (a running
     * goroutine's stack cannot be read from another thread); null otherwise.
     */
    volatile StackTraceElement[] stoppedStack;
    /**
     * When this G parked, exactly, while the block or mutex profile records (else 0): the
     * unlocker that wakes it charges the wait to its own stack (Go's semrelease1 -> mutexevent).
     */
    volatile long parkedAt;
    /** When this G began waiting, for the deadlock report ({@code [chan receive, 2 minutes]}). */
    long waitSince;

    Yield yield = Yield.NONE;
    /** Run by the M after this G has suspended in {@code gopark} (Go's {@code unlockf}). */
    Runnable unlockf;
    /** A wakeup argument set by whoever readies this G (Go's {@code g.param}). */
    Object param;
    /** The sudog of this G's plain channel waits, made at the first (see {@link Sudog}). */
    Sudog plainSudog;
    /** Set when this G called {@code runtime.Goexit}; for main, the program goes on without it. */
    volatile boolean goexited;
    /**
     * The goroutine's interrupt status while it is not running ({@code Thread.interrupt()} on
     * its carrier): saved and cleared off the M's thread when it suspends, restored when it
     * resumes. Only the M running the G reads or writes it.
     */
    boolean interrupted;
    /** The {@code ok} of this G's last channel receive. */
    boolean recvOk;
    /** Go's {@code g.selectDone}: 0 until a waker wins the right to complete this G's select. */
    private volatile int selectDone;
    private static final java.lang.invoke.VarHandle SELECT_DONE;

    static {
        try {
            SELECT_DONE = java.lang.invoke.MethodHandles.lookup().findVarHandle(G.class, "selectDone", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final java.lang.invoke.VarHandle STATUS;
    private static final java.lang.invoke.VarHandle M_FIELD;
    private static final java.lang.invoke.VarHandle STACK_OWNER;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            STATUS = lookup.findVarHandle(G.class, "status", GStatus.class);
            M_FIELD = lookup.findVarHandle(G.class, "m", M.class);
            STACK_OWNER = lookup.findVarHandle(G.class, "stackOwner", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A release store of {@link #status} for the scheduling hot path: readers on other threads
     * (watchdog, deadlock check, collector) need the fields written before it to be visible
     * with it, not a full fence; each such path's real hand-off is a CAS (run queue, stack
     * ownership) or a lock, which fences anyway.
     */
    void setStatusRelease(GStatus s) {
        STATUS.setRelease(this, s);
    }

    /** A release store of {@link #m}; see {@link #setStatusRelease}. */
    void setMRelease(M m) {
        M_FIELD.setRelease(this, m);
    }

    /** A waker's claim on this G's select ({@code selectDone} CAS); false if another case won. */
    boolean winSelect() {
        return SELECT_DONE.compareAndSet(this, 0, 1);
    }

    /** Re-arms {@link #winSelect()} for this G's next select. */
    void resetSelect() {
        selectDone = 0;
    }

    private Object schedLink;

    /** A runtime-internal goroutine (a GC worker): not counted by NumGoroutine nor listed in a deadlock report. */
    final boolean system;
    /**
     * Who may read this G's root stack: 0 nobody holds it, 1 the M running it, 2 a collector
     * scanning it (Go's {@code _Gscan} bit). See {@link RuntimeInstance#tryScanStack}. A field
     * of the G, as Go's status word is, not an object of its own: an M that takes a G another
     * M ran last then moves one cache line fewer.
     */
    private volatile int stackOwner;

    /** Who holds this G's root stack now (see {@link #stackOwner}). */
    int stackOwner() {
        return stackOwner;
    }

    /** Takes this G's root stack from nobody (0) for {@code owner}; false if someone holds it. */
    boolean acquireStack(int owner) {
        return STACK_OWNER.compareAndSet(this, 0, owner);
    }

    /** Gives this G's root stack up (a volatile store). */
    void releaseStack() {
        stackOwner = 0;
    }

    /**
     * Gives this G's root stack up with a release store only: for the M that ran the G, whose
     * hand-off of the G (a run-queue CAS or a lock) fences anyway.
     */
    void releaseStackLazily() {
        STACK_OWNER.setRelease(this, 0);
    }
    /**
     * Set when this G's body begins. Until then the heap addresses it will start from are in its
     * body's captured variables, which no scan can see (Go copies a new goroutine's arguments onto
     * its stack); the rooting contract has them in its root slots by its first runtime call.
     */
    volatile boolean started;
    /** A stack scan this G must run on itself at its next safepoint (it was running when asked). */
    volatile java.util.function.Consumer<G> selfScan;
    /** This G's assist balance (owed scan work; negative: credit), valid in cycle {@link #assistDebtCycle} only; its own to read and write. */
    private long assistDebt;
    private long assistDebtCycle;
    /** Per-cycle collector state: the GC cycle number in which this G's stack was last scanned. */
    public volatile long stackScannedCycle;
    /** This G's slot in {@link AllGs} (Go's {@code allgs}) from creation until it dies; -1 before and after. */
    int allgIndex = -1;

    G(long id, RuntimeInstance rt, Runnable body, boolean system) {
        this.id = id;
        this.rt = rt;
        this.system = system;
        this.coroutine = new Coroutine(this, () -> rt.goroutineBody(this, body));
    }

    @Override
    public long id() {
        return id;
    }

    /** True once this G's body has begun (see {@link #started}). */
    public boolean hasStarted() {
        return started;
    }

    /** What this G owes from its assists in {@code cycle} (see {@code GcRuntime.assistDebt}). */
    public long assistDebt(long cycle) {
        return assistDebtCycle == cycle ? assistDebt : 0;
    }

    /** Sets what {@link #assistDebt(long)} returns in {@code cycle}. */
    public void setAssistDebt(long cycle, long debt) {
        assistDebtCycle = cycle;
        assistDebt = debt;
    }

    /**
     * This G's runtime's managed heap: one load from the G for the API's heap calls, not a walk
     * from the runtime through its collector hooks. Written once, by the G itself (the heap is
     * created on first use and never replaced).
     */
    public org.gort.kernel.heap.ManagedHeap heap() {
        org.gort.kernel.heap.ManagedHeap h = heap;
        return h != null ? h : (heap = rt.heap());
    }

    /** {@code Roots.set} on this G's stack: the address is checked first (nil or an object). */
    public void setRoot(int index, long addr) {
        heap().checkRootValue(addr);
        roots.set(index, addr);
    }

    /** {@code Roots.get} on this G's stack: under {@code --check-roots} the address is fresh until the next safepoint. */
    public long getRoot(int index) {
        long a = roots.get(index);
        org.gort.kernel.heap.RootCheck.LongSet f = fresh;
        if (f != null) {
            f.add(a);
        }
        return a;
    }

    /** True when the calling code runs on this goroutine: its coroutine is the one mounted on the carrier. */
    public boolean runsHere() {
        return coroutine.isCurrent();
    }

    @Override
    public int lastProc() {
        return lastProc;
    }

    @Override
    public Object schedLink() {
        return schedLink;
    }

    @Override
    public void setSchedLink(Object link) {
        schedLink = link;
    }

    public GStatus status() {
        return status;
    }

    public String waitReason() {
        return waitReason;
    }

    public boolean isSystem() {
        return system;
    }

    public RuntimeInstance runtime() {
        return rt;
    }

    @Override
    public String toString() {
        return "G" + id;
    }
}
