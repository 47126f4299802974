package org.gort.spi.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.gort.api.MemStats;
import org.gort.spi.heap.HeapView;

/*
 * The collector's accounting (Go's mstats.go and metrics.go, and the accounting half of
 * gcMarkTermination): pauses, cycles, the heap samples, MemStats, the cycle history, gctrace
 * and the run's gc.* metrics.
 *
 * Pauses. Every pause is recorded whole (gc.pause.ns, with its time to safepoint) and split by
 * phase (gc.pause.<phase>.ns): each phase of a pause runs from its own start to the next one's,
 * the first from when the stop was requested, the last to the restart. Objects marked, root
 * slots read and goroutines visited inside pauses are counted with the world stopped (exact):
 * the difference of the counters between the stop and the restart, less what a debugging
 * mode's verification visited. That is what shows a pause growing with the live heap or with
 * the number of goroutines without measuring wall time.
 *
 * Cycles. As a cycle ends its record (Cycle) becomes a CycleStats: clock times from the
 * coordinator's stamps; CPU as Go's gctrace counts it (sweep termination and mark termination
 * as their clock time times GOMAXPROCS, assists and idle marking as measured, background
 * marking as measured, or the whole mark phase times GOMAXPROCS when marking ran in a pause);
 * heap figures from the pacer. It is added to the
 * metrics, to Go's MemStats rings (PauseNs, PauseEnd, LastGC), to the history that timelines
 * read (the last HISTORY cycles), and written as Go's gctrace line (GcTrace) when gctrace is on.
 *
 * Heap samples. sysmon samples heapLive at most once a millisecond (gc.heap.live.bytes), with
 * the memory the heap retains (heap.retained.max.bytes), and hands both, with the collector's
 * CPU so far, to the pacer's samplers (the memory limit and the CPU limiter).
 *
 * Implementation notes. The coordinator is the only writer of the per-cycle record and the
 * metrics; GcMetrics' own monitor orders its records against sysmon's samples and the report.
 * The MemStats rings, LastGC and the history are guarded by that same monitor (metrics), so
 * that MemStats is read whole. Barrier executions and the mark counters are LongAdders written
 * by every thread and read by the coordinator.
 */
final class Accounting {
    /** The last {@value #HISTORY} completed cycles are kept (cycle n at (n - 1) % HISTORY), for timelines. */
    static final int HISTORY = 1024;
    private static final long HEAP_SAMPLE_NANOS = 1_000_000;

    private final GcRuntime rt;
    private final HeapView heap;
    private final Marking marking;
    private final Pacer pacer;
    private final MarkWorkers workers;
    private final Assists assists;
    private final Scavenger scavenger;
    private final GcMetrics metrics = new GcMetrics();
    /** Go's MemStats.PauseNs, guarded by {@code metrics}. */
    private final long[] pauseRing = new long[MemStats.PAUSE_RING];
    /** Go's {@code PauseEnd}: when each cycle of {@link #pauseRing} ended, nanoseconds since 1970. */
    private final long[] pauseEndRing = new long[MemStats.PAUSE_RING];
    /** Go's {@code LastGC}: when the last cycle ended, nanoseconds since 1970; 0 before the first. */
    private long lastGC;
    /** The last {@value #HISTORY} completed cycles (cycle n at (n - 1) % HISTORY); guarded by {@code metrics}. */
    private final CycleStats[] history = new CycleStats[HISTORY];
    /** Executions of the collector's write barrier (CountingBarrier), over the run. */
    final LongAdder barrierExecutions = new LongAdder();
    private volatile CycleStats last;
    private volatile long lastHeapSample;
    /** The most memory the heap retained at a sample (committed, not released), for {@code heap.retained.max.bytes}. */
    private volatile long retainedMax;

    Accounting(GcRuntime rt, HeapView heap, Marking marking, Pacer pacer, MarkWorkers workers, Assists assists,
               Scavenger scavenger) {
        this.rt = rt;
        this.heap = heap;
        this.marking = marking;
        this.pacer = pacer;
        this.workers = workers;
        this.assists = assists;
        this.scavenger = scavenger;
    }

    /** sysmon's heap sample, at most once a millisecond: heapLive, the memory retained, the pacer's samplers. */
    void sysmonSample(long now) {
        if (now - lastHeapSample >= HEAP_SAMPLE_NANOS) {
            lastHeapSample = now;
            long live = pacer.heapLive.get();
            metrics.sampleHeap(live);
            long retained = scavenger.retained();
            if (retained > retainedMax) {
                retainedMax = retained;
            }
            pacer.sample(heap, retained, now, gcCpuSoFar(), rt.gomaxprocs());
        }
    }

    /** The collector's CPU time so far: completed cycles, plus the marking and assists of the cycle under way. */
    private long gcCpuSoFar() {
        long running = marking.blackening()
                ? assists.nanos.sum() + workers.backgroundNanos.sum() + workers.idleNanos.sum() : 0;
        synchronized (metrics) {
            return metrics.cpuNanos + running;
        }
    }

    // ------------------------------------------------------------------ pauses

    /** One pause of the world: the phases it holds, when each began, and the counters at the stop. */
    final class Pause {
        private final List<Phase> phases = new ArrayList<>();
        private final List<Long> starts = new ArrayList<>();
        private final long markedAtStop = marking.markedObjectsTotal();
        private final long slotsAtStop = rootSlots();
        private final long visitsAtStop = rt.goroutinesVisited();

