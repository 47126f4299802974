package org.gort.spi.gc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.gort.spi.sched.Goroutine;

/*
 * Triggers and the cycle count (Go's mgc.go: gcTrigger.test, gcStart's work.startSema,
 * gcWaitOnMark, work.cycles; proc.go's forcegchelper).
 *
 * A cycle starts on one of four triggers:
 *
 *   heap          heapLive reaches the pacer's trigger (checked as allocation is published,
 *                 AllocationPacing), or sysmon finds a trigger the memory limit lowered below
 *                 the heap since it was last published
 *   forced        an explicit runtime.GC() (RuntimeGc)
 *   periodic      sysmon finding no cycle for 2 minutes (Go's forcegcperiod)
 *   alloc-failure an allocation that found the heap full
 *
 * A trigger starts one coordinator goroutine (a system goroutine, GcController's cycle
 * driver) and asks the allocating goroutine to yield at its next safepoint so that it runs
 * soon. At most one cycle is requested or running at a time: a trigger while one is requested
 * or running does nothing (runtime.GC instead waits for it and asks for the next one).
 *
 * Waiting for the start. Until a triggered cycle's first pause is over (or, if a cycle is
 * finishing after its marking, until it has completed and the next can be requested),
 * goroutines that go on allocating with the heap past the trigger wait before their next
 * allocation, as Go's do on work.startSema while gcStart runs: allocation cannot outrun a
 * cycle that has not begun (and so has no assists yet), however late the coordinator gets a
 * core. Not while a cycle marks: then allocation pays assists instead.
 *
 * The counts, in the order a cycle moves them:
 *
 *   requested   a cycle is asked for and no coordinator has taken the request yet
 *   started     the coordinator took it: cycle number started is under way
 *   begun       its starting pause is over (start waiters released)
 *   completed   it ended (waiters for it released, a new cycle may be requested)
 *
 * so that completed <= begun <= started, and started is completed + 1 while a cycle runs.
 *
 * Implementation notes. The counts, the request and both waiter lists are guarded by this
 * object's monitor, held only for a few field updates and never while a goroutine parks; the
 * hot swap (Swaps) and the status line read and apply under the same monitor, so that a swap
 * applied at once sees no cycle requested or running. startPending and cycleActive are
 * hints read without the monitor on every allocation: a stale read costs one locked look
 * (awaitStart decides under the monitor and clears startPending) or one refused request.
 * Notes are woken after the monitor is released.
 */
final class Triggers {
    private final GcRuntime rt;
    private final Marking marking;
    private final Pacer pacer;
    /** The coordinator's body, started on a system goroutine for each requested cycle. */
    private final Runnable coordinator;
    private final long forcePeriodNanos;

    // guarded by this
    private long started;
    private long completed;
    private boolean requested;
    private String requestedTrigger;
    private final List<Waiter> waiters = new ArrayList<>();
    /** The last cycle whose starting pause is over (marking under way, or the cycle done). */
    private long begun;
    private final List<GcRuntime.Note> startWaiters = new ArrayList<>();

    /**
     * Allocation reached the trigger while no cycle was marking: goroutines about to allocate
     * may have to wait ({@link #awaitStart}). A hint, read without the monitor;
     * {@link #awaitStart} decides under it and clears it.
     */
    volatile boolean startPending;

    /** A cycle is requested or running: allocation need not request another. */
    volatile boolean cycleActive;
    private volatile long lastCycleEnd;

    private record Waiter(long cycle, GcRuntime.Note note) {
    }

    Triggers(GcRuntime rt, Marking marking, Pacer pacer, Runnable coordinator, long forcePeriodNanos) {
        this.rt = rt;
        this.marking = marking;
        this.pacer = pacer;
        this.coordinator = coordinator;
        this.forcePeriodNanos = forcePeriodNanos;
        this.lastCycleEnd = System.nanoTime();
    }

    /** Requests a cycle unless one is requested or running; true if this call started one. */
    boolean request(String trigger) {
        synchronized (this) {
            if (requested || started > completed || rt.shuttingDown()) {
                return false;
            }
            requested = true;
            requestedTrigger = trigger;
            cycleActive = true;
        }
        rt.startSystemGoroutine(coordinator);
        return true;
    }

    /**
     * Makes sure a cycle runs after cycle {@code n} (runtime.GC's second request): if no cycle
     * started since {@code n}, a pending request is relabelled {@code trigger}, else one is made.
     */
    void requestAfter(long n, String trigger) {
        boolean spawn = false;
        synchronized (this) {
            if (started == n) {
                if (requested) {
                    requestedTrigger = trigger;
                } else if (!rt.shuttingDown()) {
                    requested = true;
                    requestedTrigger = trigger;
                    cycleActive = true;
                    spawn = true;
                }
            }
        }
        if (spawn) {
            rt.startSystemGoroutine(coordinator);
        }
    }

    /**
     * The heap reached the trigger as {@code g} (or allocation off any goroutine) published its
     * allocation, with no cycle marking: request one and make the allocating goroutine yield to
     * the coordinator; goroutines allocating from now on wait for the cycle to start.
     */
    void heapReachedTrigger(Goroutine g) {
        if (!cycleActive && request("heap") && g != null) {
            rt.preemptCurrent();
        }
        startPending = true;
    }

