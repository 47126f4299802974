package org.gort.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.gort.api.FatalError;
import org.gort.api.GoPanic;
import org.gort.api.Metrics;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.MeteredLock;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SchedulerStrategy;
import org.gort.spi.sched.SyscallEntry;

/*
 * Goroutine kernel.
 *
 * One RuntimeInstance is one Go program: GOMAXPROCS Ps, the Ms (platform threads) that run
 * goroutines while holding a P, a sysmon thread, a timer thread, and the strategies selected
 * for it. The kernel owns all mechanism; the scheduler strategy only answers "make this G
 * runnable" and "what should this M run next" (see org.gort.spi.sched.Scheduler).
 *
 * The M loop (Go's schedule/execute):
 *
 *     loop:
 *         if the world is stopping: stop here, resume when it restarts
 *         g = scheduler.findRunnable(m, p)
 *         if g == nil: put p on the idle list, look once more for work (the lost-wakeup
 *                      re-check), then park m until some startM hands it a P
 *         execute(g): resume g's coroutine until it suspends, then act on why:
 *             park       -> run g's unlockf (it is now safe for a waker to ready g)
 *             gosched    -> ready(g, YIELDED)
 *             preempted  -> ready(g, PREEMPTED)
 *             no P after a syscall -> ready(g, SYSCALL_EXIT); m has no P now, so it parks
 *             exit       -> g is dead; if g is main, the program ends
 *
 * Invariants.
 *  - An M holds at most one P, a P is held by at most one M; P ownership changes only under
 *    idleLock (idle list), by CAS out of SYSCALL (P.casFromSyscall), or by hand-over to a
 *    parked M (M.nextp) made under idleLock.
 *  - A G is owned by exactly one party at a time: the M running it, the scheduler (runnable),
 *    or a wait structure (waiting). gopark publishes the wait only after the coroutine has
 *    suspended (unlockf runs on the M), so a waker can never resume a G that is still running.
 *  - Deadlock is declared under idleLock when the last running P goes idle, no M is in a
 *    syscall, no timer is pending, the scheduler has nothing queued and goroutines remain:
 *    then nothing can ever make progress (Go's checkdead).
 *
 * Stop-the-world (Go's stopTheWorldWithSema): set gcwaiting; idle and in-syscall Ps are
 * stopped by the requester, and so is a P that startm handed to an idle M whose thread has not
 * run yet (Go waits for that M; on two cores its wake-up can wait milliseconds for a core, and
 * the pause with it); running Ps stop themselves at their next safepoint (a runtime
 * call or the top of the M loop) and their M blocks in place, so the goroutine it was running
 * is held at a safepoint and its root stack may be scanned. Preemption is cooperative, as in
 * Go before 1.14: a loop with no runtime call delays the stop for as long as it runs, and
 * time-to-safepoint shows it.
 */
public final class RuntimeInstance {
    private static final AtomicInteger IDS = new AtomicInteger();

    final int id = IDS.incrementAndGet();
    final RuntimeConfig config;
    final StrategyCatalog catalog;
    final P[] allp;
    final int gomaxprocs;
    final long startNanos = System.nanoTime();

    // --- idle lists and counts (Go's sched.pidle, sched.midle); guarded by idleLock
    final MeteredLock idleLock = new MeteredLock("sched.idle");
    private final ArrayDeque<P> idlePs = new ArrayDeque<>();
    private final ArrayDeque<M> idleMs = new ArrayDeque<>();
    volatile int npidle;
    final AtomicInteger nmspinning = new AtomicInteger();
    /** Ms in a blocking syscall (they may ready a G when they return). */
    final AtomicInteger nsyscall = new AtomicInteger();
    final List<M> allm = new CopyOnWriteArrayList<>();

    // --- goroutines
    private final AtomicLong goidgen = new AtomicLong();
    /** Goroutines that are not runtime-internal ({@code runtime.NumGoroutine}). */
    private final AtomicInteger nUserG = new AtomicInteger();
    /** The most user goroutines alive at once ({@code run.goroutines.peak}); raised by CAS only when passed. */
    private final AtomicInteger peakUserG = new AtomicInteger();
    /** Every live G by slot (Go's allgs): the collector's stack roots are indexed, not walked. */
    final AllGs allgs = new AllGs();
    G mainG;

    // --- strategies
    volatile Scheduler sched;
    volatile SchedulerStrategy schedStrategy;
    /**
     * Readies from outside any P (timer thread, an M back from a syscall) must not interleave
     * with a scheduler swap: each counts itself in {@code outsideReadies} unless a swap is on.
     */
    private final AtomicInteger outsideReadies = new AtomicInteger();
    private volatile boolean swapping;

    // --- stop-the-world (Go's worldsema, sched.gcwaiting, sched.stopwait)
    /**
     * Go's worldsema as a ticket lock: stops of the world are granted in arrival order, so a
     * tight loop of scheduler swaps from outside cannot starve a collector's stops.
     */
    private final AtomicLong worldSemaNext = new AtomicLong();
    private volatile long worldSemaServing;
    volatile boolean gcwaiting;
    /** Ps still to stop; written under idleLock, read by the requester's park loop. */
    private volatile int stopwait;
    /** The thread waiting in stopTheWorld for stopwait to reach 0. */
    private volatile Thread stopRequester;
    private long stopStart;

    final Timers timers;
    final Sysmon sysmon;
    final SchedCounters counters = new SchedCounters();
    final SchedContextImpl ctx = new SchedContextImpl();
    /** The execution trace export (RuntimeConfig.traceEvents), or null when it is off. */
    final TraceRecorder traceRecorder;

    // --- the end of the run
    volatile boolean shuttingDown;
    private final AtomicReference<RunResult> failure = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private volatile long endNanos;

    public RuntimeInstance(RuntimeConfig config, StrategyCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
        this.gomaxprocs = config.gomaxprocs();
        this.allp = new P[gomaxprocs];
        for (int i = 0; i < gomaxprocs; i++) {
            allp[i] = new P(i);
        }
        SchedulerStrategy s = catalog.scheduler(config.scheduler());
        this.timers = new Timers("gort-" + id + "-timers");
        this.sysmon = new Sysmon(this);
        this.schedStrategy = s;
        this.sched = s.create(ctx);
        this.traceRecorder = TraceRecorder.forRun(this, config);
        initHeap();
    }

    // ------------------------------------------------------------------ heap and collector

    private void initHeap() {
        // The managed heap and the collector attach here (see org.gort.kernel.heap).
        // The collector is resolved now, so that an unknown name fails before the run starts,
        // and attached when the heap is made (see org.gort.kernel.gc.KernelCollector).
        collectorStrategy = org.gort.kernel.gc.KernelCollector.resolve(catalog, config.collector());
    }