        /** Phase {@code ph} runs in this pause from now (the first from when the stop was requested). */
        void add(Phase ph, GcRuntime.StopToken world) {
            starts.add(phases.isEmpty() ? world.requestedNanos() : System.nanoTime());
            phases.add(ph);
        }

        /** True if this pause holds mark termination (the pause that ends marking). */
        boolean endsMarking() {
            return phases.contains(Phase.MARK_TERMINATION);
        }
    }

    /** The world is stopped for cycle {@code c}: a pause begins (counters taken now). */
    Pause pauseBegan(Cycle c) {
        Pause p = new Pause();
        c.verifyVisits = 0;
        return p;
    }

    /** Before the world restarts: what pause {@code p} marked, read and visited (exact, the world is stopped). */
    void countPause(Cycle c, Pause p) {
        c.markedInPause += marking.markedObjectsTotal() - p.markedAtStop;
        c.rootSlotsInPause += rootSlots() - p.slotsAtStop;
        c.goroutinesInPause += rt.goroutinesVisited() - p.visitsAtStop - c.verifyVisits;
    }

    /** The world restarted after {@code pauseNanos}: records the pause, split among the phases it held. */
    void recordPause(Cycle c, Pause p, GcRuntime.StopToken world, long pauseNanos) {
        long end = world.requestedNanos() + pauseNanos;
        metrics.recordPause(pauseNanos, world.timeToSafepointNanos());
        c.maxPause = Math.max(c.maxPause, pauseNanos);
        c.pauseSum += pauseNanos;
        for (int i = 0; i < p.phases.size(); i++) {
            long next = i + 1 < p.phases.size() ? p.starts.get(i + 1) : end;
            metrics.recordPhasePause(p.phases.get(i), next - p.starts.get(i));
        }
        if (p.endsMarking()) {
            c.tEnd = end;
        }
        c.lastPauseEnd = end;
    }

    private long rootSlots() {
        return marking.roots.stackSlots.sum() + marking.roots.globalSlots.sum();
    }

    // ------------------------------------------------------------------ cycles

    /** gccheckmark verified one more cycle. */
    void checkmarkCycle() {
        metrics.checkmarkCycles++;
    }

    /** Cycle {@code c} completed: its CycleStats, the metrics, MemStats' rings, the history and gctrace. */
    void recordCycle(Cycle c) {
        int procs = rt.gomaxprocs();
        if (c.tEnd == 0) {
            c.tEnd = System.nanoTime();
        }
        boolean stwMark = c.stwMarkNanos > 0 || !c.needs.concurrentMark();
        long background = stwMark ? (c.tMarkTerm - c.tMark) * procs : workers.backgroundNanos.sum();
        CycleStats s = new CycleStats(c.number, c.collectorName, c.trigger,
                c.tSweepTerm, c.tMark, c.tMarkTerm, c.tEnd,
                (c.tMark - c.tSweepTerm) * procs, assists.nanos.sum(), background, workers.idleNanos.sum(),
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
        metrics.stacksScanned += marking.roots.stacksScanned.sum();
        metrics.selfScans += marking.roots.selfScans.sum();
        metrics.barrierShades += marking.barrierShades.sum();
        metrics.barrierRegreys += marking.barrierRegreys.sum();
        metrics.sampleHeap(c.heapAtMarkTerm);
        last = s;
        if (rt.gctrace()) {
            rt.trace(GcTrace.line(s, rt.startNanos(), cpuFraction()));
        }
    }

    /** Go's {@code gc_cpu_fraction}: the collector's share of the CPU (elapsed time times GOMAXPROCS) since the start. */
    private double cpuFraction() {
        long elapsed = System.nanoTime() - rt.startNanos();
        return elapsed <= 0 ? 0 : (double) metrics.cpuNanos / ((double) elapsed * rt.gomaxprocs());
    }

    // ------------------------------------------------------------------ readers

    /** The last completed cycle, or null. */
    CycleStats lastCycle() {
        return last;
    }

    /**
     * The completed cycles numbered above {@code after}, oldest first: at most the last
     * {@value #HISTORY} (a reader that polls less often than that many cycles misses the older ones).
     */
    List<CycleStats> cyclesAfter(long after) {
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

    /** Go's {@code MemStats}: the cycles completed as {@code triggers} counts them, the collector as {@code swaps} names it. */
    MemStats memStats(Triggers triggers, Swaps swaps) {
        CycleStats s = last;
        long numGC = triggers.completed();
        synchronized (metrics) {
            return new MemStats(numGC, metrics.forced, pacer.heapLive.get(), pacer.heapMarked(), pacer.goal(),
                    metrics.pauseTotal, s == null ? 0 : s.maxPauseNanos(), cpuFraction(),
                    s == null ? 0 : s.markedObjects(), s == null ? 0 : s.markedInPause(),
                    s == null ? -1 : s.floatingObjects(), s == null ? -1 : s.reachableObjects(),
                    swaps.strategy().name(), pauseRing);
        }
    }

    /** Go's {@code MemStats.PauseEnd} (a copy). */
    long[] pauseEnd() {
        synchronized (metrics) {
            return pauseEndRing.clone();
        }
    }

    /** Go's {@code MemStats.LastGC}, nanoseconds since 1970; 0 before the first cycle. */
    long lastGC() {
        synchronized (metrics) {
            return lastGC;
        }
    }

    /** Adds the {@code gc.*} metrics to a run's report. */
    void report(org.gort.api.Metrics m) {
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
