package org.gort.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * Turns one run's figures into the tables of docs/benchmarks.md: the JMH results (CSV, from
 * `-rf csv`) and the Go reference programs' lines (bench/run-go.sh), side by side, as ratios
 * within the run, and each project target marked met or not met. A figure that was not
 * measured in this run is reported as such, never guessed.
 *
 * Usage: java -cp benchmarks.jar org.gort.bench.Report <results directory>
 * reads jmh*.csv, jmh.txt and gc.txt (the "gort-stat" lines benchmarks and GcHarness print) and
 * go.txt, where present.
 */
public final class Report {
    /** One measured figure: a JMH score or a Go program's mean. */
    record Figure(String bench, Map<String, String> params, double score, double error, String unit, double min, double max) {
        Figure(String bench, Map<String, String> params, double score, double error, String unit) {
            this(bench, params, score, error, unit, Double.NaN, Double.NaN);
        }

        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    /** "gort-stat <benchmark> key=value..." lines: counters a benchmark read from the strategy itself. */
    private final List<Map<String, String>> stats = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java -cp benchmarks.jar org.gort.bench.Report <results directory with jmh*.csv, jmh.txt, go.txt>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Report r = new Report();
        // jmh-gort.csv and jmh-vt.csv (bench/run.sh runs gort's benchmarks and virtual threads'
        // with different JVM options), or one jmh.csv
        try (var csvs = Files.newDirectoryStream(dir, "jmh*.csv")) {
            List<Path> sorted = new ArrayList<>();
            csvs.forEach(sorted::add);
            sorted.sort(null);
            for (Path csv : sorted) {
                r.readJmh(csv);
            }
        }
        if (Files.exists(dir.resolve("jmh.txt"))) {
            r.readIterations(dir.resolve("jmh.txt"));
        }
        for (String f : List.of("jmh.txt", "gc.txt")) {
            if (Files.exists(dir.resolve(f))) {
                r.readStats(dir.resolve(f));
            }
        }
        if (Files.exists(dir.resolve("go.txt"))) {
            r.readGo(dir.resolve("go.txt"));
        }
        System.out.print(r.render());
    }

    /** Measured iterations per benchmark and parameters ("bench|k=v k=v"), from JMH's console log. */
    private final Map<String, List<Double>> iterations = new LinkedHashMap<>();

    /**
     * Reads every measured iteration's figure from JMH's console log ("Iteration  N: 123.4 ns/op",
     * the figure possibly on the next line when the benchmark printed a line of its own).
     */
    void readIterations(Path txt) throws IOException {
        String bench = null;
        Map<String, String> params = new TreeMap<>();
        boolean pending = false;
        for (String line : Files.readAllLines(txt)) {
            if (line.startsWith("# Benchmark: ")) {
                bench = line.substring("# Benchmark: ".length()).trim().replace("org.gort.bench.", "");
                params = new TreeMap<>();
                pending = false;
            } else if (line.startsWith("# Parameters: (")) {
                for (String kv : line.substring("# Parameters: (".length(), line.length() - 1).split(",\\s*")) {
                    String[] p = kv.split("\\s*=\\s*", 2);
                    if (p.length == 2) {
                        params.put(p[0].trim(), p[1].trim());
                    }
                }
            } else if (bench != null && line.startsWith("Iteration ")) {
                pending = !addIteration(bench, params, line.substring(line.indexOf(':') + 1));
            } else if (bench != null && pending) {
                pending = !addIteration(bench, params, line);
            }
        }
    }

