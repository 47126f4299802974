package org.gort.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Params;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.api.Workload;
import org.gort.spi.gc.CollectorStrategy;

/*
 * The collector figures: whole programs, one fresh runtime per run, because a collector's
 * pauses are a property of a run (a histogram), not of an operation JMH could repeat.
 *
 *   binary-trees n=16   seconds per run, timed inside the program (main goroutine start to
 *                       end; the runtime's start-up is outside), output checked
 *   parked-heap         10 000 and 100 000 goroutines each parked with 4 objects in its root
 *                       stack while one goroutine allocates `allocs` short-lived objects:
 *                       the largest stop-the-world pause and its 99th percentile (gc.pause.ns),
 *                       the largest mark-termination and sweep-termination pauses
 *                       (gc.pause.markterm.ns, gc.pause.sweepterm.ns) and time to safepoint,
 *                       all over the whole run (creating and releasing the goroutines too);
 *                       and, as bench/go/parkedheap measures Go, the largest stop-the-world
 *                       time of one cycle (its pauses added up, MemStats.PauseNs) among the
 *                       cycles that completed during the churn (churn.cycle.pause.max), and
 *                       the largest sweep-termination and mark-termination clock times of
 *                       those cycles, from their gctrace lines (churn.sweepterm.max,
 *                       churn.markterm.max, and each one's median over those cycles)
 *
 * Both are the workloads the lab runs (org.gort.workloads), under every collector installed,
 * with tcmalloc and gmp at GOMAXPROCS=2. Each figure comes from `-wi` warmup runs (JIT) and
 * `-i` measured runs in this JVM. Output: one "gort-stat GcHarness.<program> ..." line per
 * collector and size, read by org.gort.bench.Report; the Go programs bench/go/binarytrees and
 * bench/go/parkedheap print the same figures.
 *
 * Usage: java <gort JVM flags> -cp benchmarks.jar org.gort.bench.GcHarness
 *            [-wi N] [-wimax N] [-i N] [-jit idle|normal] [-collectors a,b] [-goroutines 10000,100000] [-allocs N] [-n 16]
 *            [-only binarytrees|parkedheap] [-timeout seconds per run]
 *
 * A run that fails (or exceeds the timeout) is reported as a "gort-stat ... failed=..." line
 * with the first line of the failure, its full text goes to stderr, and the harness goes on
 * with the next figure; the exit status is 1 if any run failed.
 */
public final class GcHarness {

    /**
     * Warmup runs, at least: the JIT compiles through the first seconds of the JVM, and on two
     * cores its compiler threads take cores from Ms, which then reach their safepoints late (a
     * stop of 1–4 ms whose laggard M or requester waited for a core while C1 and C2 both ran).
     * So warmup goes on, up to {@link #maxWarmup} runs, until a run during which the JIT
     * compiled for at most {@link #QUIET_JIT_PERCENT} of the run's time.
     *
     * <p>One quiet run does not mean the JIT is done. Code run once per cycle or once per run
     * crosses C2's thresholds late, and a rare branch first taken late deoptimizes what C2
     * compiled without it: in parked-heap (100 000 goroutines, runs of about a second) bursts
     * of 340–430 ms of compilation came as late as the 23rd run (C2 recompiling the mark loop,
     * compiling mark termination; the M loop recompiled after a deoptimization, running in the
     * interpreter meanwhile). Stopping at the first quiet run (after 10–21 runs) left 30–430 ms
     * of compilation in each measured run, and the worst pause per cycle x1.77 Go's (median of
     * 10 alternating rounds); from 30 runs on, 16–117 ms and x1.15 (14 rounds); 45 runs gave
     * no less than 30 (4 rounds).
     */
    private int warmup = 30;
    private int maxWarmup = 60;
    private static final double QUIET_JIT_PERCENT = 1.0;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    /** {@code -jit idle} (default): compiler threads under SCHED_IDLE during measured runs, see {@link JitPriority}. */
    private boolean idleJit = true;
    private int iters = 5;
    private List<String> collectors;
    private int[] goroutines = {10_000, 100_000};
    private int allocs = 2_000_000;
    private int depth = 16;
    private String only = "";
    private Duration timeout = Duration.ofMinutes(3);
    private int failures;
    private static final Pattern GCTRACE = Pattern.compile("^gc (\\d+) @[^:]*: ([0-9.]+)\\+([0-9.]+)\\+([0-9.]+) ms clock");

