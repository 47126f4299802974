package org.gort.spi.gc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.gort.api.MemStats;
import org.gort.spi.heap.AllocationFailureHook;
import org.gort.spi.heap.AllocationHook;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.gort.spi.heap.WriteBarrier;
import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerStrategy;
import org.gort.spi.sched.Goroutine;

/*
 * The GC cycle (Go's mgc.go: gcStart, gcMarkDone, gcMarkTermination, gcSweep).
 *
 * One controller per runtime instance drives every cycle through the phases its collector
 * lists, stopping the world before a stop-the-world phase and restarting it before a concurrent
 * one, so consecutive stop-the-world phases share one pause:
 *
 *   trigger     heapLive reaches the pacer's trigger (checked as allocation is published), an
 *               explicit runtime.GC() ("forced"), sysmon finding no cycle for 2 minutes
 *               ("periodic", Go's forcegcperiod), or an allocation that found the heap full.
 *               A trigger starts one coordinator goroutine (a system goroutine) and asks the
 *               allocating goroutine to yield at its next safepoint so that it runs soon.
 *               Until that cycle's first pause is over (or, if a cycle is finishing after its
 *               marking, until it has completed and the next can be requested), goroutines
 *               that go on allocating with the heap past the trigger wait before their next
 *               allocation, as Go's do on work.startSema while gcStart runs: allocation cannot
 *               outrun a cycle that has not begun (and so has no assists yet), however late
 *               the coordinator gets a core.
 *   (before)    the coordinator sweeps what the previous cycle left, as gcStart does, so the
 *               pause does not have to.
 *   SWEEP_TERMINATION, MARK | STW_MARK, MARK_TERMINATION, SWEEP | STW_SWEEP   (see Phase)
 *
 * A cycle in progress always completes under the collector that began it: a hot swap is
 * applied when the next cycle starts (at once if none is running or requested). The pacer
 * (org.gort.spi.pacer, a strategy of its own: where the goal and the trigger lie, what an
 * allocated byte owes in assists) is swapped the same way; Pacer is its mechanism here.
 *
 * GODEBUG=gcstoptheworld (RuntimeConfig.gcstoptheworld): 1 runs every cycle with its marking
 * inside the pause, whatever the collector, as Go's gcForceMode does (Go keeps user goroutines
 * off the Ps while its workers mark; here the world is simply stopped): no barrier, no assists,
 * no concurrent stack scans. 2 also sweeps inside the pause (gcForceBlockMode); a collector
 * that sweeps inside it anyway keeps doing so under 1. The collector's pacing is kept, as Go's
 * is. The lab uses it to show what a concurrent collector's design buys over the same
 * collector with concurrency turned off.
 *
 * runtime.GC() (Go's GC): wait for the cycle in progress, if any, to finish marking; make sure
 * one more full cycle runs after the call; wait for its mark termination; then sweep everything
 * on the calling goroutine.
 *
 * Accounting. Every pause is recorded whole and split by phase; objects marked and root slots
 * read inside pauses are counted with the world stopped (exact), which is what shows a pause
 * growing with the live heap or with the number of goroutines without measuring wall time.
 * Assists happen before an allocation (beforeAllocating, Go's deductAssistCredit), allocation
 * accounting and allocate-black after it (allocated); the write barrier is the collector's,
 * wrapped to count executions.
 *
 * Implementation notes. Cycle bookkeeping (started, completed, requested, waiters, swap) is
 * guarded by this object's monitor, held only for a few field updates and never while a
 * goroutine parks. The coordinator is the only writer of the per-cycle record and the metrics.
 */
public final class GcController implements AllocationHook, AllocationFailureHook {
    /** Go's {@code forcegcperiod}: 2 minutes. */
    public static final long DEFAULT_FORCE_PERIOD_MILLIS = 120_000;
    private static final long HEAP_SAMPLE_NANOS = 1_000_000;

    private final GcRuntime rt;
    private final HeapView heap;
    private final Marking marking;
    private final Pacer pacer;
    private final MarkWorkers workers;
    private final Scavenger scavenger;
    private final GcMetrics metrics = new GcMetrics();
    /** Go's MemStats.PauseNs, guarded by {@code metrics}. */
    private final long[] pauseRing = new long[MemStats.PAUSE_RING];
    /** Go's {@code PauseEnd}: when each cycle of {@link #pauseRing} ended, nanoseconds since 1970. */
    private final long[] pauseEndRing = new long[MemStats.PAUSE_RING];
    /** Go's {@code LastGC}: when the last cycle ended, nanoseconds since 1970; 0 before the first. */
    private long lastGC;
    /** The last {@value #HISTORY} completed cycles (cycle n at (n - 1) % HISTORY), for timelines; guarded by {@code metrics}. */
    private final CycleStats[] history = new CycleStats[HISTORY];
    static final int HISTORY = 1024;
    private final LongAdder barrierExecutions = new LongAdder();
    private final Assists assists;
    /** Time goroutines spent assisting this cycle (Go's {@code assistTime}). */
    private final LongAdder assistNanos;
    private final boolean checkmark;
    private final boolean census;
    /** GODEBUG=gcstoptheworld: 0, 1 (mark in the pause) or 2 (sweep in it too). */
    private final int stopTheWorldMode;
    private final long forcePeriodNanos;

