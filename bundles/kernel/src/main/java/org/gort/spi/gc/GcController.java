package org.gort.spi.gc;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.gort.api.MemStats;
import org.gort.spi.heap.AllocationFailureHook;
import org.gort.spi.heap.AllocationHook;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
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
 *               A trigger starts one coordinator goroutine (a system goroutine) running
 *               runCycle, and goroutines allocating past the trigger wait for the cycle to
 *               begin (Triggers).
 *   (before)    the coordinator sweeps what the previous cycle left, as gcStart does, so the
 *               pause does not have to; then it applies a pending hot swap (Swaps), takes the
 *               request and fixes the cycle's needs and phases (PhasePlan).
 *   SWEEP_TERMINATION   (gcStart, world stopped) finish the sweep, the runtime's cycle-start
 *               hooks (CycleHooks: channel buffers, sync.Pool, finalizer roots), the pacer's
 *               goal, the mark state and workers; stacks scanned here if the collector scans
 *               them all at the start; then the write barrier and blackening for a concurrent
 *               mark.
 *   MARK        (concurrent) the background and idle workers and assists mark until the
 *               termination check finds no work (gcMarkDone). A worker or an assist that
 *               finds it runs the pause that follows itself, from its own P, then wakes the
 *               coordinator (finishMark), as Go's gcMarkDone runs on the goroutine that found
 *               no more work; otherwise (an idle P's M) it wakes the coordinator, which runs it.
 *   STW_MARK    (world stopped) every root and the whole heap marked inside the pause.
 *   MARK_TERMINATION    (gcMarkTermination, world stopped) blackening and the barrier off,
 *               stacks rescanned if the collector asks, the last grey objects drained; then
 *               verification (gccheckmark, the floating-garbage census), finalizers queued
 *               (CycleHooks), the pacer told the cycle's result, and a new sweep generation.
 *   SWEEP       (concurrent) the background sweeper (BackgroundSweep) and allocation sweep,
 *               then the scavenger runs toward the new goal.
 *   STW_SWEEP   (world stopped) the whole sweep inside the pause; the coordinator scavenges
 *               after the cycle.
 *
 * Every pause ends the same way: its counts taken with the world still stopped, the world
 * restarted, the start waiters released (the cycle has begun), the parked assists woken if
 * marking is over (Assists), and the pause recorded (Accounting). It is timed as Go times
 * it: the pause that ends marking stops its clock before the restart (gcMarkTermination),
 * the others after the restart has woken the Ms (gcStart). The cycle ends, whatever happened,
 * with the phase cleared, the assists woken and the cycle counted complete (waiters
 * released); a cycle whose mark termination completed is recorded (Accounting: metrics,
 * MemStats, history, gctrace).
 *
 * The other subsystems, each in its own file with its design comment:
 *
 *   Triggers           requests, the cycle count, waiting for a cycle to start or complete
 *   AllocationPacing   the collector's part of an allocation (mallocgc's)
 *   Assists            mutator assists
 *   RuntimeGc          runtime.GC(), FreeOSMemory, a collection before an allocation fails
 *   PhasePlan          which phases a cycle runs; GODEBUG=gcstoptheworld
 *   Swaps              hot swap of the collector and the pacer
 *   CycleHooks         sync.Pool and finalizers
 *   BackgroundSweep    bgsweep and the hand-off to the scavenger
 *   Accounting         pauses, cycles, MemStats, gctrace and the gc.* metrics
 *   CountingBarrier    the collector's write barrier, counted
 *   Cycle              one cycle's record
 *
 * A failure inside a phase cannot abandon the cycle half way (the barrier, the colours and the
 * sweep depend on each phase): it ends the run with a clear error (GcRuntime.fatal), and the
 * world is restarted.
 *
 * Implementation notes. The coordinator is the only writer of the per-cycle record and the
 * metrics, but for the pause after marking when the goroutine that finished marking runs it:
 * the coordinator sleeps on the cycle's note meanwhile, whose wake-up orders those writes before
 * its next reads. It runs one cycle at a time (Triggers admits one request while none runs). phase
 * is volatile, for marking() and status. Cycle bookkeeping is under Triggers' monitor.
 */