    public static void main(String[] args) {
        GcHarness h = new GcHarness();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "-wi" -> h.warmup = Integer.parseInt(required(args[i], v));
                case "-jit" -> h.idleJit = switch (required(args[i], v)) {
                    case "idle" -> true;
                    case "normal" -> false;
                    default -> {
                        System.err.println("GcHarness: -jit takes idle or normal, not " + v);
                        System.exit(2);
                        yield true;
                    }
                };
                case "-wimax" -> h.maxWarmup = Integer.parseInt(required(args[i], v));
                case "-i" -> h.iters = Integer.parseInt(required(args[i], v));
                case "-collectors" -> h.collectors = List.of(required(args[i], v).split(","));
                case "-goroutines" -> h.goroutines = Arrays.stream(required(args[i], v).split(",")).mapToInt(Integer::parseInt).toArray();
                case "-allocs" -> h.allocs = Integer.parseInt(required(args[i], v));
                case "-n" -> h.depth = Integer.parseInt(required(args[i], v));
                case "-only" -> h.only = required(args[i], v);
                case "-timeout" -> h.timeout = Duration.ofSeconds(Long.parseLong(required(args[i], v)));
                default -> {
                    System.err.println("GcHarness: unknown option " + args[i]
                            + "; options: -wi N -wimax N -i N -jit idle|normal -collectors a,b -goroutines 10000,100000 -allocs N -n 16 -only binarytrees|parkedheap -timeout seconds");
                    System.exit(2);
                }
            }
            i++;
        }
        h.run();
    }

    private static String required(String option, String value) {
        if (value == null) {
            System.err.println("GcHarness: " + option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    private void run() {
        StrategyCatalog catalog = StrategyCatalog.serviceLoader();
        List<String> names = collectors != null ? collectors
                : catalog.collectors().stream().map(CollectorStrategy::name).sorted(GcHarness::byEra).toList();
        if (names.isEmpty()) {
            System.err.println("GcHarness: no collector installed; put a bundle-gc-* jar on the class path");
            System.exit(1);
        }
        Workload binaryTrees = workload("binary-trees");
        Workload parkedHeap = workload("parked-heap");
        for (String collector : names) {
            if (!only.equals("parkedheap")) {
                guarded("GcHarness.binarytrees collector=" + collector + " n=" + depth,
                        () -> binaryTrees(catalog, binaryTrees, collector));
            }
            if (!only.equals("binarytrees")) {
                for (int g : goroutines) {
                    guarded("GcHarness.parkedheap collector=" + collector + " goroutines=" + g,
                            () -> parkedHeap(catalog, parkedHeap, collector, g));
                }
            }
        }
        if (failures > 0) {
            System.exit(1);
        }
    }

    /** Runs one figure; a failure becomes a "failed" line and the harness carries on. */
    private void guarded(String label, Runnable figure) {
        try {
            figure.run();
        } catch (RunFailed e) {
            failures++;
            System.out.println("gort-stat " + label + " failed=" + e.getMessage().replace(' ', '_'));
            System.err.println(label + ": " + e.getMessage() + "\n" + e.fullText);
        }
    }

    /** A run that did not end OK or printed a wrong output. */
    private static final class RunFailed extends RuntimeException {
        final String fullText;

        RunFailed(String message, String fullText) {
            super(message);
            this.fullText = fullText;
        }
    }

    /** The collectors in the order Go had them: stw, dijkstra, yuasa, hybrid, then any others. */
    private static int byEra(String a, String b) {
        List<String> era = List.of("stw", "dijkstra", "yuasa", "hybrid");
        int ia = era.indexOf(a) < 0 ? era.size() : era.indexOf(a);
        int ib = era.indexOf(b) < 0 ? era.size() : era.indexOf(b);
        return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    }

    private static Workload workload(String name) {
        for (Workload w : ServiceLoader.load(Workload.class)) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        throw new IllegalStateException("workload " + name + " not found: put gort-workloads on the class path");
    }

    private static RuntimeConfig config(String collector, Consumer<String> trace) {
        return RuntimeConfig.builder().gomaxprocs(2).scheduler("gmp").allocator("tcmalloc").collector(collector)
                .gctrace(true).trace(trace).build();
    }

    /** Runs {@code w} once; fails loudly if the run or its output check fails. Returns the result. */
    private RunResult once(StrategyCatalog catalog, Workload w, Params p, String collector) {
        return once(catalog, w, p, collector, line -> { });
    }

    /** The same, with the run's trace lines (gctrace: one per cycle) going to {@code trace}. */
    private RunResult once(StrategyCatalog catalog, Workload w, Params p, String collector, Consumer<String> trace) {
        RunResult r = Runtime.run(config(collector, trace), catalog, () -> {
            long t0 = System.nanoTime();
            w.main(p);
            Go.report("bench.ns", System.nanoTime() - t0);
        }, timeout);
        if (!r.ok()) {
            throw new RunFailed(r.status() + ": " + r.failureHeadline(), r.failure());
        }
        Check c = w.check(p, r.output());
        if (!c.passed()) {
            throw new RunFailed("wrong output", c.difference());
        }
        return r;
    }

    private void binaryTrees(StrategyCatalog catalog, Workload w, String collector) {
        Params p = w.params(List.of("n=" + depth));
        List<Double> seconds = new ArrayList<>();
        long cycles = 0;
        long pauseMax = 0;
        Measured<RunResult> runs = measure(() -> once(catalog, w, p, collector));
        for (RunResult r : runs.results()) {
            seconds.add(r.metrics().get("workload.bench.ns") / 1e9);
            cycles += r.metrics().count("gc.cycles");
            pauseMax = Math.max(pauseMax, (long) r.metrics().get("gc.pause.max.ns", 0));
        }
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.println(String.format(Locale.ROOT,
                "gort-stat GcHarness.binarytrees collector=%s n=%d gomaxprocs=2 mean.s=%.4f min.s=%.4f max.s=%.4f runs=%d cycles.per.run=%.1f pause.max.us=%.1f %s",
                collector, depth, mean(s), s[0], s[s.length - 1], s.length, (double) cycles / s.length, pauseMax / 1e3, runs.jitFigures()));
    }

    private void parkedHeap(StrategyCatalog catalog, Workload w, String collector, int g) {
        Params p = w.params(List.of("goroutines=" + g, "allocs=" + allocs));
        Histogram all = new Histogram(3);
        long pauseMax = 0;
        long marktermMax = 0;
        long sweeptermMax = 0;
        long cycles = 0;
        double ttspMax = 0;
        long churnPauseMax = 0;
        long churnCycles = 0;
        List<Double> maxes = new ArrayList<>();
        List<Double> churnMaxes = new ArrayList<>();
        List<Double> churnSweepterms = new ArrayList<>();
        List<Double> churnMarkterms = new ArrayList<>();
        record Traced(RunResult result, List<String> trace) {
        }
        Measured<Traced> runs = measure(() -> {
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            return new Traced(once(catalog, w, p, collector, lines::add), lines);
        });
        for (Traced t : runs.results()) {
            RunResult r = t.result();
            List<String> trace = t.trace();
            // The churn's cycles, from their gctrace lines: "gc N @...s P%: A+B+C ms clock, ..."
            // where A is sweep termination and C mark termination, each from its stop request.
            long first = (long) r.metrics().get("workload.churn.first.cycle", 0);
            long last = (long) r.metrics().get("workload.churn.last.cycle", -1);
            synchronized (trace) {
                for (String line : trace) {
                    Matcher mt = GCTRACE.matcher(line);
                    if (mt.find()) {
                        long n = Long.parseLong(mt.group(1));
                        if (n >= first && n <= last) {
                            churnSweepterms.add(Double.parseDouble(mt.group(2)) * 1e3);
                            churnMarkterms.add(Double.parseDouble(mt.group(4)) * 1e3);
                        }
                    }
                }
            }
            Histogram h = r.metrics().histogram("gc.pause.ns");
            if (h == null || h.getTotalCount() == 0) {
                throw new RunFailed("no GC cycle ran during the churn: raise -allocs", "");
            }
            all.add(h);
            maxes.add(h.getMaxValue() / 1e3);
            pauseMax = Math.max(pauseMax, h.getMaxValue());
            marktermMax = Math.max(marktermMax, (long) r.metrics().get("gc.pause.markterm.max.ns", 0));
            sweeptermMax = Math.max(sweeptermMax, (long) r.metrics().get("gc.pause.sweepterm.max.ns", 0));
            ttspMax = Math.max(ttspMax, r.metrics().get("gc.ttsp.max.ns", 0));
            cycles += r.metrics().count("gc.cycles");
            churnPauseMax = Math.max(churnPauseMax, (long) r.metrics().get("workload.churn.pause.max.ns", 0));
            churnMaxes.add(r.metrics().get("workload.churn.pause.max.ns", 0) / 1e3);
            churnCycles += (long) r.metrics().get("workload.churn.cycles", 0);
        }
        long over1ms = all.getTotalCount() - all.getCountBetweenValues(0, 1_000_000);
        System.out.println(String.format(Locale.ROOT,
                "gort-stat GcHarness.parkedheap collector=%s goroutines=%d allocs=%d gomaxprocs=2 pause.max.us=%.1f "
                        + "pause.p99.us=%.1f pause.max.median.us=%.1f markterm.max.us=%.1f sweepterm.max.us=%.1f ttsp.max.us=%.1f "
                        + "pauses=%d pauses.over.1ms=%d cycles=%d runs=%d churn.cycle.pause.max.us=%.1f "
                        + "churn.cycle.pause.max.median.us=%.1f churn.sweepterm.max.us=%.1f churn.markterm.max.us=%.1f churn.sweepterm.median.us=%.1f "
                        + "churn.markterm.median.us=%.1f churn.cycles=%d %s",
                collector, g, allocs, pauseMax / 1e3, all.getValueAtPercentile(99) / 1e3, median(maxes), marktermMax / 1e3,
                sweeptermMax / 1e3, ttspMax / 1e3, all.getTotalCount(), over1ms, cycles, maxes.size(), churnPauseMax / 1e3,
                median(churnMaxes), max(churnSweepterms), max(churnMarkterms), median(churnSweepterms),
                median(churnMarkterms), churnCycles, runs.jitFigures()));
    }

    /** The measured runs of one figure, and what the JIT did before and during them. */
    private record Measured<T>(List<T> results, int warmupRuns, boolean quiet, long jitMsMeasured, boolean jitIdle) {
        /** "warmup.runs=N jit.quiet=true jit.ms.per.run=X": how settled the JVM was. */
        String jitFigures() {
            return String.format(Locale.ROOT, "warmup.runs=%d jit.quiet=%b jit.ms.per.run=%.1f jit.priority=%s",
                    warmupRuns, quiet, (double) jitMsMeasured / results.size(), jitIdle ? "idle" : "normal");
        }
    }

    /**
     * Warmup runs (at least {@code -wi}, then on until one is JIT-quiet or {@code -wimax} runs
     * were made), then {@code -i} measured runs.
     */
    private <T> Measured<T> measure(Supplier<T> run) {
        int warm = 0;
        boolean quiet = false;
        while (warm < maxWarmup && !(quiet && warm >= warmup)) {
            long c0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            run.get();
            long wallMs = (System.nanoTime() - t0) / 1_000_000;
            long jitMs = jit.getTotalCompilationTime() - c0;
            quiet = jitMs * 100 <= wallMs * QUIET_JIT_PERCENT;
            warm++;
            if (Boolean.getBoolean("gort.bench.verbose")) {
                System.err.println("warmup " + warm + ": " + wallMs + " ms, jit " + jitMs + " ms");
            }
        }
        List<T> results = new ArrayList<>();
        long c0 = jit.getTotalCompilationTime();
        boolean jitIdle = idleJit;
        for (int i = 0; i < iters; i++) {
            jitIdle &= !idleJit || JitPriority.idleCompilers();
            results.add(run.get());
        }
        if (idleJit && !JitPriority.normalCompilers()) {
            // Not allowed back (not root): the next figure's warmup would starve the JIT.
            System.err.println("GcHarness: cannot return the JIT's compiler threads to normal priority"
                    + " (needs root); the figures after this one run with -jit normal");
            idleJit = false;
        }
        return new Measured<>(results, warm, quiet, jit.getTotalCompilationTime() - c0, jitIdle);
    }

    /** The upper median (the middle of an odd count), or 0 for none. */
    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