    private volatile CollectorStrategy strategy;
    private volatile Collector collector;

    // guarded by this
    private CollectorStrategy pendingSwap;
    private Collector pendingCollector;
    private String pendingWhy;
    private PacerStrategy pendingPacer;
    private String pendingPacerWhy;
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
     * may have to wait ({@link #beforeAllocating}). A hint, read without the monitor;
     * {@link #awaitStart} decides under it and clears it.
     */
    private volatile boolean startPending;

    /** A cycle is requested or running: allocation need not request another. */
    private volatile boolean cycleActive;
    private volatile Phase phase;
    private volatile CycleStats last;
    private volatile long lastCycleEnd;
    private volatile long lastHeapSample;
    /** The most memory the heap retained at a sample (committed, not released), for {@code heap.retained.max.bytes}. */
    private volatile long retainedMax;

    private record Waiter(long cycle, GcRuntime.Note note) {
    }

    /**
     * Attaches a collector, paced by {@code pacer}, to {@code rt}'s heap: installs the
     * allocation hooks.
     */
    public GcController(GcRuntime rt, CollectorStrategy strategy, PacerStrategy pacer) {
        this.rt = rt;
        this.heap = rt.heap();
        this.marking = new Marking(rt);
        this.strategy = strategy;
        this.collector = validated(strategy, strategy.create(marking, marking));
        this.pacer = new Pacer(pacer, new PacerConfig(rt.gogc(), rt.memoryLimit(), rt.gomaxprocs(),
                collector.needs().concurrentMark()), rt.maxprocs());
        this.workers = new MarkWorkers(rt.gomaxprocs());
        this.assists = new Assists(rt, marking, this.pacer);
        this.assistNanos = assists.nanos;
        this.scavenger = new Scavenger(rt);
        this.checkmark = rt.gccheckmark();
        this.stopTheWorldMode = rt.gcstoptheworld();
        this.census = Boolean.parseBoolean(rt.property("gc.floating", "false"));
        this.forcePeriodNanos = Long.parseLong(rt.property("gc.forcePeriodMillis",
                Long.toString(DEFAULT_FORCE_PERIOD_MILLIS)).trim()) * 1_000_000L;
        this.lastCycleEnd = System.nanoTime();
        heap.setAllocationHook(this);
        heap.setAllocationFailureHook(this);
        if (rt.memoryLimit() != Long.MAX_VALUE && !pacer.honoursMemoryLimit()) {
            rt.trace("gort: pacer " + pacer.name() + " ignores the memory limit (it predates GOMEMLIMIT); --pacer go118 honours it");
        }
    }

    /** What every cycle needs under gcstoptheworld: nothing runs while marking. */
    private static final CollectorNeeds STOP_THE_WORLD_NEEDS =
            new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE, StackScan.ALL_IN_STW);
    private static final List<Phase> STOP_THE_WORLD_MARK =
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.SWEEP);
    private static final List<Phase> STOP_THE_WORLD_MARK_AND_SWEEP =
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.STW_SWEEP);

    /** Checks that a collector lists phases the controller can run, with matching needs. */
    static Collector validated(CollectorStrategy s, Collector c) {
        List<Phase> ph = c.phases();
        CollectorNeeds n = c.needs();
        boolean shape = ph.size() == 4 && ph.get(0) == Phase.SWEEP_TERMINATION
                && (ph.get(1) == Phase.MARK || ph.get(1) == Phase.STW_MARK)
                && ph.get(2) == Phase.MARK_TERMINATION
                && (ph.get(3) == Phase.SWEEP || ph.get(3) == Phase.STW_SWEEP);
        if (!shape) {
            throw new IllegalArgumentException("collector " + s.name() + " lists phases " + ph
                    + "; list SWEEP_TERMINATION, MARK or STW_MARK, MARK_TERMINATION, SWEEP or STW_SWEEP");
        }
        if ((ph.get(1) == Phase.STW_MARK) != (n.stacks() == StackScan.ALL_IN_STW)) {
            throw new IllegalArgumentException("collector " + s.name() + " marks in phase " + ph.get(1)
                    + " but scans stacks " + n.stacks() + "; STW_MARK goes with StackScan.ALL_IN_STW and only with it");
        }
        return c;
    }

    // ------------------------------------------------------------------ triggers

    /** Requests a cycle unless one is requested or running; true if this call started one. */
    private boolean request(String trigger) {
        synchronized (this) {
            if (requested || started > completed || rt.shuttingDown()) {
                return false;
            }
            requested = true;
            requestedTrigger = trigger;
            cycleActive = true;
        }
        rt.startSystemGoroutine(this::runCycle);
        return true;
    }