    // --- managed heap (owned by the heap code): made on first use, so a run that never
    // allocates needs no allocator strategy installed.
    private volatile org.gort.kernel.heap.ManagedHeap heap;

    /** This instance's managed heap, created with the configured allocator on first use. */
    public org.gort.kernel.heap.ManagedHeap heap() {
        org.gort.kernel.heap.ManagedHeap h = heap;
        return h != null ? h : createHeap();
    }

    private synchronized org.gort.kernel.heap.ManagedHeap createHeap() {
        if (heap == null) {
            heap = new org.gort.kernel.heap.ManagedHeap(catalog.allocator(config.allocator()),
                    new org.gort.kernel.heap.ManagedHeap.Options(config.maxHeapBytes(), gomaxprocs,
                            config.clobberfree(), Boolean.parseBoolean(config.properties().get("checkptr"))),
                    MeteredLock::new);
            attachCollector(heap);
        }
        return heap;
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
        timers.start();
        mainG = newproc(main, null, null);
        sysmon.start();
        // The scheduler's ready() may already have woken an M for main (wakep, matchmg).
        if (!startm(null, false) && allm.isEmpty()) {
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
        timers.stop();
        sysmon.stop();
        idleLock.lock();
        try {
            Thread t = stopRequester;
            if (t != null) {
                LockSupport.unpark(t);
            }
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
                stuck.add(m + (g != null ? " still running goroutine " + g.id + " with no safepoint" : " did not exit"));
            }
        }
        try {
            timers.thread().join(1000);
            sysmon.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeHeap();
        RunResult r = failure.get();
        Metrics metrics = collectMetrics();
        metrics.put("run.ms.stuck", stuck.size());
        String failureText = r.failure();
        if (!stuck.isEmpty()) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: " + String.join("; ", stuck);
        }
        String traceProblem = traceRecorder == null ? null : traceRecorder.write(metrics, endNanos);
        if (traceProblem != null) {
            failureText = failureText + (failureText.isEmpty() ? "" : "\n") + "warning: " + traceProblem;
        }
        return new RunResult(r.status(), failureText, List.copyOf(output), metrics);
    }

    public String allocatorName() {
        return config.allocator();
    }

