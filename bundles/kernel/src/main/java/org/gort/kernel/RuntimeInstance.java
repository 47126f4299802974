package org.gort.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.Metrics;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.api.StrategyChange;
import org.gort.spi.sched.MeteredLock;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;

/*
 * Goroutine kernel: one runtime instance.
 *
 * One RuntimeInstance is one Go program: GOMAXPROCS Ps, the Ms (platform threads) that run
 * goroutines while holding a P, a sysmon thread, a timer thread, and the strategies selected
 * for it. The kernel owns all mechanism; the scheduler strategy only answers "make this G
 * runnable" and "what should this M run next" (see org.gort.spi.sched.Scheduler).
 *
 * This class is the façade: it holds the state every subsystem shares (Go's schedt: the Ps,
 * the Ms, allgs, the idle lists under idleLock, gcwaiting, the scheduler in use), wires the
 * subsystems, and owns the run's lifecycle (start, the end of the run, the result). The
 * mechanism is in one file per subsystem, as proc.go's sections are:
 *
 *     MLoop           the M loop: schedule, execute, startm/stopm, handoffp, ready, gopark
 *     Goroutines      newproc, the goroutine body, goexit
 *     Syscalls        entersyscall / exitsyscall
 *     StopTheWorld    worldsema, stopTheWorld, startTheWorld, stopping at a safepoint
 *     SchedulerSwaps  hot swap of the scheduler and ejection of a faulty one
 *     CheckDead       the deadlock check
 *     Watchdog        sysmon's conviction of a scheduler that starves a runnable goroutine
 *     GcHooks         the managed heap and the collector (KernelGcRuntime is their mechanism)
 *     Sysmon, Timers, SchedTrace, SchedContextImpl, TraceRecorder
 *
 * Invariants of the shared state.
 *  - idlePs, idleMs and npidle change only under idleLock; so do gcwaiting (set by the
 *    worldsema holder) and every P's move to or from IDLE and GCSTOP.
 *  - sched and schedStrategy change only with the world stopped (SchedulerSwaps).
 *  - shuttingDown goes true once, in finish (or shutdown), and never back.
 */
public final class RuntimeInstance {
    private static final AtomicInteger IDS = new AtomicInteger();

    final int id = IDS.incrementAndGet();
    final RuntimeConfig config;
    /**
     * The run's properties as they are now: {@code config.properties()} at the start, then
     * changed by {@link org.gort.api.RunHandle#setProperty} while the program runs. Strategies
     * read them through {@link SchedContextImpl#configLong}; a key they read only at creation
     * keeps its starting value for them.
     */
    final ConcurrentHashMap<String, String> properties;
    final StrategyCatalog catalog;
    /**
     * Every P this run can have: Go's allp grows in procresize; here the P structures (and the
     * per-P slots of the allocator and the collector) are made for {@link #maxprocs} at the
     * start, and GOMAXPROCS may move anywhere from 1 to that while the program runs.
     */
    final P[] procs;
    final int maxprocs;
    /** The Ps in use, {@code procs[0 .. gomaxprocs)}; replaced only with the world stopped (see {@link ProcResize}). */
    volatile P[] allp;
    volatile int gomaxprocs;
    /** The most Ps in use at once so far (the execution trace's P tracks). */
    volatile int peakprocs;
    final long startNanos = System.nanoTime();

    // --- idle lists and counts (Go's sched.pidle, sched.midle); guarded by idleLock
    final MeteredLock idleLock = new MeteredLock("sched.idle");
    final ArrayDeque<P> idlePs = new ArrayDeque<>();
    final ArrayDeque<M> idleMs = new ArrayDeque<>();
    volatile int npidle;
    final SpinningMs nmspinning = new SpinningMs();
    /** Ms in a blocking syscall (they may ready a G when they return). */
    final AtomicInteger nsyscall = new AtomicInteger();
    final List<M> allm = new CopyOnWriteArrayList<>();
    /** Every live G by slot (Go's allgs): the collector's stack roots are indexed, not walked. */
    final AllGs allgs = new AllGs();

    // --- strategies
    volatile Scheduler sched;
    volatile SchedulerStrategy schedStrategy;