    /** {@code runtime.GC()} on the calling goroutine: returns after a full cycle and its sweep. */
    public void gc() {
        collectNow("forced");
    }

    /**
     * {@code runtime/debug.FreeOSMemory}: a forced collection, then every free page given back
     * to the operating system. Returns the bytes released.
     */
    public long freeOSMemory() {
        collectNow("forced");
        return scavenger.releaseAll();
    }

    private void collectNow(String trigger) {
        long n;
        synchronized (this) {
            n = started;
        }
        awaitCompleted(n);
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
            rt.startSystemGoroutine(this::runCycle);
        }
        awaitCompleted(n + 1);
        if (rt.currentGoroutine() != null) {
            while (!rt.shuttingDown() && heap.allocator().sweepOne() >= 0) {
                rt.checkpoint();
            }
            // No span left to claim, but the background sweeper may still be sweeping its last
            // one: wait for it, as runtime.GC does (for !isSweepDone() { Gosched() }), so that
            // every page the cycle freed is free when this returns.
            awaitSweepDone(n + 1);
        } else {
            heap.allocator().finishSweep();
        }
    }

    private void awaitCompleted(long cycle) {
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
    public void shutdown() {
        List<GcRuntime.Note> wake = new ArrayList<>();
        synchronized (this) {
            waiters.forEach(w -> wake.add(w.note()));
            waiters.clear();
            wake.addAll(startWaiters);
            startWaiters.clear();
        }
        wake.forEach(GcRuntime.Note::wakeup);
        marking.wakeAllWorkers();
    }

    // ------------------------------------------------------------------ allocation hooks

    @Override
    public void allocated(Goroutine g, long addr, long size) {
        allocated(g, rt.currentProc(), addr, size);
    }

    /** Allocate-black, heap accounting and the trigger (mallocgc's GC part after the allocation), on P {@code p}. */
    @Override
    public void allocated(Goroutine g, int p, long addr, long size) {
        boolean blackening = marking.blackening();
        if (blackening) {
            marking.markNewObject(addr, size, p);
        }
        long live = pacer.allocated(p, size);
        if (live >= 0) {
            if (blackening) {
                pacer.reviseAssistRatio(marking.scanWorkPublished.get(), marking.cycleStackSlots() * 8);
            } else if (live >= pacer.trigger()) {
                if (!cycleActive && request("heap") && g != null) {
                    rt.preemptCurrent();
                }
                startPending = true;
            }
        }
        if (blackening && p >= 0) {
            if (g == null) {
                assists.allocatedOffGoroutine(p, size);
            }
        } else if (!blackening) {
            long pages = pacer.sweepDebt(p, size);
            if (pages > 0 && heap.allocator().sweepPages(pages) < pages) {
                pacer.sweepDone();
            }
        }
    }

    @Override
    public void beforeAllocating(Goroutine g) {
        beforeAllocating(g, 0);
    }

    /**
     * Before an allocation of {@code size} bytes, at the goroutine's safepoint: waits for a
     * triggered cycle to start (see the class comment); while marking, charges the goroutine
     * for the allocation and makes it assist, or park, before it allocates, as Go's
     * {@code mallocgc} does ({@code deductAssistCredit}).
     */
    @Override
    public void beforeAllocating(Goroutine g, long size) {
        if (startPending) {
            awaitStart();
        }
        if (marking.blackening()) {
            assists.deductAssistCredit(g, size);
        }
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
    private void awaitStart() {
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
    private void cycleBegun(long cycle) {
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

    /** The heap is full: run a whole cycle on this goroutine and let the allocation retry once. */
    @Override
    public boolean collectBeforeFailing(Goroutine g, long size) {
        if (g == null || rt.currentGoroutine() == null || rt.shuttingDown()) {
            return false;
        }
        collectNow("alloc-failure");
        return true;
    }

    // ------------------------------------------------------------------ kernel hooks

    /** Called by sysmon on every round: the heap sample and the periodic trigger. */
    public void sysmonTick(long now) {
        if (now - lastHeapSample >= HEAP_SAMPLE_NANOS) {
            lastHeapSample = now;
            long live = pacer.heapLive.get();
            metrics.sampleHeap(live);
            long retained = scavenger.retained();
            if (retained > retainedMax) {
                retainedMax = retained;
            }
            pacer.sample(heap, live, retained, now, gcCpuSoFar(), rt.gomaxprocs());
        }
        if (forcePeriodNanos > 0 && !cycleActive && now - lastCycleEnd > forcePeriodNanos) {
            request("periodic");
        }
        if (!cycleActive && pacer.goalLimited() && pacer.heapLive.get() >= pacer.trigger()) {
            request("heap"); // a trigger the memory limit lowered below the heap since it was last published
        }
    }

    /** The collector's CPU time so far: completed cycles, plus the marking and assists of the cycle under way. */
    private long gcCpuSoFar() {
        long running = marking.blackening()
                ? assistNanos.sum() + workers.backgroundNanos.sum() + workers.idleNanos.sum() : 0;
        synchronized (metrics) {
            return metrics.cpuNanos + running;
        }
    }

    /**
     * Go's idle mark worker: an M whose scheduler found nothing to run marks on its P until
     * {@code stop} (a goroutine became runnable, the world is stopping). False if there was no
     * marking work, so the M parks as usual.
     */
    public boolean idleMark(BooleanSupplier stop) {
        return idleMark(stop, () -> { });
    }

    /**
     * {@link #idleMark(BooleanSupplier)}, running {@code starting} first if there is marking work:
     * the kernel stops the M spinning there, as Go's {@code schedule} does ({@code resetspinning})
     * when {@code findRunnable} hands it the idle worker.
     */
    public boolean idleMark(BooleanSupplier stop, Runnable starting) {
        return marking.blackening() && workers.idleMark(marking, stop, starting);
    }

    /**
     * {@code goexit0}: a goroutine that ends while marking with assist credit left gives it to
     * the background pool, as Go's does, so that the credit is not lost with it.
     */
    public void goroutineExiting(Goroutine g) {
        if (marking.blackening()) {
            assists.goroutineExiting(g);
        }
    }

    /** newproc: {@code creator} made {@code child} (see {@link Marking#goroutineCreated}). */
    public void goroutineCreated(Goroutine creator, Goroutine child) {
        marking.goroutineCreated(creator, child);
    }

    // ------------------------------------------------------------------ the cycle

    /** Per-cycle record, filled by the coordinator. */
    private static final class Cycle {
        long number;
        String trigger;
        Collector collector;
        String collectorName;
        /** The collector's needs and phases, or stop-the-world ones under gcstoptheworld. */
        CollectorNeeds needs;
        List<Phase> phases;
        long tSweepTerm;
        long tMark;
        long tMarkTerm;
        long tEnd;
        long heapStart;
        long heapAtMarkTerm;
        long heapGoal;
        long stackBytes;
        long globalBytes;
        long markedInPause;
        long rootSlotsInPause;
        long goroutinesInPause;
        /** Goroutines gccheckmark's verification visited in the current pause (not the collector's). */
        long verifyVisits;
        long maxPause;
        /** When the last pause ended (the world restarted). */
        long lastPauseEnd;
        /** The cycle's pauses added up (Go's PauseNs entry). */
        long pauseSum;
        long floatingObjects = -1;
        long floatingBytes = -1;
        long reachableObjects = -1;
        long markedObjects;
        long markedBytes;
        long stwMarkNanos;
        long barrierAtStart;
        GcRuntime.Note markDone;
        boolean failed;
        boolean markTermDone;
    }

    /** The coordinator goroutine's body: one whole cycle. */
    private void runCycle() {
        // gcStart: sweep what the last cycle left before stopping the world.
        while (!rt.shuttingDown() && heap.allocator().sweepOne() >= 0) {
            rt.checkpoint();
        }
        Cycle c = new Cycle();
        synchronized (this) {
            applyPendingSwap();
            c.collector = collector;
            c.collectorName = strategy.name();
            c.needs = stopTheWorldMode == 0 ? collector.needs() : STOP_THE_WORLD_NEEDS;
            c.phases = stopTheWorldMode == 0 ? collector.phases()
                    : stopTheWorldMode == 2 || collector.phases().contains(Phase.STW_SWEEP)
                    ? STOP_THE_WORLD_MARK_AND_SWEEP : STOP_THE_WORLD_MARK;
            c.trigger = requestedTrigger;
            requested = false;
            c.number = ++started;
        }
        try {
            if (!rt.shuttingDown()) {
                runPhases(c);
            }
        } finally {
            phase = null;
            rt.tracePhase(c.number, null);
            wakeAssistsIfMarkingEnded(); // also when the cycle failed or the run is ending
            lastCycleEnd = System.nanoTime();
            cycleCompleted(c.number);
        }
        if (c.markTermDone && c.phases.contains(Phase.STW_SWEEP)) {
            scavenge(pacer.goal(), c.number); // no background sweeper to hand it to
        }
    }

    /**
     * {@code gcWakeAllAssists}, once marking is over. Go wakes them inside mark termination's
     * pause; here it is done just after the world restarts, because a burst of goroutine
     * creation can leave thousands parked on the queue (8 000–10 000 at 100 000 new goroutines),
     * and waking tens of thousands one by one once took up to 15 ms of the pause. No goroutine
     * parks once blackening is off (the queue checks it under its lock), so none is left behind.
     * Called as every pause ends, and as the cycle ends whatever happened.
     */
    private void wakeAssistsIfMarkingEnded() {
        if (!marking.blackening()) {
            marking.assists.wakeAll();
        }
    }

    private void runPhases(Cycle c) {
        List<Phase> phases = c.phases;
        GcRuntime.StopToken world = null;
        List<Phase> pausePhases = new ArrayList<>();
        List<Long> pauseStarts = new ArrayList<>();
        long markedAtStop = 0;
        long slotsAtStop = 0;
        long visitsAtStop = 0;
        c.tSweepTerm = System.nanoTime();
        for (Phase ph : phases) {
            if (ph.stopsTheWorld() && world == null) {
                long requestedAt = System.nanoTime();
                if (ph == Phase.MARK_TERMINATION) {
                    c.tMarkTerm = requestedAt;
                }
                world = rt.stopTheWorld("GC " + ph.shortName());
                if (rt.shuttingDown()) {
                    rt.startTheWorld(world); // the run ended while stopping: do nothing more
                    return;
                }
                pausePhases.clear();
                pauseStarts.clear();
                markedAtStop = marking.markedObjectsTotal();
                slotsAtStop = rootSlots();
                visitsAtStop = rt.goroutinesVisited();
                c.verifyVisits = 0;
            } else if (!ph.stopsTheWorld() && world != null) {
                endPause(c, world, pausePhases, pauseStarts, markedAtStop, slotsAtStop, visitsAtStop);
                world = null;
            }
            if (ph.stopsTheWorld()) {
                pauseStarts.add(pausePhases.isEmpty() ? world.requestedNanos() : System.nanoTime());
                pausePhases.add(ph);
            }
            phase = ph;
            rt.tracePhase(c.number, ph);
            try {
                run(ph, c);
            } catch (RuntimeException | Error e) {
                // A cycle cannot be abandoned half way (the barrier, the colours and the sweep
                // depend on each phase): end the run with a clear error, then restart the world.
                c.failed = true;
                rt.fatal("collector " + c.collectorName + " failed in phase " + ph.shortName() + " of cycle "
                        + c.number + ": " + e);
            }
            if (c.failed || rt.shuttingDown()) {
                break;
            }
        }
        if (world != null) {
            endPause(c, world, pausePhases, pauseStarts, markedAtStop, slotsAtStop, visitsAtStop);
        }
        if (c.markTermDone) {
            finishCycle(c); // also when the run is ending: the cycle did complete
        }
    }

    private long rootSlots() {
        return marking.stackSlots.sum() + marking.globalSlots.sum();
    }

    /** Restarts the world and records the pause, split among the phases it held. */
    private void endPause(Cycle c, GcRuntime.StopToken world, List<Phase> phases, List<Long> starts,
                          long markedAtStop, long slotsAtStop, long visitsAtStop) {
        c.markedInPause += marking.markedObjectsTotal() - markedAtStop;
        c.rootSlotsInPause += rootSlots() - slotsAtStop;
        c.goroutinesInPause += rt.goroutinesVisited() - visitsAtStop - c.verifyVisits;
        long pause = rt.startTheWorld(world);
        cycleBegun(c.number);
        wakeAssistsIfMarkingEnded();
        long end = world.requestedNanos() + pause;
        metrics.recordPause(pause, world.timeToSafepointNanos());
        c.maxPause = Math.max(c.maxPause, pause);
        c.pauseSum += pause;
        for (int i = 0; i < phases.size(); i++) {
            long next = i + 1 < phases.size() ? starts.get(i + 1) : end;
            metrics.recordPhasePause(phases.get(i), next - starts.get(i));
        }
        if (phases.contains(Phase.MARK_TERMINATION)) {
            c.tEnd = end;
        }
        c.lastPauseEnd = end;
    }

    private void run(Phase ph, Cycle c) {
        CollectorNeeds needs = c.needs;
        switch (ph) {
            case SWEEP_TERMINATION -> {
                heap.allocator().finishSweep(); // finishsweep_m
                heap.dropUnreachableChannelBuffers();
                rt.clearPools(); // before marking, so that what the pools held is garbage now
                heap.startCycle(); // the cycle's finalizer roots
                c.heapStart = pacer.publishAllStopped();
                pacer.startCycle();
                c.heapGoal = pacer.goal();
                c.markDone = rt.newNote();
                c.barrierAtStart = barrierExecutions.sum();
                marking.startCycle(c.number, needs, c.markDone);
                workers.resetCycle(rt.gomaxprocs()); // Go's gcController.startCycle plans from GOMAXPROCS now
                assistNanos.reset();
                if (needs.stacks() == StackScan.ALL_AT_START) {
                    marking.scanAllStacksStopped();
                    marking.flushAllStopped();
                }
                if (needs.concurrentMark()) {
                    heap.setWriteBarrier(new CountingBarrier(c.collector, barrierExecutions));
                    heap.setWriteBarrierEnabled(needs.barrier() != BarrierKind.NONE);
                    marking.startBlackening();
                }
            }
            case MARK -> {
                // Go's work.tMark is the restart time startTheWorld returns, not when this
                // goroutine next gets a core.
                c.tMark = c.lastPauseEnd != 0 ? c.lastPauseEnd : System.nanoTime();
                workers.start(rt, marking, c.tMark);
                marking.checkDone();
                c.markDone.sleep();
            }
            case STW_MARK -> {
                c.tMark = System.nanoTime();
                marking.scanAllRootsStopped(true);
                marking.drainAllStopped();
                c.stwMarkNanos = System.nanoTime() - c.tMark;
            }
            case MARK_TERMINATION -> {
                if (c.tMarkTerm == 0) {
                    c.tMarkTerm = System.nanoTime();
                }
                marking.stopBlackening();
                heap.setWriteBarrierEnabled(false);
                if (needs.stacks() == StackScan.CONCURRENT_RESCAN_AT_TERMINATION) {
                    marking.scanAllStacksStopped();
                }
                marking.drainAllStopped();
                markTermination(c, needs);
                c.markTermDone = !c.failed;
            }
            case SWEEP -> {
                long gen = heap.allocator().sweepgen();
                long goal = pacer.goal();
                rt.startSystemGoroutine(() -> {
                    backgroundSweep(gen, c.number);
                    scavenge(goal, c.number);
                });
            }
            case STW_SWEEP -> {
                heap.allocator().finishSweep();
                pacer.sweepDone();
            }
        }
    }

    /** World stopped, marking finished: verify, account, pace, and start the sweep. */
    private void markTermination(Cycle c, CollectorNeeds needs) {
        c.heapAtMarkTerm = pacer.publishAllStopped();
        c.markedObjects = marking.markedObjects();
        c.markedBytes = marking.markedBytes();
        if (checkmark || census) {
            long visits = rt.goroutinesVisited();
            CheckMark.Result r = CheckMark.run(rt, checkmark, census, c.collectorName, c.number);
            c.verifyVisits += rt.goroutinesVisited() - visits; // a debugging mode's, not the collector's
            if (checkmark) {
                metrics.checkmarkCycles++;
            }
            if (census) {
                c.floatingObjects = r.floatingObjects();
                c.floatingBytes = r.floatingBytes();
            }
            c.reachableObjects = r.reachableObjects();
            if (r.failure() != null) {
                c.failed = true;
                rt.fatal(r.failure());
                return;
            }
        }
        // Unreachable objects with finalizers: marked (kept one more cycle), finalizers queued.
        heap.queueFinalizers();
        // The stacks this cycle scanned, counted as they were scanned (Go's stackScanWork):
        // walking every goroutine here would make this pause O(goroutines).
        RootSet globals = heap.globals();
        c.stackBytes = marking.cycleStackSlots() * 8;
        c.globalBytes = (long) (globals.size() + heap.channelBuffers().size()) * 8;
        long markWall = c.tMarkTerm - c.tMark;
        pacer.endCycle(new CycleResult(c.heapStart, c.heapAtMarkTerm, c.markedBytes, marking.scanWork(),
                c.stackBytes, c.globalBytes, assistNanos.sum(), workers.idleNanos.sum(), markWall, rt.gomaxprocs(),
                needs.concurrentMark()));
        heap.allocator().startSweepCycle();
        pacer.paceSweep(heap.allocator().pagesInUse()); // mheap_.pagesInUse: O(1), world stopped
    }

    private void finishCycle(Cycle c) {
        int procs = rt.gomaxprocs();
        if (c.tEnd == 0) {
            c.tEnd = System.nanoTime();
        }
        boolean stwMark = c.stwMarkNanos > 0 || !c.needs.concurrentMark();
        long background = stwMark ? (c.tMarkTerm - c.tMark) * procs : workers.backgroundNanos.sum();
        CycleStats s = new CycleStats(c.number, c.collectorName, c.trigger,
                c.tSweepTerm, c.tMark, c.tMarkTerm, c.tEnd,
                (c.tMark - c.tSweepTerm) * procs, assistNanos.sum(), background, workers.idleNanos.sum(),
                (c.tEnd - c.tMarkTerm) * procs,
                c.heapStart, c.heapAtMarkTerm, c.markedBytes, c.heapGoal, pacer.goal(),
                c.stackBytes, c.globalBytes, procs,
                c.markedObjects, c.markedInPause, c.rootSlotsInPause, c.goroutinesInPause, c.maxPause,
                barrierExecutions.sum() - c.barrierAtStart,
                c.floatingObjects, c.floatingBytes, c.reachableObjects);
        metrics.recordCycle(s);
        synchronized (metrics) {
            pauseRing[(int) ((c.number + MemStats.PAUSE_RING - 1) % MemStats.PAUSE_RING)] = c.pauseSum;
            lastGC = System.currentTimeMillis() * 1_000_000L;
            pauseEndRing[(int) ((c.number + MemStats.PAUSE_RING - 1) % MemStats.PAUSE_RING)] = lastGC;
            history[(int) ((c.number - 1) % HISTORY)] = s;
        }
        metrics.stacksScanned += marking.stacksScanned.sum();
        metrics.selfScans += marking.selfScans.sum();
        metrics.barrierShades += marking.barrierShades.sum();
        metrics.barrierRegreys += marking.barrierRegreys.sum();
        metrics.sampleHeap(c.heapAtMarkTerm);
        last = s;
        if (rt.gctrace()) {
            rt.trace(GcTrace.line(s, rt.startNanos(), cpuFraction()));
        }
    }

    private double cpuFraction() {
        long elapsed = System.nanoTime() - rt.startNanos();
        return elapsed <= 0 ? 0 : (double) metrics.cpuNanos / ((double) elapsed * rt.gomaxprocs());
    }

    /**
     * Go's {@code bgscavenge}, once this cycle's sweep is done, until the next cycle begins.
     * Whoever sweeps the last span (this sweeper, or a goroutine in {@code GC()} or allocating)
     * ends the sweep; Go's last sweeper wakes the scavenger, here the background sweeper waits
     * for that last span rather than skip the cycle's scavenging.
     */
    private void scavenge(long heapGoal, long cycle) {
        if (awaitSweepDone(cycle)) {
            scavenger.run(heapGoal, () -> isLatestCycle(cycle));
        }
    }

    /** Yields until {@code cycle}'s sweep is done; false if a newer cycle began or the run ended first. */
    private boolean awaitSweepDone(long cycle) {
        while (!heap.allocator().sweepDone()) {
            if (rt.shuttingDown() || !isLatestCycle(cycle)) {
                return false;
            }
            rt.gosched();
        }
        return isLatestCycle(cycle);
    }

    private synchronized boolean isLatestCycle(long cycle) {
        return started == cycle;
    }

    /** Go's {@code bgsweep}: sweep this cycle's spans one at a time, yielding to mutators. */
    private void backgroundSweep(long sweepgen, long cycle) {
        int n = 0;
        while (!rt.shuttingDown() && heap.allocator().sweepgen() == sweepgen && heap.allocator().sweepOne() >= 0) {
            if (++n % 8 == 0) {
                rt.gosched();
            } else {
                rt.checkpoint();
            }
        }
        rt.traceSweepDone(cycle);
    }

    private static final class CountingBarrier implements WriteBarrier {
        private final Collector collector;
        private final LongAdder executions;

        CountingBarrier(Collector collector, LongAdder executions) {
            this.collector = collector;
            this.executions = executions;
        }

        @Override
        public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
            executions.increment();
            collector.onPointerStore(obj, slot, oldValue, newValue);
        }

        @Override
        public boolean runsAfterStore() {
            return collector.runsAfterStore();
        }

        @Override
        public void afterPointerStore(long obj, int slot, long newValue) {
            collector.afterPointerStore(obj, slot, newValue);
        }
    }

    // ------------------------------------------------------------------ hot swap and introspection

    /** Replaces the collector from the next cycle (at once if no cycle is running or requested). */
    /**
     * True while a cycle is in its sweep termination, marking or mark termination (per-P mark
     * state is in use): a change of GOMAXPROCS waits for this to end, as Go's stopTheWorldGC.
     */
    public boolean marking() {
        Phase ph = phase;
        return ph != null && ph != Phase.SWEEP && ph != Phase.STW_SWEEP;
    }

    public void swap(CollectorStrategy next, String why) {
        Collector fresh = validated(next, next.create(marking, marking));
        synchronized (this) {
            pendingSwap = next;
            pendingWhy = why;
            pendingCollector = fresh;
            if (!requested && started == completed) {
                applyPendingSwap();
            }
        }
    }

    /** Caller holds the monitor. */
    private void applyPendingSwap() {
        if (pendingPacer != null) {
            String old = pacer.swap(pendingPacer);
            if (old != null) {
                rt.trace("gort: pacer " + old + " -> " + pendingPacer.name() + " (" + pendingPacerWhy + ")");
                rt.tracePacerSwap(old, pendingPacer.name(), pendingPacerWhy);
                if (rt.memoryLimit() != Long.MAX_VALUE && !pendingPacer.honoursMemoryLimit()) {
                    rt.trace("gort: pacer " + pendingPacer.name() + " ignores the memory limit (it predates GOMEMLIMIT)");
                }
            }
            pendingPacer = null;
        }
        if (pendingSwap == null) {
            return;
        }
        if (pendingSwap == strategy) {
            // Swapped away and back before the cycle ended (or to itself): nothing changes.
            pendingSwap = null;
            pendingCollector = null;
            return;
        }
        String old = strategy.name();
        strategy = pendingSwap;
        collector = pendingCollector;
        pendingSwap = null;
        pendingCollector = null;
        pacer.useTriggerFor(collector.needs().concurrentMark());
        rt.trace("gort: collector " + old + " -> " + strategy.name() + " (" + pendingWhy + ")");
        rt.traceCollectorSwap(old, strategy.name(), pendingWhy);
    }

    public String collectorName() {
        return strategy.name();
    }

    /**
     * Replaces the pacer from the next cycle (at once if no cycle is running or requested): the
     * cycle in progress finishes at the goal its pacer set.
     */
    public void swapPacer(PacerStrategy next, String why) {
        synchronized (this) {
            pendingPacer = next;
            pendingPacerWhy = why;
            if (!requested && started == completed) {
                applyPendingSwap();
            }
        }
    }

    public String pacerName() {
        return pacer.name();
    }

    /** One line for {@code status}. */
    public String status() {
        CycleStats s = last;
        Phase ph = phase;
        StringBuilder sb = new StringBuilder("gc: ").append(strategy.name());
        synchronized (this) {
            if (pendingSwap != null) {
                sb.append(" (-> ").append(pendingSwap.name()).append(" at the next cycle)");
            }

            sb.append(", ").append(ph == null ? "idle" : ph.shortName())
                    .append(", ").append(completed).append(" cycles");
            if (started > completed || requested) {
                sb.append(" (cycle ").append(started > completed ? started + " running" : (completed + 1) + " requested")
                        .append(')');
            }
            sb.append(", pacer ").append(pacer.name());
            if (pendingPacer != null) {
                sb.append(" (-> ").append(pendingPacer.name()).append(" at the next cycle)");
            }
        }
        if (ph == Phase.MARK) {
            sb.append(", ").append(marking.describe());
        }
        sb.append(String.format(", heap live %.1f MB, trigger %.1f MB, goal %.1f MB%s", pacer.heapLive.get() / 1048576.0,
                pacer.trigger() / 1048576.0, pacer.goal() / 1048576.0, pacer.goalLimited() ? " (memory limit)" : ""));
        String p = pacer.describe();
        if (!p.isEmpty()) {
            sb.append(", ").append(p);
        }
        if (s != null) {
            sb.append(String.format(", last cycle: %d marked, %d in pause, max pause %.3f ms", s.markedObjects(),
                    s.markedInPause(), s.maxPauseNanos() / 1e6));
        }
        return sb.toString();
    }

    /**
     * The completed cycles numbered above {@code after}, oldest first: at most the last
     * {@value #HISTORY} (a reader that polls less often than that many cycles misses the older ones).
     */
    public List<CycleStats> cyclesAfter(long after) {
        List<CycleStats> out = new ArrayList<>();
        synchronized (metrics) {
            for (CycleStats s : history) {
                if (s != null && s.number() > after) {
                    out.add(s);
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(CycleStats::number));
        return out;
    }

    /** The last completed cycle, or null. */
    public CycleStats lastCycle() {
        return last;
    }

    public MemStats memStats() {
        CycleStats s = last;
        long numGC;
        synchronized (this) {
            numGC = completed;
        }
        synchronized (metrics) {
            return new MemStats(numGC, metrics.forced, pacer.heapLive.get(), pacer.heapMarked(), pacer.goal(),
                    metrics.pauseTotal, s == null ? 0 : s.maxPauseNanos(), cpuFraction(),
                    s == null ? 0 : s.markedObjects(), s == null ? 0 : s.markedInPause(),
                    s == null ? -1 : s.floatingObjects(), s == null ? -1 : s.reachableObjects(), strategy.name(), pauseRing);
        }
    }

    /** Go's {@code MemStats.PauseEnd} (a copy). */
    public long[] pauseEnd() {
        synchronized (metrics) {
            return pauseEndRing.clone();
        }
    }

    /** Go's {@code MemStats.LastGC}, nanoseconds since 1970; 0 before the first cycle. */
    public long lastGC() {
        synchronized (metrics) {
            return lastGC;
        }
    }

    /** Adds the {@code gc.*} metrics to a run's report. */
    public void report(org.gort.api.Metrics m) {
        metrics.report(m, barrierExecutions.sum());
        m.put("gc.mark.objects.scanned", marking.objectsScannedTotal());
        m.put("gc.mark.span.visits", marking.spanVisitsTotal());
        m.put("gc.mark.span.objects", marking.spanObjectsTotal());
        long visits = marking.spanVisitsTotal();
        m.put("gc.mark.span.objects.per.visit", visits == 0 ? 0 : (double) marking.spanObjectsTotal() / visits);
        m.put("gc.assist.parks", marking.assists.parks());
        m.put("gc.gogc", rt.gogc());
        m.put("gc.memory.limit.bytes", rt.memoryLimit() == Long.MAX_VALUE ? 0 : rt.memoryLimit());
        m.put("gc.cycles.limited", pacer.limitedCycles());
        m.put("heap.retained.max.bytes", retainedMax);
        metrics.reportPacing(m);
        m.put("gc.scavenge.released.bytes", scavenger.releasedBytes.sum());
        m.put("gc.scavenge.cpu.ns", scavenger.workNanos.sum());
        m.put("heap.released.bytes", heap.allocator().releasedBytes());
        m.put("heap.retained.bytes", scavenger.retained());
        m.put("gc.mark.workers.dedicated", workers.dedicated);
        m.put("gc.mark.workers.fractional.goal", workers.fractionalGoal);
    }
}