public final class GcController implements AllocationHook, AllocationFailureHook {
    /** Go's {@code forcegcperiod}: 2 minutes. */
    public static final long DEFAULT_FORCE_PERIOD_MILLIS = 120_000;

    private final GcRuntime rt;
    private final HeapView heap;
    private final Marking marking;
    private final Pacer pacer;
    private final MarkWorkers workers;
    private final Scavenger scavenger;
    private final Assists assists;
    private final Triggers triggers;
    private final Swaps swaps;
    private final Accounting accounting;
    private final BackgroundSweep sweeper;
    private final RuntimeGc runtimeGc;
    private final AllocationPacing allocation;
    private final boolean checkmark;
    private final boolean census;
    /** GODEBUG=gcstoptheworld: 0, 1 (mark in the pause) or 2 (sweep in it too). */
    private final int stopTheWorldMode;

    private volatile Phase phase;

    /**
     * Attaches a collector, paced by {@code pacer}, to {@code rt}'s heap: installs the
     * allocation hooks.
     */
    public GcController(GcRuntime rt, CollectorStrategy strategy, PacerStrategy pacer) {
        this.rt = rt;
        this.heap = rt.heap();
        this.marking = new Marking(rt);
        Collector collector = PhasePlan.validated(strategy, strategy.create(marking, marking));
        this.pacer = new Pacer(pacer, new PacerConfig(rt.gogc(), rt.memoryLimit(), rt.gomaxprocs(),
                collector.needs().concurrentMark()), rt.maxprocs());
        this.workers = new MarkWorkers(rt.gomaxprocs());
        this.assists = new Assists(rt, marking, this.pacer);
        this.scavenger = new Scavenger(rt);
        this.checkmark = rt.gccheckmark();
        this.stopTheWorldMode = rt.gcstoptheworld();
        this.census = Boolean.parseBoolean(rt.property("gc.floating", "false"));
        long forcePeriodNanos = Long.parseLong(rt.property("gc.forcePeriodMillis",
                Long.toString(DEFAULT_FORCE_PERIOD_MILLIS)).trim()) * 1_000_000L;
        this.triggers = new Triggers(rt, marking, this.pacer, this::runCycle, forcePeriodNanos);
        this.swaps = new Swaps(rt, marking, this.pacer, triggers, strategy, collector);
        this.accounting = new Accounting(rt, heap, marking, this.pacer, workers, assists, scavenger);
        this.sweeper = new BackgroundSweep(rt, heap, triggers, scavenger);
        this.runtimeGc = new RuntimeGc(rt, heap, triggers, sweeper, scavenger);
        this.allocation = new AllocationPacing(heap, marking, this.pacer, assists, triggers, scavenger);
        heap.setAllocationHook(this);
        heap.setAllocationFailureHook(this);
        if (rt.memoryLimit() != Long.MAX_VALUE && !pacer.honoursMemoryLimit()) {
            rt.trace("gort: pacer " + pacer.name() + " ignores the memory limit (it predates GOMEMLIMIT); --pacer go118 honours it");
        }
    }

    // ------------------------------------------------------------------ runtime.GC and the run's end

    /** {@code runtime.GC()} on the calling goroutine: returns after a full cycle and its sweep. */
    public void gc() {
        runtimeGc.gc();
    }

    /**
     * {@code runtime/debug.FreeOSMemory}: a forced collection, then every free page given back
     * to the operating system. Returns the bytes released.
     */
    public long freeOSMemory() {
        return runtimeGc.freeOSMemory();
    }

    /** Wakes every waiter: the run is ending and no cycle will complete. */
    public void shutdown() {
        triggers.shutdown();
        marking.wakeAllWorkers();
    }