    /** Go's {@code sched.gcwaiting}: the world is stopping or stopped (see {@link StopTheWorld}). */
    volatile boolean gcwaiting;
    /** sysmon's last clock reading (Go's {@code sched.lastpoll}-style coarse time), for the watchdog. */
    volatile long coarseNanos = System.nanoTime();
    /** Go's {@code gTrackingPeriod}: every this many runnable-to-running transitions are timed. */
    static final int TRACKING_PERIOD = 8;

    final Timers timers;
    /** Every {@code sync.Pool} with locals, emptied into its victim cache as each GC cycle starts. */
    final SyncPools pools = new SyncPools();
    /** The finalizer goroutine, started by the first SetFinalizer. */
    final Fing fing = new Fing(this);
    final Sysmon sysmon;
    final SchedCounters counters = new SchedCounters();
    final SchedContextImpl ctx = new SchedContextImpl(this);
    /** The execution trace export (RuntimeConfig.traceEvents), or null when it is off. */
    final TraceRecorder traceRecorder;

    // --- the subsystems
    final MLoop mloop = new MLoop(this);
    final Goroutines goroutines = new Goroutines(this);
    final Syscalls syscalls = new Syscalls(this);
    final StopTheWorld world = new StopTheWorld(this);
    final SchedulerSwaps swaps = new SchedulerSwaps(this);
    final CheckDead deadlock = new CheckDead(this);
    final ProcResize procresize = new ProcResize(this);
    final Watchdog watchdog = new Watchdog(this);
    /** The network poller and the run's sockets. */
    final Netpoll netpoll;
    final GcHooks gcHooks;

    // --- the end of the run
    volatile boolean shuttingDown;
    private final AtomicReference<RunResult> failure = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    /**
     * What runs when the program ends (RunHandle.whenDone). Each action is taken from the queue
     * by one poll, either by finish after the count-down or by whenDone after seeing it: a
     * registration that reads the latch still up was queued before the count-down, so the poll
     * after it finds it.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> whenDone = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    /** Lines printed so far; those past config.outputLimit() are not kept, only counted. */
    private final java.util.concurrent.atomic.AtomicLong outputKept = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.LongAdder outputDropped = new java.util.concurrent.atomic.LongAdder();
    private volatile long endNanos;
    private final ConcurrentHashMap<String, Double> reported = new ConcurrentHashMap<>();
    /** Every strategy change that took effect, in order (swaps and ejections; see StrategyChange). */
    private final List<StrategyChange> changes = new CopyOnWriteArrayList<>();

    public RuntimeInstance(RuntimeConfig config, StrategyCatalog catalog) {
        this.config = config;
        this.properties = new ConcurrentHashMap<>(config.properties());
        this.catalog = catalog;
        this.gomaxprocs = config.gomaxprocs();
        this.peakprocs = gomaxprocs;
        this.maxprocs = ProcResize.capacity(config);
        this.procs = new P[maxprocs];
        for (int i = 0; i < maxprocs; i++) {
            procs[i] = new P(i);
        }
        this.allp = java.util.Arrays.copyOf(procs, gomaxprocs);
        SchedulerStrategy s = catalog.scheduler(config.scheduler());
        this.netpoll = new Netpoll(this);
        this.timers = new Timers("gort-" + id + "-timers", () -> deadlock.checkIfIdle());
        this.sysmon = new Sysmon(this);
        this.schedStrategy = s;
        this.sched = s.create(ctx);
        this.traceRecorder = TraceRecorder.forRun(this, config);
        this.profiles = config.profiles().isEmpty() ? null : new Profiles(this, config.profiles(), config.memProfileRate());
        // The collector is resolved now, so that an unknown name fails before the run starts.
        this.gcHooks = new GcHooks(this);
    }

    // ------------------------------------------------------------------ run lifecycle

    /** Starts the program: {@code main} runs as goroutine 1. */
    public void start(Runnable main) {
        idleLock.lock();
        try {
            for (P p : allp) {
                p.setStatus(ProcStatus.IDLE);
                p.idleSince = System.nanoTime();
                idlePs.push(p);
            }
            npidle = gomaxprocs;
        } finally {
            idleLock.unlock();
        }
        LowMemory.runStarted(this);
        timers.start();
        if (profiles != null) {
            profiles.start();
        }
        goroutines.mainG = goroutines.newproc(main, null, null, false);
        sysmon.start();
        // The scheduler's ready() may already have woken an M for main (wakep, matchmg).
        if (!mloop.startm(null, false) && allm.isEmpty()) {
            throw new IllegalStateException("no P available to start main");
        }
    }