    /** sysmon's triggers: the periodic one, and a trigger the memory limit lowered below the heap. */
    void sysmonTick(long now) {
        if (forcePeriodNanos > 0 && !cycleActive && now - lastCycleEnd > forcePeriodNanos) {
            request("periodic");
        }
        if (!cycleActive && pacer.goalLimited() && pacer.heapLive.get() >= pacer.trigger()) {
            request("heap"); // a trigger the memory limit lowered below the heap since it was last published
        }
    }

    /** The number of the last cycle started. */
    synchronized long started() {
        return started;
    }

    /** The number of cycles completed (Go's {@code NumGC}). */
    synchronized long completed() {
        return completed;
    }

    /** Caller holds the monitor: no cycle is requested or running (a swap may be applied at once). */
    boolean idleLocked() {
        return !requested && started == completed;
    }

    /** Caller holds the monitor: the coordinator takes the request; returns its trigger. */
    String takeRequestLocked() {
        String trigger = requestedTrigger;
        requested = false;
        return trigger;
    }

    /** Caller holds the monitor: the coordinator starts the next cycle; returns its number. */
    long startLocked() {
        return ++started;
    }

    /** Caller holds the monitor: the status line's cycle count, and the cycle running or requested. */
    void describeLocked(StringBuilder sb) {
        sb.append(", ").append(completed).append(" cycles");
        if (started > completed || requested) {
            sb.append(" (cycle ").append(started > completed ? started + " running" : (completed + 1) + " requested")
                    .append(')');
        }
    }

    /** True if {@code cycle} is the last cycle started. */
    synchronized boolean isLatestCycle(long cycle) {
        return started == cycle;
    }

    /** Parks the calling goroutine until cycle {@code cycle} has completed (or the run ends). */
    void awaitCompleted(long cycle) {
        GcRuntime.Note note;
        synchronized (this) {
            if (completed >= cycle || rt.shuttingDown()) {
                return;
            }
            note = rt.newNote();
            waiters.add(new Waiter(cycle, note));
        }
        note.sleep();
    }

    /** Cycle {@code cycle} ended (completed, failed, or cut short by the run's end). */
    void cycleEnded(long cycle) {
        lastCycleEnd = System.nanoTime();
        cycleCompleted(cycle);
    }

    private void cycleCompleted(long cycle) {
        List<GcRuntime.Note> wake = new ArrayList<>();
        synchronized (this) {
            completed = cycle;
            cycleActive = requested;
            // Start waiters go only now that a new cycle may be requested (see awaitStart).
            wake.addAll(beginLocked(cycle));
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.cycle() <= completed) {
                    wake.add(w.note());
                    it.remove();
                }
            }
        }
        wake.forEach(GcRuntime.Note::wakeup);
    }

    /** Wakes every waiter: the run is ending and no cycle will complete. */
    void shutdown() {
        List<GcRuntime.Note> wake = new ArrayList<>();
        synchronized (this) {
            waiters.forEach(w -> wake.add(w.note()));
            waiters.clear();
            wake.addAll(startWaiters);
            startWaiters.clear();
        }
        wake.forEach(GcRuntime.Note::wakeup);
    }

    /**
     * Parks the calling goroutine, which allocated the heap past the trigger, until the next
     * cycle can start: while a cycle is starting (requested with none running, or started and
     * still in its first pause), and while one whose marking is over has not completed yet (no
     * new cycle can be requested before that, so allocation would otherwise run on past the
     * trigger for as long as the coordinator takes to finish, milliseconds when it waits for a
     * core). Not while a cycle marks: then allocation pays assists instead. A cycle requested
     * while another runs (a second runtime.GC) does not hold allocation up.
     */
    void awaitStart() {
        while (true) {
            GcRuntime.Note note;
            synchronized (this) {
                boolean starting = started > begun || (requested && started == completed);
                boolean finishing = started > completed && !marking.blackening();
                if (!(starting || finishing) || rt.shuttingDown()) {
                    startPending = false;
                    return;
                }
                note = rt.newNote();
                startWaiters.add(note);
            }
            note.sleep();
        }
    }

    /**
     * Cycle {@code cycle}'s starting pause is over: release the start waiters (those that must
     * wait on for the cycle to complete, after a stop-the-world mark, register again).
     */
    void cycleBegun(long cycle) {
        List<GcRuntime.Note> wake;
        synchronized (this) {
            wake = beginLocked(cycle);
        }
        wake.forEach(GcRuntime.Note::wakeup);
    }

    /** Records that cycle {@code cycle} has begun and hands back the start waiters to wake. */
    private List<GcRuntime.Note> beginLocked(long cycle) {
        begun = Math.max(begun, cycle);
        if (startWaiters.isEmpty()) {
            return List.of();
        }
        List<GcRuntime.Note> wake = new ArrayList<>(startWaiters);
        startWaiters.clear();
        return wake;
    }
}