    // ------------------------------------------------------------------ allocation hooks (AllocationPacing)

    @Override
    public void allocated(Goroutine g, long addr, long size) {
        allocation.allocated(g, rt.currentProc(), addr, size);
    }

    /** Allocate-black, heap accounting and the trigger (mallocgc's GC part after the allocation), on P {@code p}. */
    @Override
    public void allocated(Goroutine g, int p, long addr, long size) {
        allocation.allocated(g, p, addr, size);
    }

    @Override
    public void beforeAllocating(Goroutine g) {
        allocation.beforeAllocating(g, 0);
    }

    /**
     * Before an allocation of {@code size} bytes, at the goroutine's safepoint: waits for a
     * triggered cycle to start; while marking, charges the goroutine for the allocation and
     * makes it assist, or park, before it allocates, as Go's {@code mallocgc} does
     * ({@code deductAssistCredit}).
     */
    @Override
    public void beforeAllocating(Goroutine g, long size) {
        allocation.beforeAllocating(g, size);
    }

    /** The heap is full: run a whole cycle on this goroutine and let the allocation retry once. */
    @Override
    public boolean collectBeforeFailing(Goroutine g, long size) {
        return runtimeGc.collectBeforeFailing(g, size);
    }

    // ------------------------------------------------------------------ kernel hooks