    /** Waits until the program ends; returns false on timeout. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    /** Runs {@code action} when the program ends, or now if it has (RunHandle.whenDone). */
    void whenDone(Runnable action) {
        whenDone.add(action);
        if (isDone()) {
            runWhenDone();
        }
    }

    private void runWhenDone() {
        for (Runnable action; (action = whenDone.poll()) != null; ) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // the caller's concern: the run's end goes on
            }
        }
    }

    /** Stops the program from outside (the shell's {@code stop}, a timeout). */
    public void stop(String why) {
        finish(RunStatus.STOPPED, "stopped: " + why);
    }

    /**
     * Ends the program and releases every thread; returns the result. Call after
     * {@link #await} (or {@link #stop}).
     */
    public RunResult shutdown() {
        if (!isDone()) {
            finish(RunStatus.STOPPED, "stopped: the runtime was shut down before main returned");
        }
        shuttingDown = true;
        LowMemory.runEnded(this);
        timers.stop();
        sysmon.stop();
        netpoll.close(); // the program's sockets, and wakes an M blocked in the poller
        idleLock.lock();
        try {
            world.wakeRequester();
        } finally {
            idleLock.unlock();
        }
        for (M m : allm) {
            m.unpark();
            if (m.syscallG != null) {
                m.thread.interrupt();
            }
        }
        List<String> stuck = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (M m : allm) {
            try {
                long left = deadline - System.nanoTime();
                m.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (m.thread.isAlive()) {
                G g = m.curg;
                String what = m + (g != null ? " still running goroutine " + g.id + " with no safepoint" : " did not exit");
                stuck.add(what);
                StrandedThreads.add(m.thread, "thread " + m.thread.getName() + ": " + m + " of run " + id
                        + (g != null ? ", goroutine " + g.id + " in a loop with no safepoint" : ", did not exit"));
            }
        }
        try {
            timers.thread().join(1000);
            sysmon.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RunResult r = failure.get();
        List<String> profileProblems = new ArrayList<>();
        if (profiles != null && stuck.isEmpty()) {
            profileProblems.addAll(profiles.write(endNanos)); // the goroutine profile, before the leak analysis takes the leaked ones
        }
        // The heap is unmapped only when no thread of the run can touch it any more (see RawMemory).
        gcHooks.close(stuck.isEmpty() && !sysmon.isAlive());
        Metrics metrics = collectMetrics();
        metrics.put("run.ms.stuck", stuck.size());
        long dropped = outputDropped.sum();
        metrics.put("run.output.dropped", dropped);
        // After the metrics: the analysis discards the scheduler's queues (see LeakCheck).
        List<LeakCheck.Leak> leaks = stuck.isEmpty() && r.status() == RunStatus.OK ? LeakCheck.atEnd(this) : List.of();
        if (profiles != null && stuck.isEmpty()) {
            profileProblems.addAll(profiles.writeLeaks(leaks, endNanos));
        }
        metrics.put("run.goroutines.leaked", leaks.size());
        String failureText = r.failure();
        String leakLine = LeakCheck.report(leaks);
        if (!leakLine.isEmpty()) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + leakLine;
        }
        if (dropped > 0) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: the run printed " + (config.outputLimit() + dropped)
                    + " lines; its result keeps the first " + config.outputLimit() + " (RuntimeConfig.outputLimit)";
        }
        if (!stuck.isEmpty()) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: " + String.join("; ", stuck);
        }
        if (stuck.isEmpty() && r.status() == RunStatus.STOPPED && r.failure().startsWith("timed out")) {
            // Every M has exited, so no goroutine can be resumed: their stacks can be read (Go's
            // SIGQUIT dump, as go test -timeout prints it).
            String dump = Traceback.all(this, Traceback.Level.of(config.traceback()).atLeast(Traceback.Level.ALL), System.nanoTime());
            if (!dump.isEmpty()) {
                failureText = failureText + "\n\n" + dump.stripTrailing();
            }
        }
        for (String problem : profileProblems) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: " + problem;
        }
        String traceProblem = traceRecorder == null ? null : traceRecorder.write(metrics, endNanos);
        if (traceProblem != null) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: " + traceProblem;
        }
        return new RunResult(r.status(), failureText, List.copyOf(output), metrics, r.exitCode(), List.copyOf(changes));
    }

    /**
     * {@code os.Exit(status)} from goroutine {@code g}: the run ends with that status, and
     * {@code g} parks for good (Go runs no deferred calls), unless it is in a syscall and
     * cannot park; then it unwinds as every goroutine does when a run ends.
     */
    void exit(G g, int status) {
        finish(status == 0 ? RunStatus.OK : RunStatus.EXIT, status == 0 ? "" : "exit status " + status, status);
        if (g.m != null && g.m.syscallG == g) {
            throw new AbortSignal();
        }
        gopark(g, "exit", () -> { }); // never resumed: nothing readies g
        throw new AbortSignal();
    }

    /** Records how the run ended (first caller wins) and wakes whoever awaits it. */
    void finish(RunStatus status, String text) {
        finish(status, text, RunResult.exitCodeOf(status));
    }

    /** {@link #finish(RunStatus, String)} with the process exit status Go would give ({@link RunResult#exitCode()}). */
    void finish(RunStatus status, String text, int exitCode) {
        if (failure.compareAndSet(null, new RunResult(status, text, List.of(), null, exitCode))) {
            endNanos = System.nanoTime();
            shuttingDown = true;
            done.countDown();
            runWhenDone();
            for (M m : allm) {
                m.unpark();
            }
            world.wakeRequester(); // a stop in progress will never complete now
        }
    }

    Metrics collectMetrics() {
        Metrics m = new Metrics();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        m.put("run.wall.ns", end - startNanos);
        m.put("run.gomaxprocs", gomaxprocs);
        m.put("run.goroutines.left", goroutines.nUserG.get());
        m.put("run.goroutines.peak", goroutines.peakUserG.get());
        counters.report(m, schedStrategy.name(), allm, procs);
        Scheduler s = sched;
        try {
            swaps.counters(s).forEach((k, v) -> m.put("sched." + k, v)); // with those of the instances the run replaced
        } catch (RuntimeException | Error e) {
            swaps.threw(s, "reportCounters", e); // its counters are missing from these metrics
        }
        gcHooks.report(m);
        netpoll.report(m);
        reported.forEach(m::put);
        return m;
    }

    /** Records a strategy change as it takes effect (an ejection: as it is decided). */
    void recordChange(String kind, String from, String to, StrategyChange.Cause cause, String reason) {
        changes.add(new StrategyChange(kind, from, to, cause, reason, System.nanoTime() - startNanos));
    }

    /** The strategy changes so far, in order. */
    List<StrategyChange> strategyChanges() {
        return List.copyOf(changes);
    }

    void report(String name, double value) {
        reported.put("workload." + name, value);
    }

    void println(String line) {
        if (outputKept.incrementAndGet() <= config.outputLimit()) {
            output.add(line);
        } else {
            outputDropped.increment(); // still shown below; only the result does not keep it
        }
        // A goroutine that interrupted itself must not write to the shell's stream interrupted:
        // an interruptible channel (a terminal's, a file's) would close for good.
        boolean interrupted = Current.takeCarrierInterrupt();
        try {
            config.output().accept(line);
        } finally {
            if (interrupted) {
                Current.carrier().interrupt();
            }
        }
    }

    void trace(String line) {
        config.trace().accept(line);
    }

    /**
     * Unwinds a goroutine that called {@code runtime.Goexit}: an Error, so that the
     * {@code catch (Exception e)} and {@code catch (GoPanic p)} of user code (Go's recover) let
     * it pass, while every {@code finally} on the way runs (Go's deferred calls).
     */
    static final class GoexitSignal extends Error {
        GoexitSignal() {
            super("runtime.Goexit", null, false, false);
        }
    }

    /** Unwinds a goroutine whose runtime is shutting down; never reaches user code's catch blocks by design. */
    static final class AbortSignal extends Error {
        AbortSignal() {
            super("runtime shutting down", null, false, false);
        }
    }

    // ------------------------------------------------------------------ entry points (see the subsystems)

    /** {@code newproc}: create a G running {@code fn} and make it runnable. */
    G newproc(Runnable fn, M m, P p) {
        return goroutines.newproc(fn, m, p, false);
    }

    /** {@code newproc} from goroutine {@code creator}'s go statement: the new G records where it was made. */
    G newproc(Runnable fn, M m, P p, G creator) {
        return goroutines.newproc(fn, m, p, false, creator);
    }

    /**
     * Starts a runtime-internal goroutine (a background mark worker, a sweeper): it competes
     * for Ps like any G, as Go's do, but is not counted by NumGoroutine nor listed in a
     * deadlock report.
     */
    public G startSystemGoroutine(Runnable fn) {
        M m = Current.m();
        P p = m != null && m.rt == this && m.curg != null ? m.p : null;
        return goroutines.newproc(fn, p == null ? null : m, p, true);
    }

    /** The body every goroutine's coroutine runs (see {@link Goroutines#body}). */
    void goroutineBody(G g, Runnable fn) {
        goroutines.body(g, fn);
    }

    /** The body of every M thread (see {@link MLoop#mstart}). */
    void mstart(M m) {
        mloop.mstart(m);
    }

    /** {@code goready}: a waiting G becomes runnable. Called by the waker, which may be any thread. */
    public void goready(G g) {
        mloop.goready(g);
    }

    /** {@code goready} called by the running goroutine {@code waker} (see {@link MLoop#goready(G, G)}). */
    void goready(G g, G waker) {
        mloop.goready(g, waker);
    }

    /** {@code gopark} (see {@link MLoop#gopark}). */
    void gopark(G g, String reason, Runnable unlockf) {
        mloop.gopark(g, reason, unlockf);
    }

    /** {@code Gosched}: yield the P, stay runnable. */
    void gosched(G g) {
        mloop.gosched(g);
    }

    /** A safepoint (see {@link MLoop#safepoint}). */
    void safepoint(G g) {
        mloop.safepoint(g);
    }

    /** {@code entersyscall} ... {@code exitsyscall} around a blocking call (see {@link Syscalls}). */
    <T> T syscall(G g, java.util.concurrent.Callable<T> call) throws Exception {
        return syscalls.syscall(g, call);
    }

    /** {@code handoffp} (see {@link MLoop#handoffp}). */
    void handoffp(P p) {
        mloop.handoffp(p);
    }

    /**
     * {@code stopTheWorld}: returns when every P is stopped. May be called from a goroutine
     * (its own P stops first) or from any other thread.
     */
    /** The run's pprof profiles, or null when none is asked for (until a live request, see {@link #liveProfiles}). */
    volatile Profiles profiles;

    /** The run's profiles, made for a live request if the run started without any. */
    synchronized Profiles liveProfiles() {
        Profiles p = profiles;
        if (p == null) {
            p = new Profiles(this, java.util.Map.of(), config.memProfileRate());
            profiles = p;
        }
        return p;
    }

    /** True while the managed heap holds an object at {@code addr}. */
    boolean heapHolds(long addr) {
        org.gort.kernel.heap.ManagedHeap h = gcHooks.heapIfCreated();
        return h != null && h.holds(addr);
    }

    /** The goroutines a live leak analysis found, in the order found (see {@link LeakCheck}). */
    final List<LeakCheck.Leak> leaked = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The leak analysis ran at main's return (a goroutine was still running then). */
    volatile boolean leaksAnalysedAtMainReturn;

    /** Set around a goroutine dump's stop-the-world: goroutines stopping at a safepoint record their frames. */
    volatile boolean stackDumpWanted;

    public StwToken stopTheWorld(String reason) {
        return world.stop(reason);
    }

    /** {@code startTheWorld}: restart every P. Returns the pause length in nanoseconds. */
    public long startTheWorld(StwToken token) {
        return world.start(token);
    }

    /**
     * True while the world is stopped or stopping (Go's {@code sched.gcwaiting}): running
     * goroutines should reach a safepoint.
     */
    public boolean worldStopping() {
        return gcwaiting;
    }

    /**
     * Replaces the scheduler while the program runs: stop the world, drain the old strategy,
     * start the new one on the same Ps, re-ready every runnable G, restart. Returns the pause.
     */
    public long swapScheduler(SchedulerStrategy next, String why) {
        return swaps.swap(next, why);
    }

    /** {@code schedtrace}'s line (and with {@code detail}, {@code scheddetail}'s lines). */
    public String schedtrace(boolean detail) {
        return SchedTrace.format(this, detail);
    }

    // ------------------------------------------------------------------ heap and collector (see GcHooks)

    /** This instance's managed heap, created with the configured allocator on first use. */
    public org.gort.kernel.heap.ManagedHeap heap() {
        return gcHooks.heap();
    }

    public String allocatorName() {
        return config.allocator();
    }

    public String collectorName() {
        return gcHooks.collectorName();
    }

    public String pacerName() {
        return gcHooks.pacerName();
    }

    /** Replaces the collector from the next cycle; a cycle in progress completes under the old one. */
    void swapCollector(String name, String why) {
        gcHooks.swapCollector(name, why);
    }

    void swapPacer(String name, String why) {
        gcHooks.swapPacer(name, why);
    }

    /** {@code runtime.GC()} from a goroutine of this program. */
    public void gcFromGoroutine() {
        gcHooks.gcFromGoroutine();
    }

    /** {@code runtime/debug.FreeOSMemory} from a goroutine of this program; the bytes released. */
    public long freeOSMemoryFromGoroutine() {
        return gcHooks.freeOSMemoryFromGoroutine();
    }

    /** {@code runtime.GC()} from a thread outside the program. */
    void gcFromOutside() {
        gcHooks.gcFromOutside();
    }

    /** The collector's state for {@code status}. */
    String gcStatus() {
        return gcHooks.status();
    }

    /** {@code runtime.ReadMemStats}' collector figures. */
    /** {@code runtime.ReadMemStats} with Go's fields. */
    public org.gort.api.GoMemStats goMemStats() {
        return gcHooks.goMemStats();
    }

    public org.gort.api.MemStats gcMemStats() {
        return gcHooks.memStats();
    }

    // ------------------------------------------------------------------ for the collector's mechanism and the API

    /** The id of the P the calling thread holds, or -1. */
    public static int currentProcId() {
        M m = Current.m();
        P p = m == null ? null : m.p;
        return p == null ? -1 : p.id;
    }

    /** Asks the calling goroutine to yield at its next safepoint (a GC goroutine was readied). */
    public void preemptCurrentGoroutine() {
        M m = Current.m();
        G g = m == null ? null : m.curg;
        if (g != null && g.rt == this) {
            g.preempt = true;
        }
    }

    public boolean hasRunnableGoroutines() {
        return mloop.hasRunnableSafely();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public long startNanos() {
        return startNanos;
    }

    public void traceLine(String line) {
        trace(line);
    }

    /** Ends the run with {@code fatal error: <message>}. */
    public void fatal(String message) {
        finish(RunStatus.FATAL, "fatal error: " + message);
    }

    public RuntimeConfig config() {
        return config;
    }

    /** The execution trace export, or null when it is off. */
    public TraceRecorder traceRecorder() {
        return traceRecorder;
    }

    public String schedulerName() {
        return schedStrategy.name();
    }

    public int numGoroutine() {
        return goroutines.nUserG.get();
    }

    /** Every live goroutine, system ones included. */
    public void forEachGoroutine(java.util.function.Consumer<G> action) {
        allgs.forEach(action);
    }

    /** Go's {@code allglen}, read in O(1): every live goroutine is in a slot below it. */
    public int goroutineSlots() {
        return allgs.length();
    }

    /** The goroutine in slot {@code i} (Go's {@code allgs[i]}), or null for a free slot. */
    public G goroutineAt(int i) {
        return allgs.at(i);
    }

    /**
     * Scans {@code g}'s root stack now if {@code g} is not running (parked, runnable, in a
     * syscall, or held at a safepoint by a stopped world): while {@code scan} runs, no M may
     * resume {@code g} (Go's {@code _Gscan} bit). Returns false, without scanning, if {@code g}
     * is running; then use {@link #requestSelfScan}.
     *
     * <p>With the world stopped every G is held, so this always succeeds for a G that is not
     * the caller; a caller scans its own stack directly.
     */
    public boolean tryScanStack(G g, java.util.function.Consumer<? super org.gort.kernel.heap.RootStack> scan) {
        if (gcwaiting && g.stackOwner() == 1 && g.m != null && world.isHeldAtSafepoint(g)) {
            scan.accept(g.roots);
            return true;
        }
        if (!g.acquireStack(2)) {
            return false;
        }
        try {
            scan.accept(g.roots);
        } finally {
            g.releaseStack();
        }
        return true;
    }

    /**
     * Asks a running {@code g} to run {@code scan} on its own stack at its next safepoint, as
     * Go's running goroutines scan their own stacks when the collector preempts them.
     */
    public void requestSelfScan(G g, java.util.function.Consumer<G> scan) {
        g.selfScan = scan;
    }
}
