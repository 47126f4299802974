package org.gort.kernel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RuntimeConfig;

/** The {@link RunHandle} of one runtime instance. */
final class InstanceHandle implements RunHandle {
    private final RuntimeInstance rt;
    private RunResult result;

    InstanceHandle(RuntimeInstance rt) {
        this.rt = rt;
    }

    @Override
    public synchronized RunResult await(Duration timeout) {
        if (result != null) {
            return result;
        }
        try {
            if (!rt.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                rt.stop("timed out after " + timeout.toMillis() + " ms; the scheduler's state then:\n" + rt.schedtrace(true));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            rt.stop("interrupted");
        }
        result = rt.shutdown();
        return result;
    }

    @Override
    public boolean isDone() {
        return rt.isDone();
    }

    @Override
    public void whenDone(Runnable action) {
        rt.whenDone(action);
    }

    @Override
    public void stop(String why) {
        rt.stop(why);
    }

    @Override
    public RuntimeConfig config() {
        return rt.config();
    }

    @Override
    public Map<String, String> activeStrategies() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scheduler", rt.schedulerName());
        m.put("allocator", rt.allocatorName());
        m.put("collector", rt.collectorName());
        m.put("pacer", rt.pacerName());
        return m;
    }

    @Override
    public long swapScheduler(String name, String why) {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; start a new run to use " + name);
        }
        return rt.swapScheduler(rt.catalog.scheduler(name), why);
    }

    @Override
    public void swapCollector(String name, String why) {
        rt.swapCollector(name, why);
    }

    @Override
    public void swapPacer(String name, String why) {
        rt.swapPacer(name, why);
    }

    @Override
    public int gomaxprocs(int n) {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; start a new run with --gomaxprocs " + n);
        }
        return rt.procresize.gomaxprocs(n);
    }

    @Override
    public String setProperty(String key, String value) {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; start a new run with --set " + key + "=" + value);
        }
        return rt.properties.put(key, value);
    }

    @Override
    public java.util.List<org.gort.api.StrategyChange> strategyChanges() {
        return rt.strategyChanges();
    }

    @Override
    public void gc() {
        rt.gcFromOutside();
    }

    @Override
    public String status() {
        return rt.schedtrace(false) + "\n" + rt.gcStatus() + "\n" + goroutineCounts();
    }

    /** {@code goroutines: 1003 (chan receive 1000, runnable 2, running 1)}: NumGoroutine and the count per state. */
    private String goroutineCounts() {
        java.util.Map<String, Integer> byState = new java.util.TreeMap<>();
        rt.forEachGoroutine(g -> {
            if (!g.system && g.status != GStatus.DEAD) {
                byState.merge(Traceback.state(g), 1, Integer::sum);
            }
        });
        StringBuilder sb = new StringBuilder("goroutines: ").append(rt.numGoroutine());
        String counts = byState.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        return counts.isEmpty() ? sb.toString() : sb.append(" (").append(counts).append(')').toString();
    }

    @Override
    public org.gort.api.GoMemStats memStats() {
        return rt.goMemStats();
    }

    @Override
    public String goroutines() {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; its goroutines are gone");
        }
        rt.stackDumpWanted = true;
        StwToken t;
        try {
            t = rt.stopTheWorld("goroutine dump");
        } finally {
            rt.stackDumpWanted = false; // every goroutine that stops has stopped by now
        }
        try {
            Traceback.Level level = Traceback.Level.of(rt.config().traceback()).atLeast(Traceback.Level.ALL);
            return Traceback.grouped(rt, level, System.nanoTime(), 10, g -> true);
        } finally {
            rt.startTheWorld(t);
        }
    }

    @Override
    public String leakedGoroutines() {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; its leaks were reported when it ended");
        }
        return LeakCheck.describe(LeakCheck.live(rt));
    }

    @Override
    public String writeProfile(String kind, java.nio.file.Path file, Duration duration) {
        if (!java.util.List.of("cpu", "heap", "block", "mutex", "goroutine", "leak").contains(kind)) {
            throw new IllegalArgumentException("the profile kind must be cpu, heap, block, mutex, goroutine or leak, got '" + kind + "'");
        }
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; take its profiles with run's --cpuprofile, --memprofile, "
                    + "--blockprofile, --mutexprofile, --goroutineprofile or --leakprofile FILE");
        }
        org.gort.kernel.profile.Pprof p;
        String what;
        switch (kind) {
            case "cpu" -> {
                Duration d = duration == null ? Duration.ofSeconds(30) : duration; // Go's /debug/pprof/profile default
                Profiles cpu = new Profiles(rt, Map.of("cpu", file), rt.config().memProfileRate());
                cpu.start();
                try {
                    waitOrEnd(d);
                } finally {
                    cpu.stopCpu();
                }
                p = cpu.liveCpu();
                what = "sampled for " + d.toMillis() / 1000.0 + " s";
            }
            case "goroutine" -> {
                java.util.List<Object[]> gs = new java.util.ArrayList<>();
                rt.stackDumpWanted = true;
                StwToken t;
                try {
                    t = rt.stopTheWorld("goroutine profile");
                } finally {
                    rt.stackDumpWanted = false;
                }
                try {
                    for (G g : Traceback.listed(rt, Traceback.Level.ALL)) {
                        gs.add(new Object[] {Traceback.frames(g, false), Traceback.state(g)});
                    }
                } finally {
                    rt.startTheWorld(t);
                }
                p = rt.liveProfiles().live(kind, gs);
                what = gs.size() + " goroutines";
            }
            case "leak" -> {
                java.util.List<LeakCheck.Leak> leaks = LeakCheck.live(rt);
                p = rt.liveProfiles().leakProfile(leaks);
                what = leaks.size() + " leaked goroutines";
            }
            default -> { // heap, block, mutex: what was recorded so far; started now if it was off
                Profiles pr = rt.liveProfiles();
                boolean wasOn = switch (kind) {
                    case "heap" -> pr.mem;
                    case "block" -> pr.block;
                    default -> pr.mutex;
                };
                Duration d = duration == null ? Duration.ofSeconds(10) : duration;
                if (!wasOn) {
                    switch (kind) {
                        case "heap" -> {
                            pr.mem = true;
                            org.gort.kernel.heap.ManagedHeap h = rt.gcHooks.heapIfCreated();
                            if (h != null) {
                                h.setAllocationSampler(pr.sampler());
                            }
                        }
                        case "block" -> pr.block = true;
                        default -> pr.mutex = true;
                    }
                    waitOrEnd(d);
                }
                p = pr.live(kind, null);
                what = wasOn ? "recorded since the run began" : "recorded for " + d.toMillis() / 1000.0 + " s; recording stays on";
            }
        }
        try {
            p.write(file);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("cannot write the " + kind + " profile to " + file + ": " + e.getMessage());
        }
        return kind + " profile (" + what + ") written to " + file + "; open it with: go tool pprof " + file;
    }

    /** Waits {@code d}, or less if the run ends first. */
    private void waitOrEnd(Duration d) {
        try {
            rt.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String writeTrace(java.nio.file.Path file) {
        TraceRecorder tr = rt.traceRecorder;
        if (tr == null) {
            throw new IllegalStateException("this run records no trace; start it with a trace file (run ... --trace-out FILE)");
        }
        try {
            RuntimeConfig.builder().traceEvents(file); // the same checks as before a run
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; its whole trace goes to " + rt.config().traceEventsFile());
        }
        TraceRecorder.Snapshot snap;
        StwToken t = rt.stopTheWorld("trace snapshot");
        try {
            snap = tr.captureLive();
        } finally {
            rt.startTheWorld(t);
        }
        String problem = tr.writeSnapshot(snap, file);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        return snap.kept + " events" + (snap.dropped > 0 ? ", " + snap.dropped + " dropped" : "");
    }

    @Override
    public org.gort.api.RunSample sample() {
        return RunSampler.sample(rt);
    }

    @Override
    public java.util.List<org.gort.api.GcCycle> gcCycles(long after) {
        return RunSampler.cycles(rt, after);
    }
}