    private boolean addIteration(String bench, Map<String, String> params, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|\\s)([0-9]+(?:\\.[0-9]+)?) [a-z]+/op\\s*$").matcher(text);
        if (!m.find()) {
            return false;
        }
        iterations.computeIfAbsent(bench + "|" + paramText(params), k -> new ArrayList<>()).add(parse(m.group(1)));
        return true;
    }

    /** The smallest and the median measured iteration of {@code f}, or null when the log is missing. */
    private double[] minMedian(Figure f) {
        List<Double> v = iterations.get(f.bench + "|" + paramText(f.params));
        if (v == null || v.isEmpty()) {
            return Double.isNaN(f.min) ? null : new double[] {f.min, Double.NaN};
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return new double[] {s[0], median};
    }

    void readStats(Path txt) throws IOException {
        for (String line : Files.readAllLines(txt)) {
            int at = line.indexOf("gort-stat ");
            if (at < 0) {
                continue;
            }
            String[] w = line.substring(at).trim().split("\\s+");
            Map<String, String> kv = new LinkedHashMap<>();
            kv.put("benchmark", w.length > 1 ? w[1] : "");
            for (int i = 2; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                if (eq > 0) {
                    kv.put(w[i].substring(0, eq), w[i].substring(eq + 1));
                }
            }
            stats.add(kv);
        }
    }

    /** The last stat line of {@code benchmark} whose entries include every {@code key=value} given. */
    Optional<Map<String, String>> stat(String benchmark, String... keyValues) {
        Map<String, String> found = null;
        outer:
        for (Map<String, String> kv : stats) {
            if (!kv.get("benchmark").equals(benchmark)) {
                continue;
            }
            for (String c : keyValues) {
                int eq = c.indexOf('=');
                if (!c.substring(eq + 1).equals(kv.get(c.substring(0, eq)))) {
                    continue outer;
                }
            }
            found = kv;
        }
        return Optional.ofNullable(found);
    }

    // ------------------------------------------------------------------ input

    void readJmh(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) {
            return;
        }
        List<String> header = splitCsv(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = splitCsv(line);
            Map<String, String> params = new TreeMap<>();
            for (int i = 0; i < header.size() && i < f.size(); i++) {
                if (header.get(i).startsWith("Param: ") && !f.get(i).isEmpty()) {
                    params.put(header.get(i).substring("Param: ".length()), f.get(i));
                }
            }
            String name = f.get(0).replace("org.gort.bench.", "");
            figures.add(new Figure(name, params, parse(f.get(4)), parse(f.get(5)), f.get(6)));
        }
    }

    /** Lines "go <bench> procs=<n> <unit> mean=<x> min=<x> max=<x> iters=<n>" (others are ignored). */
    void readGo(Path txt) throws IOException {
        for (String line : Files.readAllLines(txt)) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 5 || !w[0].equals("go")) {
                continue;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            String unit = null;
            for (int i = 2; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                if (eq > 0) {
                    kv.put(w[i].substring(0, eq), w[i].substring(eq + 1));
                } else {
                    unit = w[i];
                }
            }
            Map<String, String> params = new TreeMap<>();
            params.put("gomaxprocs", kv.getOrDefault("procs", ""));
            kv.forEach((k, v) -> {
                if (!List.of("procs", "mean", "min", "max", "iters", "cycles").contains(k)) {
                    params.put(k, v);
                }
            });
            double mean = parse(kv.getOrDefault("mean", "NaN"));
            double min = parse(kv.getOrDefault("min", "NaN"));
            double max = parse(kv.getOrDefault("max", "NaN"));
            figures.add(new Figure("Go." + w[1], params, mean, (max - min) / 2, unit, min, max));
        }
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    // ------------------------------------------------------------------ lookup

    /** The figure of {@code bench} whose parameters include every {@code key=value} given. */
    Optional<Figure> find(String bench, String... keyValues) {
        outer:
        for (Figure f : figures) {
            if (!f.bench.equals(bench)) {
                continue;
            }
            for (String kv : keyValues) {
                int eq = kv.indexOf('=');
                if (!f.param(kv.substring(0, eq)).equals(kv.substring(eq + 1))) {
                    continue outer;
                }
            }
            return Optional.of(f);
        }
        return Optional.empty();
    }

    private TreeSet<String> values(String param, String benchPrefix) {
        TreeSet<String> s = new TreeSet<>();
        for (Figure f : figures) {
            if (f.bench.startsWith(benchPrefix) && !f.param(param).isEmpty()) {
                s.add(f.param(param));
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ output

    String render() {
        allFigures();
        schedulerTable();
        allocatorTable();
        collectorTable();
        targets();
        return out.toString();
    }

    private void allFigures() {
        out.append("### All figures\n\n"
                + "Score is JMH's mean with its 99.9% error (for Go: the mean over runs and half the spread); min and median are "
                + "of the measured iterations, which on a shared machine tell the undisturbed cost better than the mean.\n\n"
                + "| benchmark | parameters | score | ± | min | median | unit |\n|---|---|---:|---:|---:|---:|---|\n");
        for (Figure f : figures) {
            double[] mm = minMedian(f);
            out.append("| ").append(f.bench).append(" | ").append(paramText(f.params)).append(" | ")
                    .append(num(f.score)).append(" | ").append(num(f.error)).append(" | ")
                    .append(mm == null ? "–" : num(mm[0])).append(" | ").append(mm == null || Double.isNaN(mm[1]) ? "–" : num(mm[1]))
                    .append(" | ")
                    .append(f.unit).append(" |\n");
        }
        out.append('\n');
    }

    private static String paramText(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    private void schedulerTable() {
        TreeSet<String> procs = values("gomaxprocs", "SchedulerBench");
        procs.addAll(values("gomaxprocs", "VirtualThreadBench"));
        if (procs.isEmpty()) {
            return;
        }
        Optional<Figure> floor = find("ContinuationBench.yieldResume");
        out.append("### Scheduler, side by side\n\n");
        out.append("Raw continuation yield+resume (the floor): ").append(floor.map(f -> num(f.score) + " ns").orElse("not measured"))
                .append(".\n\n");
        out.append("| program | GOMAXPROCS | gmp | legacy-gm | virtual threads | Go | gmp / Go | gmp / virtual threads |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String prog : List.of("pingpong", "spawn", "sieve")) {
            for (String p : procs) {
                Optional<Figure> gmp = find("SchedulerBench." + prog, "scheduler=gmp", "gomaxprocs=" + p);
                Optional<Figure> gm = find("SchedulerBench." + prog, "scheduler=legacy-gm", "gomaxprocs=" + p);
                Optional<Figure> vt = find("VirtualThreadBench." + prog, "gomaxprocs=" + p);
                Optional<Figure> go = find("Go." + prog, "gomaxprocs=" + p);
                String unit = gmp.or(() -> vt).or(() -> go).map(Figure::unit).orElse("");
                out.append("| ").append(prog).append(" (").append(unit).append(") | ").append(p).append(" | ")
                        .append(cell(gmp)).append(" | ").append(cell(gm)).append(" | ").append(cell(vt)).append(" | ")
                        .append(cell(go)).append(" | ").append(ratio(gmp, go)).append(" | ").append(ratio(gmp, vt)).append(" |\n");
            }
        }
        find("SchedulerBench.driverHandoff", "scheduler=gmp").ifPresent(f -> out.append("\nDriver hand-off (per job, divided by ")
                .append(SchedulerBench.OPS).append(" operations in the figures above): ").append(num(f.score)).append(" ns.\n"));
        out.append('\n');
    }

    private static final String[][] ALLOC_ROWS = {
        {"alloc16", "1", "alloc16", "bump16"},
        {"alloc16TwoThreads", "2", "alloc16", "bump16"},
        {"allocMix", "1", "allocMix", "bumpMix"},
        {"allocMixTwoThreads", "2", "allocMix", "bumpMix"},
    };

    private void allocatorTable() {
        if (values("allocator", "AllocBench").isEmpty()) {
            return;
        }
        out.append("### Allocator, side by side (ns per allocation per thread; no GC unless said)\n\n");
        out.append("| benchmark | threads | tcmalloc | global-freelist | bump floor | Go gc=off | Go gc=on | global-freelist / tcmalloc | tcmalloc allocs per lock |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] row : ALLOC_ROWS) {
            Optional<Figure> tc = find("AllocBench." + row[0], "allocator=tcmalloc");
            Optional<Figure> gf = find("AllocBench." + row[0], "allocator=global-freelist");
            Optional<Figure> bump = find("AllocBench." + row[3], "allocator=tcmalloc");
            Optional<Figure> goOff = find("Go." + row[2], "gomaxprocs=2", "goroutines=" + row[1], "gc=off");
            Optional<Figure> goOn = find("Go." + row[2], "gomaxprocs=2", "goroutines=" + row[1], "gc=on");
            String perLock = stat("AllocBench." + row[0], "allocator=tcmalloc").map(m -> m.get("allocsPerLock")).orElse("–");
            out.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(cell(tc)).append(" | ")
                    .append(cell(gf)).append(" | ").append(cell(bump)).append(" | ").append(cell(goOff)).append(" | ")
                    .append(cell(goOn)).append(" | ").append(ratio(gf, tc)).append(" | ").append(perLock).append(" |\n");
        }
        out.append("\nGo figures are at GOMAXPROCS=2. The bump floor zeroes what it hands out, in the heap's own memory.\n\n");
    }

    private static final List<String> COLLECTORS = List.of("stw", "dijkstra", "yuasa", "hybrid");

    private boolean hasGc() {
        return stats.stream().anyMatch(m -> m.get("benchmark").startsWith("GcHarness."));
    }

    private String gcValue(String program, String key, String... where) {
        return stat("GcHarness." + program, where).map(m -> m.containsKey("failed") ? "failed" : m.getOrDefault(key, "–")).orElse("–");
    }

    /** {@link #gcValue}, rounded for a table. */
    private String gcCell(String program, String key, String... where) {
        String v = gcValue(program, key, where);
        double d = parse(v);
        return Double.isNaN(d) ? v : num(d);
    }

    private void collectorTable() {
        if (!hasGc()) {
            return;
        }
        TreeSet<Integer> sizes = new TreeSet<>();
        for (Map<String, String> m : stats) {
            if (m.get("benchmark").equals("GcHarness.parkedheap")) {
                sizes.add(Integer.parseInt(m.get("goroutines")));
            }
        }
        Optional<Figure> goTrees = find("Go.binarytrees", "gomaxprocs=2");
        out.append("### Collectors (GOMAXPROCS=2, gmp, tcmalloc)\n\n");
        out.append("| collector | binary-trees n=16 (s) | × Go |");
        for (int g : sizes) {
            out.append(" parked ").append(g).append(": churn, max per cycle (µs) | churn, sweep-term. max (µs) | churn, mark-term. max (µs) | max pause (µs) | p99 (µs) | sweep-term. max (µs) | mark-term. max (µs) | time to safepoint max (µs) |");
        }
        out.append("\n|---|---:|---:|");
        out.append("---:|---:|---:|---:|---:|---:|---:|---:|".repeat(sizes.size()));
        out.append('\n');
        List<String> names = new ArrayList<>(COLLECTORS);
        for (Map<String, String> m : stats) {
            String c = m.get("collector");
            if (m.get("benchmark").startsWith("GcHarness.") && c != null && !names.contains(c)) {
                names.add(c);
            }
        }
        for (String c : names) {
            String trees = gcValue("binarytrees", "mean.s", "collector=" + c);
            out.append("| ").append(c).append(" | ").append(gcCell("binarytrees", "mean.s", "collector=" + c)).append(" | ")
                    .append(goTrees.isPresent() && !Double.isNaN(parse(trees)) ? "×" + num(parse(trees) / goTrees.get().score) : "–")
                    .append(" |");
            for (int g : sizes) {
                out.append(' ').append(gcCell("parkedheap", "churn.cycle.pause.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "churn.sweepterm.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "churn.markterm.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "pause.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "pause.p99.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "sweepterm.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "markterm.max.us", "collector=" + c, "goroutines=" + g))
                        .append(" | ").append(gcCell("parkedheap", "ttsp.max.us", "collector=" + c, "goroutines=" + g)).append(" |");
            }
            out.append('\n');
        }
        out.append("| Go 1.19 | ").append(goTrees.map(f -> num(f.score)).orElse("–")).append(" | ×1 |");
        for (int g : sizes) {
            String goMax = find("Go.parkedheap.pausemax", "gomaxprocs=2", "goroutines=" + g).map(f -> num(f.max())).orElse("–");
            out.append(' ').append(goMax).append(" | – | – | ").append(goMax)
                    .append(" | ").append(find("Go.parkedheap.pausep99", "gomaxprocs=2", "goroutines=" + g).map(f -> num(f.score)).orElse("–"))
                    .append(" | – | – | – |");
        }
        out.append("\n\nA pause is one stop-the-world, from the request to the restart, so it includes the time to safepoint; "
                + "mark termination is the pause that ends marking. Go's pauses are MemStats.PauseNs per cycle (sweep termination "
                + "plus mark termination) of the cycles that completed during the churn; \"churn, max per cycle\" is the same "
                + "figure for gort (MemStats.pauseNs), and the churn's sweep-term. and mark-term. columns are those cycles' "
                + "gctrace clock times. The other gort columns cover the whole run, creating and releasing the "
                + "goroutines included: max is the largest single pause over all measured runs, p99 the 99th percentile of all "
                + "their pauses together.\n\n");
    }

    private void targets() {
        out.append("### Targets\n\n");
        if (hasGc()) {
            String hybridChurn = gcValue("parkedheap", "churn.cycle.pause.max.us", "collector=hybrid", "goroutines=100000");
            double hc = parse(hybridChurn);
            String hybridMax = gcValue("parkedheap", "pause.max.us", "collector=hybrid", "goroutines=100000");
            double hm = parse(hybridMax);
            out.append("- hybrid max pause ≤ 1 ms at 100 000 parked goroutines, during the churn (per cycle, as Go's): ")
                    .append(Double.isNaN(hc) ? hybridChurn.equals("–") ? "not measured" : hybridChurn
                            : num(hc) + " µs — " + (hc <= 1000 ? "**met**" : "**not met**")).append('\n');
            String over = gcValue("parkedheap", "pauses.over.1ms", "collector=hybrid", "goroutines=100000");
            String total = gcValue("parkedheap", "pauses", "collector=hybrid", "goroutines=100000");
            String median = gcValue("parkedheap", "churn.cycle.pause.max.median.us", "collector=hybrid", "goroutines=100000");
            if (!Double.isNaN(parse(over)) && !Double.isNaN(parse(total))) {
                out.append("  - how often: ").append(over).append(" of ").append(total)
                        .append(" pauses (whole runs) were longer than 1 ms; the median over runs of the churn's max per cycle: ")
                        .append(Double.isNaN(parse(median)) ? "–" : num(parse(median)) + " µs").append('\n');
            }
            out.append("- the same over the whole run (largest single pause): ")
                    .append(Double.isNaN(hm) ? hybridMax.equals("–") ? "not measured" : hybridMax
                            : num(hm) + " µs — " + (hm <= 1000 ? "**met**" : "**not met**")).append('\n');
            double d10 = parse(gcValue("parkedheap", "churn.markterm.max.us", "collector=dijkstra", "goroutines=10000"));
            double d100 = parse(gcValue("parkedheap", "churn.markterm.max.us", "collector=dijkstra", "goroutines=100000"));
            double h100 = parse(gcValue("parkedheap", "churn.markterm.max.us", "collector=hybrid", "goroutines=100000"));
            out.append("- dijkstra's mark-termination pause (during the churn) grows with the goroutine count: ")
                    .append(Double.isNaN(d10) || Double.isNaN(d100) ? "not measured"
                            : num(d10) + " µs at 10 000, " + num(d100) + " µs at 100 000 — " + (d100 > d10 ? "**met**" : "**not met**"))
                    .append('\n');
            out.append("- dijkstra's mark-termination pause ≥ 10× hybrid's at 100 000 (during the churn): ")
                    .append(Double.isNaN(d100) || Double.isNaN(h100) ? "not measured"
                            : num(d100) + " vs " + num(h100) + " µs (×" + num(d100 / h100) + ") — " + (d100 >= 10 * h100 ? "**met**" : "**not met**"))
                    .append('\n');
            double trees = parse(gcValue("binarytrees", "mean.s", "collector=hybrid"));
            Optional<Figure> goTrees = find("Go.binarytrees", "gomaxprocs=2");
            out.append("- binary-trees n=16 under hybrid within 4× of Go in the same run: ")
                    .append(Double.isNaN(trees) || goTrees.isEmpty() ? "not measured"
                            : num(trees) + " s vs " + num(goTrees.get().score) + " s (×" + num(trees / goTrees.get().score) + ") — "
                                    + (trees <= 4 * goTrees.get().score ? "**met**" : "**not met**"))
                    .append('\n');
        }
        if (!values("allocator", "AllocBench").isEmpty()) {
            atMost("tcmalloc 16-byte allocation, one thread, no GC", find("AllocBench.alloc16", "allocator=tcmalloc"), 25, "ns");
            faster("tcmalloc ≥ 3× faster than global-freelist, 16-byte objects, two threads at GOMAXPROCS=2",
                    find("AllocBench.alloc16TwoThreads", "allocator=tcmalloc"),
                    find("AllocBench.alloc16TwoThreads", "allocator=global-freelist"), 3);
            faster("tcmalloc ≥ 3× faster than global-freelist, size mix, two threads at GOMAXPROCS=2",
                    find("AllocBench.allocMixTwoThreads", "allocator=tcmalloc"),
                    find("AllocBench.allocMixTwoThreads", "allocator=global-freelist"), 3);
            for (String b : List.of("alloc16", "allocMix")) {
                Optional<Map<String, String>> st = stat("AllocBench." + b, "allocator=tcmalloc");
                String what = "tcmalloc ≥ 100 allocations per lock acquisition (" + b + ", allocator stats)";
                if (st.isEmpty()) {
                    out.append("- ").append(what).append(": not measured\n");
                } else {
                    double v = parse(st.get().get("allocsPerLock"));
                    out.append("- ").append(what).append(": ").append(num(v)).append(" (").append(st.get().get("objects"))
                            .append(" allocations, ").append(st.get().get("lockAcquisitions")).append(" lock acquisitions) — ")
                            .append(v >= 100 ? "**met**" : "**not met**").append('\n');
                }
            }
        }
        for (String p : values("gomaxprocs", "SchedulerBench")) {
            atMost("gmp pingpong round trip, GOMAXPROCS=" + p, find("SchedulerBench.pingpong", "scheduler=gmp", "gomaxprocs=" + p), 400, "ns");
            atMost("gmp spawn per goroutine, GOMAXPROCS=" + p, find("SchedulerBench.spawn", "scheduler=gmp", "gomaxprocs=" + p), 300, "ns");
            faster("gmp pingpong faster than virtual threads, GOMAXPROCS=" + p,
                    find("SchedulerBench.pingpong", "scheduler=gmp", "gomaxprocs=" + p), find("VirtualThreadBench.pingpong", "gomaxprocs=" + p));
            faster("gmp spawn faster than virtual threads, GOMAXPROCS=" + p,
                    find("SchedulerBench.spawn", "scheduler=gmp", "gomaxprocs=" + p), find("VirtualThreadBench.spawn", "gomaxprocs=" + p));
        }
        out.append('\n');
    }

    private void atMost(String what, Optional<Figure> f, double limit, String unit) {
        if (f.isEmpty()) {
            out.append("- ").append(what).append(" ≤ ").append(num(limit)).append(' ').append(unit).append(": not measured\n");
            return;
        }
        boolean met = f.get().score <= limit;
        out.append("- ").append(what).append(" ≤ ").append(num(limit)).append(' ').append(unit).append(": ")
                .append(num(f.get().score)).append(' ').append(unit).append(" — ").append(met ? "**met**" : "**not met**").append('\n');
    }

    private void faster(String what, Optional<Figure> a, Optional<Figure> b) {
        faster(what, a, b, 1);
    }

    /** Met when {@code a} is at least {@code factor} times faster than {@code b} (strictly faster for 1). */
    private void faster(String what, Optional<Figure> a, Optional<Figure> b, double factor) {
        if (a.isEmpty() || b.isEmpty()) {
            out.append("- ").append(what).append(": not measured\n");
            return;
        }
        boolean met = factor == 1 ? a.get().score < b.get().score : b.get().score >= factor * a.get().score;
        out.append("- ").append(what).append(": ").append(num(a.get().score)).append(" vs ").append(num(b.get().score))
                .append(' ').append(a.get().unit).append(" (the second is ×").append(num(b.get().score / a.get().score))
                .append(" the first) — ")
                .append(met ? "**met**" : "**not met**").append('\n');
    }

    private String cell(Optional<Figure> f) {
        return f.map(x -> {
            double[] mm = minMedian(x);
            return num(x.score) + (Double.isNaN(x.error) ? "" : " ± " + num(x.error)) + (mm == null ? "" : " (min " + num(mm[0]) + ")");
        }).orElse("–");
    }

    private static String ratio(Optional<Figure> a, Optional<Figure> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return "–";
        }
        return "×" + num(a.get().score / b.get().score);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        String fmt = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, fmt, v);
    }
}