    /** Called by sysmon on every round: the heap sample and the periodic trigger. */
    public void sysmonTick(long now) {
        accounting.sysmonSample(now);
        triggers.sysmonTick(now);
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

    /** newproc: {@code creator} made {@code child} (see {@link RootJobs#goroutineCreated}). */
    public void goroutineCreated(Goroutine creator, Goroutine child) {
        marking.roots.goroutineCreated(creator, child);
    }

    // ------------------------------------------------------------------ the cycle

    /** The coordinator goroutine's body: one whole cycle. */
    private void runCycle() {
        // gcStart: sweep what the last cycle left before stopping the world.
        while (!rt.shuttingDown() && heap.allocator().sweepOne() >= 0) {
            rt.checkpoint();
        }
        Cycle c = new Cycle();
        synchronized (triggers) {
            swaps.applyPendingLocked();
            Collector collector = swaps.collector();
            c.collector = collector;
            c.collectorName = swaps.strategy().name();
            c.needs = PhasePlan.needs(collector, stopTheWorldMode);
            c.phases = PhasePlan.phases(collector, stopTheWorldMode);
            c.trigger = triggers.takeRequestLocked();
            c.number = triggers.startLocked();
        }
        c.markDone = rt.newNote(); // made before the world stops: a pause does only what must be stopped
        try {
            if (!rt.shuttingDown()) {
                runPhases(c);
            }
        } finally {
            phase = null;
            rt.tracePhase(c.number, null);
            assists.wakeAllIfMarkingEnded(); // also when the cycle failed or the run is ending
            triggers.cycleEnded(c.number);
        }
        if (c.markTermDone && c.phases.contains(Phase.STW_SWEEP)) {
            sweeper.scavenge(pacer.goal(), c.number); // no background sweeper to hand it to
        }
    }

    private void runPhases(Cycle c) {
        List<Phase> phases = c.phases;
        c.tSweepTerm = System.nanoTime();
        for (int i = 0; i < phases.size(); ) {
            Phase ph = phases.get(i);
            if (ph.stopsTheWorld()) {
                i = runStopped(c, i);
                if (i < 0) {
                    break;
                }
                continue;
            }
            phase = ph;
            rt.tracePhase(c.number, ph);
            if (!runPhase(ph, c)) {
                break;
            }
            i++;
            if (ph == Phase.MARK && c.finishedAt != 0) {
                // The goroutine that finished marking ran the pause that follows (finishMark).
                i = c.finishedAt;
                if (i < 0) {
                    break;
                }
            }
        }
        if (c.markTermDone) {
            accounting.recordCycle(c); // also when the run is ending: the cycle did complete
        }
    }

    /**
     * One pause: stops the world and runs the phases from index {@code i} for as long as they
     * stop it (consecutive stop-the-world phases share one pause), then restarts it. Returns the
     * index of the next phase, or -1 if the cycle must end (a phase failed, or the run ended).
     */
    private int runStopped(Cycle c, int i) {
        List<Phase> phases = c.phases;
        Phase first = phases.get(i);
        long requestedAt = System.nanoTime();
        if (first == Phase.MARK_TERMINATION) {
            c.tMarkTerm = requestedAt;
        }
        GcRuntime.StopToken world = rt.stopTheWorld("GC " + first.shortName());
        if (rt.shuttingDown()) {
            rt.startTheWorld(world); // the run ended while stopping: do nothing more
            return -1;
        }
        Accounting.Pause pause = accounting.pauseBegan(c);
        for (; i < phases.size() && phases.get(i).stopsTheWorld(); i++) {
            Phase ph = phases.get(i);
            pause.add(ph, world);
            phase = ph;
            rt.tracePhase(c.number, ph);
            if (!runPhase(ph, c)) {
                endPause(c, world, pause);
                return -1;
            }
        }
        endPause(c, world, pause);
        return i;
    }

    /** Runs one phase; false if the cycle must end (it failed, or the run is ending). */
    private boolean runPhase(Phase ph, Cycle c) {
        try {
            run(ph, c);
        } catch (RuntimeException | Error e) {
            // A cycle cannot be abandoned half way (the barrier, the colours and the sweep
            // depend on each phase): end the run with a clear error, then restart the world.
            c.failed = true;
            rt.fatal("collector " + c.collectorName + " failed in phase " + ph.shortName() + " of cycle "
                    + c.number + ": " + e);
        }
        return !c.failed && !rt.shuttingDown();
    }

    /**
     * Go's gcMarkDone on the goroutine that found no more work (Marking's finisher): the pause
     * after the mark phase, run here while the coordinator sleeps, which then goes on from the
     * phase after it ({@code c.finishedAt}; the note orders these writes before its reads).
     */
    private void finishMark(Cycle c) {
        int next = -1;
        try {
            int i = c.phases.indexOf(Phase.MARK) + 1;
            next = i < c.phases.size() && c.phases.get(i).stopsTheWorld() ? runStopped(c, i) : i;
        } finally {
            c.finishedAt = next;
            c.markDone.wakeup();
        }
    }

    /**
     * Restarts the world and records the pause, split among the phases it held. The pause is
     * timed as Go times it: gcStart reads its clock after startTheWorldWithSema has woken the
     * Ms (the kernel's figure), gcMarkTermination reads it before the restart begins, so the
     * pause that ends marking (PauseNs, gctrace's third clock) does not include the restart.
     */
    private void endPause(Cycle c, GcRuntime.StopToken world, Accounting.Pause pause) {
        accounting.countPause(c, pause);
        long beforeRestart = System.nanoTime();
        long nanos = rt.startTheWorld(world);
        if (pause.endsMarking()) {
            nanos = beforeRestart - world.requestedNanos();
        }
        triggers.cycleBegun(c.number);
        assists.wakeAllIfMarkingEnded();
        accounting.recordPause(c, pause, world, nanos);
    }

    private void run(Phase ph, Cycle c) {
        CollectorNeeds needs = c.needs;
        switch (ph) {
            case SWEEP_TERMINATION -> {
                heap.allocator().finishSweep(); // finishsweep_m
                CycleHooks.sweepTermination(rt, heap);
                c.heapStart = pacer.publishAllStopped();
                pacer.startCycle();
                c.heapGoal = pacer.goal();
                c.barrierAtStart = accounting.barrierExecutions.sum();
                marking.startCycle(c.number, needs, c.markDone, () -> finishMark(c));
                workers.resetCycle(rt.gomaxprocs()); // Go's gcController.startCycle plans from GOMAXPROCS now
                assists.nanos.reset();
                if (needs.stacks() == StackScan.ALL_AT_START) {
                    marking.scanAllStacksStopped();
                    marking.flushAllStopped();
                }
                if (needs.concurrentMark()) {
                    heap.setWriteBarrier(new CountingBarrier(c.collector, accounting.barrierExecutions));
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
                sweeper.start(gen, goal, c.number);
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
                accounting.checkmarkCycle();
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
        CycleHooks.markTermination(heap);
        // The stacks this cycle scanned, counted as they were scanned (Go's stackScanWork):
        // walking every goroutine here would make this pause O(goroutines).
        RootSet globals = heap.globals();
        c.stackBytes = marking.roots.cycleStackSlots() * 8;
        c.globalBytes = (long) (globals.size() + heap.channelBuffers().size()) * 8;
        long markWall = c.tMarkTerm - c.tMark;
        pacer.endCycle(new CycleResult(c.heapStart, c.heapAtMarkTerm, c.markedBytes, marking.scanWork(),
                c.stackBytes, c.globalBytes, assists.nanos.sum(), workers.idleNanos.sum(), markWall, rt.gomaxprocs(),
                needs.concurrentMark()));
        heap.allocator().startSweepCycle();
        pacer.paceSweep(heap.allocator().pagesInUse()); // mheap_.pagesInUse: O(1), world stopped
    }

    // ------------------------------------------------------------------ hot swap and introspection

    /**
     * True while a cycle is in its sweep termination, marking or mark termination (per-P mark
     * state is in use): a change of GOMAXPROCS waits for this to end, as Go's stopTheWorldGC.
     */
    public boolean marking() {
        Phase ph = phase;
        return ph != null && ph != Phase.SWEEP && ph != Phase.STW_SWEEP;
    }

    /** Replaces the collector from the next cycle (at once if no cycle is running or requested). */
    public void swap(CollectorStrategy next, String why) {
        swaps.swap(next, why);
    }

    public String collectorName() {
        return swaps.strategy().name();
    }

    /**
     * Replaces the pacer from the next cycle (at once if no cycle is running or requested): the
     * cycle in progress finishes at the goal its pacer set.
     */
    public void swapPacer(PacerStrategy next, String why) {
        swaps.swapPacer(next, why);
    }

    public String pacerName() {
        return pacer.name();
    }

    /** One line for {@code status}. */
    public String status() {
        CycleStats s = accounting.lastCycle();
        Phase ph = phase;
        StringBuilder sb = new StringBuilder("gc: ").append(swaps.strategy().name());
        synchronized (triggers) {
            CollectorStrategy pendingCollector = swaps.pendingCollectorLocked();
            if (pendingCollector != null) {
                sb.append(" (-> ").append(pendingCollector.name()).append(" at the next cycle)");
            }

            sb.append(", ").append(ph == null ? "idle" : ph.shortName());
            triggers.describeLocked(sb);
            sb.append(", pacer ").append(pacer.name());
            PacerStrategy pendingPacer = swaps.pendingPacerLocked();
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
     * The completed cycles numbered above {@code after}, oldest first: at most the last 1024
     * (a reader that polls less often than that many cycles misses the older ones).
     */
    public List<CycleStats> cyclesAfter(long after) {
        return accounting.cyclesAfter(after);
    }

    /** The last completed cycle, or null. */
    public CycleStats lastCycle() {
        return accounting.lastCycle();
    }

    public MemStats memStats() {
        return accounting.memStats(triggers, swaps);
    }

    /** Go's {@code MemStats.PauseEnd} (a copy). */
    public long[] pauseEnd() {
        return accounting.pauseEnd();
    }

    /** Go's {@code MemStats.LastGC}, nanoseconds since 1970; 0 before the first cycle. */
    public long lastGC() {
        return accounting.lastGC();
    }

    /** Adds the {@code gc.*} metrics to a run's report. */
    public void report(org.gort.api.Metrics m) {
        accounting.report(m);
    }
}