    public String collectorName() {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            return c.name();
        }
        org.gort.spi.gc.CollectorStrategy s = collectorStrategy;
        return s != null ? s.name() : "off";
    }

    // ------------------------------------------------------------------ collector hooks (org.gort.kernel.gc)

    /** The configured collector, or null when none is installed (the heap then only grows, as GOGC=off). */
    private volatile org.gort.spi.gc.CollectorStrategy collectorStrategy;
    /** The collector attached to the heap; null until the heap exists. */
    private volatile org.gort.kernel.gc.KernelCollector gc;

    /** Called once, when the heap is made. */
    private void attachCollector(org.gort.kernel.heap.ManagedHeap h) {
        org.gort.spi.gc.CollectorStrategy s = collectorStrategy;
        if (s != null) {
            gc = org.gort.kernel.gc.KernelCollector.attach(this, h, s);
        }
    }

    /** Replaces the collector from the next cycle; a cycle in progress completes under the old one. */
    void swapCollector(String name, String why) {
        org.gort.spi.gc.CollectorStrategy next = catalog.collector(name);
        synchronized (this) {
            org.gort.kernel.gc.KernelCollector c = gc;
            if (c == null) {
                String old = collectorStrategy == null ? config.collector() : collectorStrategy.name();
                collectorStrategy = next; // no heap yet: it will be made with this one
                trace("gort: collector " + old + " -> " + next.name() + " (" + why + ", before the heap was made)");
                return;
            }
            c.swap(next, why);
        }
    }

    /** {@code runtime.GC()} from a goroutine of this program. */
    public void gcFromGoroutine() {
        heap();
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.gc();
        }
    }

    /** {@code runtime/debug.FreeOSMemory} from a goroutine of this program; the bytes released. */
    public long freeOSMemoryFromGoroutine() {
        heap();
        org.gort.kernel.gc.KernelCollector c = gc;
        return c == null ? 0 : c.freeOSMemory();
    }

    /** {@code runtime.GC()} from a thread outside the program. */
    void gcFromOutside() {
        if (isDone()) {
            throw new IllegalStateException("the program has ended; there is nothing to collect");
        }
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c == null) {
            if (collectorStrategy == null) {
                throw new UnsupportedOperationException("no collector is installed; add a gort-gc-* bundle");
            }
            return; // no heap yet: nothing to collect
        }
        c.gc();
    }

    /** The collector's state for {@code status}. */
    String gcStatus() {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            return c.status();
        }
        return collectorStrategy == null ? "gc: off (no collector installed)" : "gc: " + collectorStrategy.name() + ", no heap yet";
    }

    /** {@code runtime.ReadMemStats}' collector figures. */
    public org.gort.api.MemStats gcMemStats() {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            return c.memStats();
        }
        return new org.gort.api.MemStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, collectorName(), null);
    }

    /** A user goroutine was made by the calling goroutine, if any: a marking cycle may have to scan its stack. */
    private void gcGoroutineCreated(G child) {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.goroutineCreated(Current.gOrNull(), child);
        }
    }

    /** Sysmon's round: the collector samples the heap and checks the periodic trigger. */
    void gcSysmonTick(long now) {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.sysmonTick(now);
        }
    }

    /**
     * Go's idle mark worker: {@code m}'s scheduler found nothing to run, so its P marks until a
     * goroutine is runnable or the world stops. False when there is no marking work.
     */
    private boolean gcIdleMark(M m) {
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c == null || gcwaiting || shuttingDown) {
            return false;
        }
        long t0 = traceRecorder == null ? 0 : System.nanoTime();
        // A marking M is not looking for goroutines: it stops spinning once it has work.
        boolean marked = c.idleMark(() -> gcwaiting || shuttingDown || hasRunnableSafely(),
                () -> ctx.setSpinning(m, false));
        if (marked && traceRecorder != null) {
            traceRecorder.idleMark(m, m.p, t0);
        }
        return marked;
    }

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
        return hasRunnableSafely();
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

    private void closeHeap() {
        // The managed heap releases its arena here.
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.shutdown();
        }
        org.gort.kernel.heap.ManagedHeap h = heap;
        if (h != null) {
            h.close();
        }
    }

    /** Records how the run ended (first caller wins) and wakes whoever awaits it. */
    void finish(RunStatus status, String text) {
        if (failure.compareAndSet(null, new RunResult(status, text, List.of(), null))) {
            endNanos = System.nanoTime();
            shuttingDown = true;
            done.countDown();
            for (M m : allm) {
                m.unpark();
            }
            Thread requester = stopRequester;
            if (requester != null) {
                LockSupport.unpark(requester); // a stop in progress will never complete now
            }
        }
    }

    Metrics collectMetrics() {
        Metrics m = new Metrics();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        m.put("run.wall.ns", end - startNanos);
        m.put("run.gomaxprocs", gomaxprocs);
        m.put("run.goroutines.left", nUserG.get());
        m.put("run.goroutines.peak", peakUserG.get());
        counters.report(m, schedStrategy.name(), allm);
        Scheduler s = sched;
        s.reportCounters((k, v) -> m.put("sched." + k, v));
        reportHeapMetrics(m);
        reported.forEach(m::put);
        return m;
    }

    private void reportHeapMetrics(Metrics m) {
        // The allocator and collector add their metrics here.
        org.gort.kernel.heap.ManagedHeap h = heap;
        if (h != null) {
            h.reportMetrics(m);
        }
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.report(m);
        }
    }

    private final ConcurrentHashMap<String, Double> reported = new ConcurrentHashMap<>();

    void report(String name, double value) {
        reported.put("workload." + name, value);
    }

    void println(String line) {
        output.add(line);
        config.output().accept(line);
    }

    void trace(String line) {
        config.trace().accept(line);
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
        return nUserG.get();
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
        if (gcwaiting && g.stackOwner.get() == 1 && g.m != null && isHeldAtSafepoint(g)) {
            scan.accept(g.roots);
            return true;
        }
        if (!g.stackOwner.compareAndSet(0, 2)) {
            return false;
        }
        try {
            scan.accept(g.roots);
        } finally {
            g.stackOwner.set(0);
        }
        return true;
    }

    /** True if the world is stopped and {@code g}'s M is blocked at a safepoint (not the caller). */
    private boolean isHeldAtSafepoint(G g) {
        M self = Current.m();
        return stopwait == 0 && (self == null || self.curg != g);
    }

    /**
     * Asks a running {@code g} to run {@code scan} on its own stack at its next safepoint, as
     * Go's running goroutines scan their own stacks when the collector preempts them.
     */
    public void requestSelfScan(G g, java.util.function.Consumer<G> scan) {
        g.selfScan = scan;
    }

    // ------------------------------------------------------------------ goroutines

    /** {@code newproc}: create a G running {@code fn} and make it runnable. */
    G newproc(Runnable fn, M m, P p) {
        return newproc(fn, m, p, false);
    }

    private G newproc(Runnable fn, M m, P p, boolean system) {
        G g = new G(goidgen.incrementAndGet(), this, fn, system);
        g.trackingSeq = (int) (g.id * 0x9E3779B97F4A7C15L >>> 61); // newproc1: a random start (cheaprand)
        if (mainG == null && !system) {
            mainG = g; // before ready(): an M it wakes may run main to its end before we return
        }
        allgs.add(g);
        if (!system) {
            int alive = nUserG.incrementAndGet();
            for (int peak = peakUserG.get(); alive > peak && !peakUserG.compareAndSet(peak, alive); peak = peakUserG.get()) {
                // another creator raised it first; retry only while ours is still the higher
            }
        }
        if (m != null) {
            m.created++;
        } else {
            counters.created.increment();
        }
        // A new G counts as having been on its creator's M: running it elsewhere is the
        // hand-off the 2012 design doc calls poor locality, and sched.migrations counts it.
        g.lastM = m;
        if (!system) {
            gcGoroutineCreated(g);
        }
        ready(g, ReadyReason.NEW, m, p);
        return g;
    }

    /** The body every goroutine's coroutine runs: the user function, then {@code goexit}. */
    void goroutineBody(G g, Runnable fn) {
        g.started = true;
        try {
            fn.run();
        } catch (AbortSignal abort) {
            g.yield = G.Yield.ABORT;
            return;
        } catch (Throwable t) {
            reportGoroutineFailure(g, t);
        }
        org.gort.kernel.gc.KernelCollector c = gc;
        if (c != null) {
            c.goroutineExiting(g);
        }
        g.yield = G.Yield.EXIT;
    }

    private void reportGoroutineFailure(G g, Throwable t) {
        RunStatus status;
        String headline;
        if (t instanceof GoPanic p) {
            status = RunStatus.PANIC;
            headline = "panic: " + p.getMessage();
        } else if (t instanceof FatalError f) {
            status = RunStatus.FATAL;
            headline = "fatal error: " + f.getMessage();
        } else if (t instanceof org.gort.api.HeapExhaustedException) {
            status = RunStatus.OUT_OF_MEMORY;
            headline = "fatal error: " + t.getMessage();
        } else {
            status = RunStatus.PANIC;
            headline = "panic: " + t;
        }
        StringBuilder sb = new StringBuilder(headline).append("\n\ngoroutine ").append(g.id).append(" [running]:\n");
        for (StackTraceElement e : t.getStackTrace()) {
            String cls = e.getClassName();
            if (cls.startsWith("jdk.internal.vm.") || cls.startsWith("org.gort.kernel.RuntimeInstance")
                    || cls.startsWith("org.gort.kernel.Coroutine") || cls.startsWith("org.gort.kernel.G$")) {
                continue;
            }
            sb.append(cls).append('.').append(e.getMethodName()).append("()\n\t")
                    .append(e.getFileName()).append(':').append(e.getLineNumber()).append('\n');
        }
        finish(status, sb.toString().stripTrailing());
    }

    /** Make {@code g} runnable through the scheduler; {@code m}/{@code p} are the caller's, or null. */
    void ready(G g, ReadyReason why, M m, P p) {
        if (p == null) {
            // From outside any P (timer thread, an M back from a syscall without a P): a scheduler
            // swap must not interleave with this call. The G becomes RUNNABLE only inside the
            // counted section, so a swap that waited for outsideReadies to drain never sees a
            // RUNNABLE G whose ready() is still to come, and cannot queue it twice.
            while (true) {
                while (swapping) {
                    Thread.onSpinWait();
                }
                outsideReadies.incrementAndGet();
                if (!swapping) {
                    break;
                }
                outsideReadies.decrementAndGet();
            }
            try {
                markRunnable(g);
                callReady(g, why, m, null);
            } finally {
                outsideReadies.decrementAndGet();
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
    private void markRunnable(G g) {
        if (g.trackingSeq++ % TRACKING_PERIOD == 0) {
            g.tracking = true;
            g.runnableSince = System.nanoTime();
        } else {
            g.runnableSince = coarseNanos;
        }
        g.waitReason = "";
        g.setStatusRelease(GStatus.RUNNABLE); // the run-queue CAS that follows is the hand-off
    }

    /** Go's {@code gTrackingPeriod}: every this many runnable-to-running transitions are timed. */
    static final int TRACKING_PERIOD = 8;

    /** sysmon's last clock reading (Go's {@code sched.lastpoll}-style coarse time), for the watchdog. */
    volatile long coarseNanos = System.nanoTime();

    private void callReady(G g, ReadyReason why, M m, P p) {
        Scheduler s = sched;
        try {
            s.ready(g, why, m, p);
        } catch (RuntimeException | Error e) {
            ejectScheduler(s, "ready() threw " + e, g);
        }
    }

    /** {@code goready}: a waiting G becomes runnable. Called by the waker, which may be any thread. */
    public void goready(G g) {
        M m = Current.m();
        P p = m != null && m.rt == this ? m.p : null;
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
        ready(g, ReadyReason.READIED, m, m.rt == this ? m.p : null);
    }

    // ------------------------------------------------------------------ the M loop

    /** The body of every M thread ({@code mstart} → {@code schedule} forever). */
    void mstart(M m) {
        try {
            while (!shuttingDown) {
                if (m.p == null) {
                    if (!stopm(m)) {
                        return;
                    }
                    continue;
                }
                if (gcwaiting) {
                    stopAtSafepoint(m);
                    continue;
                }
                G g = findRunnable(m);
                if (g == null) {
                    if (gcIdleMark(m)) {
                        continue;
                    }
                    releasePAndPark(m);
                    continue;
                }
                execute(m, g);
            }
        } catch (Throwable t) {
            finish(RunStatus.FATAL, "fatal error: " + m + " failed: " + t);
        }
    }

    private G findRunnable(M m) {
        Scheduler s = sched;
        try {
            return (G) s.findRunnable(m, m.p);
        } catch (RuntimeException | Error e) {
            ejectScheduler(s, "findRunnable() threw " + e, null);
            return null;
        }
    }

    private void execute(M m, G g) {
        P p = m.p;
        if (!sched.inheritsTimeSlice(p)) {
            p.schedtick++; // execute(gp, inheritTime): a G from runnext continues the slice
        }
        m.schedules++;
        if (g.tracking) {
            g.tracking = false;
            SchedCounters.record(counters.latency, System.nanoTime() - g.runnableSince);
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
        TraceRecorder tr = traceRecorder;
        if (tr != null) {
            tr.sliceBegin(m, p, g, false);
        }
        g.coroutine.resume();
        if (tr != null) {
            tr.sliceEnd(m, g); // before unlockf: a waker may clear g's wait reason
        }
        g.stackOwner.lazySet(0);
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
                counters.preemptions.increment();
                ready(g, ReadyReason.PREEMPTED, m, m.p);
            }
            case SYSCALL_NO_P -> {
                // exitsyscall0: m has no P; the G goes back to the scheduler and m parks.
                ready(g, ReadyReason.SYSCALL_EXIT, m, null);
                nsyscall.decrementAndGet();
            }
            case EXIT, ABORT -> {
                gexit(g);
                Scheduler s = sched;
                try {
                    s.exited(g, m, m.p);
                } catch (RuntimeException | Error e) {
                    ejectScheduler(s, "exited() threw " + e, null);
                }
            }
            case NONE -> throw new IllegalStateException(g + " suspended without a reason");
        }
    }

    /**
     * Starts a runtime-internal goroutine (a background mark worker, a sweeper): it competes
     * for Ps like any G, as Go's do, but is not counted by NumGoroutine nor listed in a
     * deadlock report.
     */
    public G startSystemGoroutine(Runnable fn) {
        M m = Current.m();
        P p = m != null && m.rt == this && m.curg != null ? m.p : null;
        return newproc(fn, p == null ? null : m, p, true);
    }

    /** Waits out a collector scanning {@code g}'s stack, then owns it (Go's casgstatus loop on _Gscan). */
    private static void acquireStack(G g) {
        while (!g.stackOwner.compareAndSet(0, 1)) {
            Thread.onSpinWait();
        }
    }

    private void gexit(G g) {
        g.status = GStatus.DEAD;
        g.roots.clear();
        allgs.remove(g);
        if (!g.system) {
            nUserG.decrementAndGet();
        }
        if (g == mainG && g.yield == G.Yield.EXIT) {
            finish(RunStatus.OK, "");
        }
    }

    /** {@code stopm}: park an M that has no P until it is handed one. False when shutting down. */
    private boolean stopm(M m) {
        idleLock.lock();
        try {
            if (m.nextp == null) {
                m.idle = true;
                idleMs.push(m);
            }
        } finally {
            idleLock.unlock();
        }
        counters.mParks.increment();
        m.parkUntilHandedP();
        idleLock.lock();
        try {
            if (m.idle) {
                idleMs.remove(m);
                m.idle = false;
            }
            P p = m.nextp;
            m.nextp = null;
            if (p == null) {
                return !shuttingDown;
            }
            acquirep(m, p);
        } finally {
            idleLock.unlock();
        }
        return true;
    }

    private void acquirep(M m, P p) {
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
        idleLock.lock();
        try {
            if (gcwaiting) {
                ctx.setSpinning(m, false); // gcstopm: an M stopped for the world is not looking
                return; // stop at the top of the loop instead
            }
            m.p = null;
            p.m = null;
            pidleput(p);
            checkdead();
        } finally {
            idleLock.unlock();
        }
        boolean wasSpinning = m.spinning;
        if (wasSpinning) {
            ctx.setSpinning(m, false); // a volatile decrement, then the queues are read again
        }
        if (hasRunnableSafely()) {
            idleLock.lock();
            try {
                P q = gcwaiting ? null : pidleget();
                if (q != null) {
                    acquirep(m, q);
                    if (wasSpinning) {
                        ctx.setSpinning(m, true);
                    }
                    return;
                }
            } finally {
                idleLock.unlock();
            }
        }
        stopm(m);
    }

    private boolean hasRunnableSafely() {
        try {
            return sched.hasRunnable();
        } catch (RuntimeException | Error e) {
            return true;
        }
    }

    /** Puts {@code p} on the idle list. Caller holds idleLock. */
    private void pidleput(P p) {
        p.setStatus(ProcStatus.IDLE);
        p.idleSince = System.nanoTime();
        idlePs.push(p);
        npidle = idlePs.size();
    }

    /** Takes an idle P or null. Caller holds idleLock. */
    private P pidleget() {
        P p = idlePs.poll();
        if (p != null) {
            npidle = idlePs.size();
            counters.idlePNanos.add(System.nanoTime() - p.idleSince);
            sysmon.wake();
        }
        return p;
    }

    /**
     * {@code startm}: give {@code p} (or an idle P if null) to an idle M, or a new M. Returns
     * false if no P was available.
     */
    boolean startm(P p, boolean spinning) {
        M m;
        idleLock.lock();
        try {
            if (shuttingDown || gcwaiting) {
                return false;
            }
            if (p == null) {
                p = pidleget();
                if (p == null) {
                    return false;
                }
            }
            p.setStatus(ProcStatus.RUNNING);
            m = idleMs.poll();
            if (m != null) {
                m.idle = false;
                m.spinning = spinning;
                m.nextp = p;
                p.m = m;
                counters.mWakes.increment();
            } else {
                m = newm(spinning);
                m.p = p;
                p.m = m;
            }
        } finally {
            idleLock.unlock();
        }
        if (m.thread.getState() == Thread.State.NEW) {
            m.thread.start();
        } else {
            m.unpark();
        }
        return true;
    }

    private M newm(boolean spinning) {
        M m = new M(allm.size(), this, config.seed() * 0x9E3779B97F4A7C15L + allm.size());
        m.spinning = spinning;
        allm.add(m);
        counters.msCreated.increment();
        return m;
    }

    /**
     * {@code handoffp}: {@code p} has no M (its M blocked in a syscall, or sysmon retook it).
     * Give it to an M if there is work for it, else idle it. The caller owns {@code p}, whose
     * status is {@code RUNNING} with no M; if the world is stopping, this is where it stops.
     */
    void handoffp(P p) {
        boolean work;
        try {
            work = sched.hasRunnable(p);
        } catch (RuntimeException | Error e) {
            work = true;
        }
        if (work) {
            counters.handoffs.increment();
            if (startm(p, false)) {
                return;
            }
        } else if (nmspinning.get() + npidle == 0 && ctx.tryStartSpinning()) {
            // No local work, but nobody is looking for work either: start a spinning M.
            counters.handoffs.increment();
            if (startm(p, true)) {
                return;
            }
            ctx.cancelSpinning();
        }
        idleLock.lock();
        try {
            if (gcwaiting) {
                p.setStatus(ProcStatus.GCSTOP);
                stopwaitDone();
            } else {
                pidleput(p);
                checkdead();
            }
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * {@code checkdead}: called with idleLock held when a P goes idle. If no P runs Go code,
     * no M is in a syscall, no timer is pending and nothing is queued, the goroutines that
     * remain can never run again.
     */
    private void checkdead() {
        if (npidle != gomaxprocs || nsyscall.get() != 0 || timers.pending() != 0 || shuttingDown || gcwaiting) {
            return;
        }
        if (hasRunnableSafely() || nUserG.get() == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder("fatal error: all goroutines are asleep - deadlock!\n");
        List<G> gs = new ArrayList<>(allgs.values());
        gs.sort(Comparator.comparingLong(g -> g.id));
        long now = coarseNanos;
        for (G g : gs) {
            if (g.system) {
                continue;
            }
            sb.append("\ngoroutine ").append(g.id).append(" [").append(g.waitReason.isEmpty() ? g.status.name().toLowerCase() : g.waitReason);
            // goroutineheader: the wait in whole minutes, once it is one or more.
            long minutes = g.status == GStatus.WAITING ? (now - g.waitSince) / 60_000_000_000L : 0;
            if (minutes >= 1) {
                sb.append(", ").append(minutes).append(" minutes"); // Go's words, "1 minutes" included
            }
            sb.append("]:");
        }
        finish(RunStatus.DEADLOCK, sb.toString());
    }

    // ------------------------------------------------------------------ parking (gopark / goready)

    /**
     * {@code gopark}: suspend the calling goroutine in state {@code WAITING}. {@code unlockf}
     * runs on the M after the goroutine has suspended: it is where the wait becomes visible
     * to wakers (releasing the lock of the structure the G queued itself on).
     */
    void gopark(G g, String reason, Runnable unlockf) {
        g.waitReason = reason;
        g.waitSince = coarseNanos; // minutes in the deadlock report; sysmon's clock is precise enough
        g.setStatusRelease(GStatus.WAITING); // wakers find the G only after unlockf has run
        g.unlockf = unlockf;
        g.yield = G.Yield.PARK;
        Coroutine.suspend();
        afterResume(g);
    }

    /** {@code Gosched}: yield the P, stay runnable. */
    void gosched(G g) {
        g.yield = G.Yield.GOSCHED;
        Coroutine.suspend();
        afterResume(g);
    }

    private void afterResume(G g) {
        if (shuttingDown) {
            throw new AbortSignal();
        }
    }

    /**
     * A safepoint: honour a preemption request and a stop-the-world request. Every runtime
     * call passes here ({@code Go.checkpoint()} is an explicit one).
     */
    void safepoint(G g) {
        if (shuttingDown) {
            throw new AbortSignal();
        }
        java.util.function.Consumer<G> scan = g.selfScan;
        if (scan != null) {
            g.selfScan = null;
            scan.accept(g);
        }
        if (gcwaiting) {
            stopAtSafepoint(g.m);
        }
        if (g.preempt) {
            g.preempt = false;
            g.yield = G.Yield.PREEMPTED;
            Coroutine.suspend();
            afterResume(g);
        }
    }

    // ------------------------------------------------------------------ syscalls

    /**
     * {@code entersyscall} ... {@code exitsyscall} around a blocking call. The M really blocks
     * in {@code call}; the scheduler chose whether the P waits for it ({@code KEEP_P}, sysmon
     * may retake it) or is handed off at once.
     */
    <T> T syscall(G g, java.util.concurrent.Callable<T> call) throws Exception {
        safepoint(g);
        M m = g.m;
        P p = m.p;
        if (traceRecorder != null) {
            traceRecorder.syscallEntered(m);
        }
        counters.syscalls.increment();
        p.syscalltick++;
        p.syscallWhen = System.nanoTime();
        g.status = GStatus.SYSCALL;
        m.syscallG = g;
        nsyscall.incrementAndGet();
        SyscallEntry entry;
        try {
            entry = sched.onSyscallEntry(p);
        } catch (RuntimeException | Error e) {
            entry = SyscallEntry.KEEP_P;
        }
        m.p = null;
        if (entry == SyscallEntry.HAND_OFF) {
            // entersyscallblock: the P leaves now.
            // The P stays RUNNING with no M while handoffp places it, so a concurrent
            // stop-the-world waits for handoffp instead of counting the P twice.
            m.oldp = null;
            p.m = null;
            handoffp(p);
        } else {
            m.oldp = p;
            m.oldpEpoch = p.enterSyscall();
        }
        // The stack is fixed while the M blocks in the call: a collector may scan it.
        g.stackOwner.set(0);
        try {
            return callOutOfLine(call);
        } finally {
            acquireStack(g);
            exitsyscall(g, m);
        }
    }

    /**
     * Calls {@code call} through a method handle held in a non-final field, so C2 cannot inline
     * the call into goroutine code. A blocking call is exactly where a user reaches for the
     * JDK's {@code LinkedBlockingQueue}, {@code ReentrantLock} or {@code Condition}, which record
     * {@code Thread.currentThread()}; inlined into a compiled goroutine frame that spans a park,
     * that read can be the M the goroutine ran on before it migrated (see {@link Current}), and
     * a condition wait then records the wrong thread: its signal unparks another M, and the
     * call never returns. Behind this boundary the callee's frame reads the real carrier.
     */
    @SuppressWarnings("unchecked")
    private static <T> T callOutOfLine(java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return (T) outOfLineCall.invokeExact(call);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
    }

    @SuppressWarnings("FieldMayBeFinal") // must stay non-final: see callOutOfLine
    private static java.lang.invoke.MethodHandle outOfLineCall;

    static {
        try {
            outOfLineCall = java.lang.invoke.MethodHandles.publicLookup().findVirtual(java.util.concurrent.Callable.class,
                    "call", java.lang.invoke.MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void exitsyscall(G g, M m) {
        m.syscallG = null;
        P old = m.oldp;
        m.oldp = null;
        // Fast path: the old P is still ours.
        if (old != null && old.casFromSyscall(m.oldpEpoch, ProcStatus.RUNNING)) {
            m.p = old;
            old.m = m;
            if (traceRecorder != null) {
                traceRecorder.sliceBegin(m, old, g, true);
            }
            g.status = GStatus.RUNNING;
            nsyscall.decrementAndGet();
            safepoint(g);
            return;
        }
        // Any idle P.
        idleLock.lock();
        try {
            P p = gcwaiting || shuttingDown ? null : pidleget();
            if (p != null) {
                acquirep(m, p);
                if (traceRecorder != null) {
                    traceRecorder.sliceBegin(m, p, g, true);
                }
                g.status = GStatus.RUNNING;
                nsyscall.decrementAndGet();
                return;
            }
        } finally {
            idleLock.unlock();
        }
        if (shuttingDown) {
            throw new AbortSignal();
        }
        // exitsyscall0: queue the G and park the M (the M loop does both after we suspend).
        g.yield = G.Yield.SYSCALL_NO_P;
        Coroutine.suspend();
        afterResume(g);
    }

    // ------------------------------------------------------------------ stop-the-world

    /** Timings of one stop-the-world, returned by {@link #stopTheWorld}. */
    public record StwToken(String reason, long requested, long stoppedAt) {
        public long timeToSafepointNanos() {
            return stoppedAt - requested;
        }
    }

    /**
     * {@code stopTheWorld}: returns when every P is stopped. May be called from a goroutine
     * (its own P stops first) or from any other thread.
     */
    public StwToken stopTheWorld(String reason) {
        M self = Current.m();
        acquireWorldSema(self);
        long t0 = System.nanoTime();
        P ownP = self != null && self.rt == this ? self.p : null;
        idleLock.lock();
        try {
            gcwaiting = true;
            stopStart = t0;
            stopwait = gomaxprocs;
            if (ownP != null) {
                ownP.setStatus(ProcStatus.GCSTOP);
                stopwait--;
            }
            for (P p : allp) {
                if (p == ownP) {
                    continue;
                }
                long w = p.stateWord();
                ProcStatus st = P.statusOf(w);
                if (st == ProcStatus.IDLE) {
                    idlePs.remove(p);
                    npidle = idlePs.size();
                    counters.idlePNanos.add(System.nanoTime() - p.idleSince);
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwait--;
                } else if (st == ProcStatus.SYSCALL && p.casFromSyscall(P.epochOf(w), ProcStatus.GCSTOP)) {
                    p.m = null;
                    stopwait--;
                } else if (st == ProcStatus.RUNNING && p.m != null && p.m.nextp == p) {
                    // startm handed p to an idle M whose thread has not run since: take it back
                    // rather than wait for the OS to give that thread a core. The M is idle
                    // again: back on the list, so that a later startm can hand it a P (it
                    // wakes, finds no nextp, and parks on in stopm, which reads nextp under
                    // idleLock).
                    M handed = p.m;
                    handed.nextp = null;
                    handed.idle = true;
                    idleMs.push(handed);
                    ctx.setSpinning(handed, false);
                    p.m = null;
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwait--;
                    counters.stopReclaims.increment();
                }
            }
            stopRequester = Current.carrier();
        } finally {
            idleLock.unlock();
        }
        // Running Ps stop at their next safepoint. Idle Ms are not woken: on a machine with few
        // cores a woken M that has nothing to do takes a core from the M the stop waits for
        // (Go's stopTheWorldWithSema wakes nobody either).
        while (stopwait > 0 && !shuttingDown) {
            LockSupport.parkNanos(this, STOP_WAIT_POLL_NANOS);
        }
        stopRequester = null;
        long t1 = System.nanoTime();
        counters.stwCount.increment();
        SchedCounters.record(counters.timeToSafepoint, t1 - t0);
        return new StwToken(reason, t0, t1);
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
     * Takes worldsema, in ticket order. A goroutine must not block its M while holding a
     * running P: the holder may be stopping the world and waiting for exactly that P (Go's
     * semacquire parks the goroutine instead). So a goroutine waiting for its turn stops at a
     * safepoint whenever a stop is in progress, and keeps its place in the queue.
     */
    private void acquireWorldSema(M self) {
        boolean onGoroutine = self != null && self.rt == this && self.p != null;
        long ticket = worldSemaNext.getAndIncrement();
        for (int spins = 0; worldSemaServing != ticket; spins++) {
            if (shuttingDown) {
                // The program has ended: turns may never come round again, and nothing needs
                // the world stopped any more. A goroutine unwinds; another caller goes on.
                if (onGoroutine) {
                    throw new AbortSignal();
                }
                return;
            }
            if (onGoroutine && gcwaiting) {
                stopAtSafepoint(self);
                continue;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void releaseWorldSema() {
        worldSemaServing = worldSemaServing + 1;
    }

    /** {@code startTheWorld}: restart every P. Returns the pause length in nanoseconds. */
    public long startTheWorld(StwToken token) {
        List<P> orphans = new ArrayList<>();
        idleLock.lock();
        try {
            gcwaiting = false;
            M self = Current.m();
            for (P p : allp) {
                if (p.m != null) {
                    p.setStatus(ProcStatus.RUNNING);
                } else if (self != null && self.p == p) {
                    p.setStatus(ProcStatus.RUNNING);
                } else {
                    orphans.add(p);
                }
            }
            for (P p : orphans) {
                pidleput(p);
            }
        } finally {
            idleLock.unlock();
        }
        sysmon.wake();
        // Ms blocked at a safepoint wait for gcwaiting to clear. The pause ends as the last of
        // them is woken (Go reads its clock after the notewakeups): read just before that last
        // wakeup, because on a machine with fewer free cores than running threads the woken M
        // may take this thread's core at once, and the time this thread then waits for a core
        // is time the restarted world already runs in.
        M self = Current.m();
        long end = 0;
        for (M m : allm) {
            if (m != self && m.stoppedForGc) {
                end = System.nanoTime();
                m.unpark();
            }
        }
        long pause = (end != 0 ? end : System.nanoTime()) - token.requested();
        SchedCounters.record(counters.stwPause, pause);
        if (traceRecorder != null) {
            traceRecorder.stopTheWorld(token.reason(), token.requested(), token.stoppedAt(), token.requested() + pause);
        }
        releaseWorldSema();
        // Idle Ps may have work now (a swap re-queued Gs, a syscall returned during the stop).
        for (int i = 0; i < orphans.size() && hasRunnableSafely(); i++) {
            if (!startm(null, false)) {
                break;
            }
        }
        return pause;
    }

    /** An M whose P must stop: mark the P stopped and block until the world restarts. */
    void stopAtSafepoint(M m) {
        for (;;) {
            P p;
            idleLock.lock();
            try {
                if (!gcwaiting) {
                    return;
                }
                p = m.p;
                if (p != null && p.status() != ProcStatus.GCSTOP) {
                    p.setStatus(ProcStatus.GCSTOP);
                    stopwaitDone();
                }
            } finally {
                idleLock.unlock();
            }
            // m is this thread's M (Current.m() or the M loop's own), so parking here parks m.
            // startTheWorld sets p RUNNING before it unparks us; if the next stop began before we
            // woke, gcwaiting is already true again and we must stop for that one too, so wait
            // for p to leave GCSTOP rather than for the flag, and then check again.
            m.stoppedForGc = true; // before reading gcwaiting: startTheWorld clears it, then reads this
            while (gcwaiting && !shuttingDown && (p == null || p.status() == ProcStatus.GCSTOP)) {
                LockSupport.park(this);
            }
            m.stoppedForGc = false;
            if (!gcwaiting || shuttingDown) {
                return;
            }
        }
    }

    /** One more P has stopped; the last one wakes the stop requester. Caller holds idleLock. */
    private void stopwaitDone() {
        if (--stopwait == 0) {
            Thread t = stopRequester;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * True while the world is stopped or stopping (Go's {@code sched.gcwaiting}): running
     * goroutines should reach a safepoint.
     */
    public boolean worldStopping() {
        return gcwaiting;
    }

    // ------------------------------------------------------------------ scheduler swap and ejection

    /**
     * Replaces the scheduler while the program runs: stop the world, drain the old strategy,
     * start the new one on the same Ps, re-ready every runnable G, restart. Returns the pause.
     */
    public long swapScheduler(SchedulerStrategy next, String why) {
        StwToken t = stopTheWorld("swap scheduler");
        swapping = true;
        while (outsideReadies.get() != 0) {
            Thread.onSpinWait();
        }
        try {
            Scheduler old = sched;
            String oldName = schedStrategy.name();
            List<Goroutine> drained;
            try {
                drained = old.drain();
            } catch (RuntimeException | Error e) {
                drained = List.of();
            }
            try {
                old.detach();
            } catch (RuntimeException | Error ignored) {
                // the old strategy is going away either way
            }
            Scheduler fresh = next.create(ctx);
            sched = fresh;
            ejecting.set(null);
            schedStrategy = next;
            nmspinning.set(0);
            for (M m : allm) {
                m.spinning = false;
            }
            requeue(fresh, drained);
            counters.swaps.increment();
            trace("gort: scheduler " + oldName + " -> " + next.name() + " (" + why + ")");
            if (traceRecorder != null) {
                traceRecorder.schedulerSwapped(oldName, next.name(), why);
            }
        } finally {
            swapping = false;
        }
        return startTheWorld(t);
    }

    /**
     * Re-readies on {@code fresh} every G the old scheduler returned, plus any runnable G it
     * lost (the kernel knows every G's status, so a faulty strategy cannot lose one).
     */
    private void requeue(Scheduler fresh, List<Goroutine> drained) {
        java.util.Set<G> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Goroutine x : drained) {
            G g = (G) x;
            if (g.status == GStatus.RUNNABLE && seen.add(g)) {
                fresh.ready(g, ReadyReason.SWAPPED, null, null);
            }
        }
        for (G g : allgs.values()) {
            if (g.status == GStatus.RUNNABLE && g.m == null && !seen.contains(g) && !isHeldOnM(g)) {
                seen.add(g);
                fresh.ready(g, ReadyReason.SWAPPED, null, null);
            }
        }
    }

    private boolean isHeldOnM(G g) {
        for (M m : allm) {
            if (m.curg == g) {
                return true;
            }
        }
        return false;
    }

    /** A scheduler that threw or stalled is replaced by the default, as sched_ext does. */
    void ejectScheduler(Scheduler failed, String reason, G pending) {
        // A G whose ready() threw stays RUNNABLE and unqueued; the swap's requeue finds it,
        // because the swap's stop-the-world waits until the failed call has returned.
        // Every M that hits the failing strategy lands here; only the first one ejects it.
        if (sched != failed || !ejecting.compareAndSet(null, failed)) {
            return;
        }
        counters.ejections.increment();
        String fallback = RuntimeConfig.DEFAULT_SCHEDULER.equals(schedStrategy.name()) ? null : RuntimeConfig.DEFAULT_SCHEDULER;
        if (fallback == null) {
            finish(RunStatus.FATAL, "fatal error: the default scheduler failed: " + reason);
            return;
        }
        trace("gort: ejecting scheduler " + schedStrategy.name() + ": " + reason);
        Thread t = new Thread(() -> {
            try {
                swapScheduler(catalog.scheduler(fallback), "ejected: " + reason);
            } catch (RuntimeException e) {
                finish(RunStatus.FATAL, "fatal error: could not fall back to " + fallback + ": " + e.getMessage());
            }
        }, "gort-" + id + "-eject");
        t.setDaemon(true);
        t.start();
    }

    /** The scheduler being ejected, until its replacement is in. */
    private final AtomicReference<Scheduler> ejecting = new AtomicReference<>();

    /**
     * The sysmon watchdog, one slice of {@link #WATCHDOG_SLICE} goroutine slots per call: a
     * runnable G waited longer than the limit. {@code longestTick} is sysmon's longest gap
     * between clock readings since the last call: the coarse times handed out meanwhile may
     * be that old, so a sweep during which sysmon itself stalled (half the limit or more)
     * convicts nobody.
     */
    void watchdog(long now, long longestTick) {
        long limit = Math.min(config.watchdogNanos(), sched.watchdogNanos());
        int length = allgs.length();
        int end = Math.min(length, watchdogCursor + WATCHDOG_SLICE);
        if (watchdogCursor == 0) {
            watchdogStall = 0;
        }
        watchdogStall = Math.max(watchdogStall, longestTick);
        // A stalled sysmon (a suspended machine) makes every wait look long: no verdict then.
        boolean mayConvict = !gcwaiting && watchdogStall <= limit / 2;
        for (int i = watchdogCursor; mayConvict && i < end; i++) {
            G g = allgs.at(i);
            if (g != null && g.status == GStatus.RUNNABLE && g.m == null && now - g.runnableSince > limit) {
                ejectScheduler(sched, "goroutine " + g.id + " runnable for more than " + limit / 1_000_000 + " ms", null);
                watchdogCursor = 0;
                return;
            }
        }
        watchdogCursor = end < length ? end : 0;
    }

    /**
     * Goroutines the watchdog looks at per sysmon round. A sweep of 100 000 goroutines in
     * one round cost sysmon 5 ms of a core every 100 ms, which is the length of a pause a
     * stopping M then waits for that core; in slices a sweep takes 100 rounds, well under
     * any watchdog limit (seconds).
     */
    private static final int WATCHDOG_SLICE = 1024;
    private int watchdogCursor; // sysmon's only
    private long watchdogStall; // sysmon's only: the longest sysmon tick in this sweep

    // ------------------------------------------------------------------ introspection

    /** {@code schedtrace}'s line (and with {@code detail}, {@code scheddetail}'s lines). */
    public String schedtrace(boolean detail) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        Scheduler s = sched;
        int idleThreads = 0;
        for (M m : allm) {
            if (m.idle) {
                idleThreads++;
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("SCHED ").append(ms).append("ms: gomaxprocs=").append(gomaxprocs)
                .append(" idleprocs=").append(npidle)
                .append(" threads=").append(allm.size() + 2) // + sysmon + timer thread
                .append(" spinningthreads=").append(nmspinning.get())
                .append(" idlethreads=").append(idleThreads)
                .append(" runqueue=").append(s.globalQueueLength());
        if (detail) {
            sb.append(" gcwaiting=").append(gcwaiting ? 1 : 0)
                    .append(" nmidlelocked=0 stopwait=").append(gcwaiting ? stopwait : 0)
                    .append(" sysmonwait=0");
            for (P p : allp) {
                M m = p.m;
                sb.append("\n  P").append(p.id).append(": status=").append(p.status().code())
                        .append(" schedtick=").append(p.schedtick).append(" syscalltick=").append(p.syscalltick)
                        .append(" m=").append(m == null ? -1 : m.id).append(" runqsize=").append(s.localQueueLength(p))
                        .append(" gfreecnt=0");
            }
            for (M m : allm) {
                P p = m.p;
                G g = m.curg;
                sb.append("\n  M").append(m.id).append(": p=").append(p == null ? -1 : p.id)
                        .append(" curg=").append(g == null ? -1 : g.id)
                        .append(" mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=").append(m.spinning)
                        .append(" blocked=").append(m.idle).append(" lockedg=-1");
            }
            List<G> gs = new ArrayList<>(allgs.values());
            gs.sort(Comparator.comparingLong(g -> g.id));
            for (G g : gs) {
                M m = g.m;
                sb.append("\n  G").append(g.id).append(": status=").append(g.status.code)
                        .append('(').append(g.waitReason).append(") m=").append(m == null ? -1 : m.id)
                        .append(" lockedm=-1");
            }
        } else {
            sb.append(" [");
            for (int i = 0; i < allp.length; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(s.localQueueLength(allp[i]));
            }
            sb.append(']');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the scheduler's view of the kernel

    final class SchedContextImpl implements SchedContext {
        @Override
        public int gomaxprocs() {
            return gomaxprocs;
        }

        @Override
        public Proc proc(int id) {
            return allp[id];
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public int idleProcs() {
            return npidle;
        }

        @Override
        public int spinningMs() {
            return nmspinning.get();
        }

        @Override
        public void setSpinning(Machine machine, boolean spinning) {
            M m = (M) machine;
            if (m.spinning != spinning) {
                m.spinning = spinning;
                if (spinning) {
                    nmspinning.incrementAndGet();
                } else {
                    nmspinning.decrementAndGet();
                }
            }
        }

        @Override
        public boolean tryStartSpinning() {
            return nmspinning.get() == 0 && nmspinning.compareAndSet(0, 1);
        }

        @Override
        public void cancelSpinning() {
            nmspinning.decrementAndGet();
        }

        @Override
        public boolean startM(boolean spinning) {
            return startm(null, spinning);
        }

        @Override
        public boolean stopPending() {
            return gcwaiting;
        }

        @Override
        public MeteredLock newMeteredLock(String name) {
            MeteredLock l = new MeteredLock(name);
            counters.locks.add(l);
            return l;
        }

        @Override
        public void countSteal(int goroutinesStolen) {
            counters.steals.increment();
            counters.stolen.add(goroutinesStolen);
        }

        @Override
        public long configLong(String key, long defaultValue) {
            String v = config.properties().get(key);
            if (v == null) {
                return defaultValue;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("property " + key + " must be a whole number, got '" + v + "'");
            }
        }
    }

    /** Unwinds a goroutine whose runtime is shutting down; never reaches user code's catch blocks by design. */
    static final class AbortSignal extends Error {
        AbortSignal() {
            super("runtime shutting down", null, false, false);
        }
    }
}
