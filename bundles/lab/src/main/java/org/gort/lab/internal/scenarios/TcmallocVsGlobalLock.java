package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.Derived;
import org.gort.lab.internal.html.ChartSpec;

/**
 * tcmalloc vs a global-lock allocator: Go's per-P mcache hands out objects without a lock and
 * takes mcentral's or mheap's lock only to refill a span, so lock acquisitions per allocation
 * are far below one; the baseline takes its one lock on every allocation. Internal waste per
 * size class is checked against the bound of Go's {@code max waste} column (the worst request
 * for a class is one byte more than the class below it).
 */
final class TcmallocVsGlobalLock extends Scenario {
    static final String BASELINE = "global-freelist";
    static final String TCMALLOC = "tcmalloc";
    /**
     * "tcmalloc ≪ 1 lock acquisition per allocation": a quarter. alloc-churn spreads its objects
     * over every size class, and a class of 1–32 KiB objects refills its span (mcentral, often
     * mheap) every few allocations, as in Go; measured 0.10–0.19 with a collector running.
     */
    static final double TCMALLOC_LOCKS_PER_ALLOC_BOUND = 0.25;
    /**
     * Go's {@code class_to_size} (runtime/sizeclasses.go of Go 1.16 to 1.19, 68 classes, class 0 =
     * large), the table the tcmalloc bundle follows.
     */
    static final int[] GO_CLASS_TO_SIZE = {0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
        240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
        2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
        12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

    TcmallocVsGlobalLock() {
        super(new ScenarioInfo("tcmalloc-vs-global-lock",
                "alloc-churn and binary-trees: allocator lock acquisitions per allocation, time per allocation, waste",
                "Lock acquisitions per allocation (tcmalloc ≪ 1), ns per allocation, internal waste by size class"
                        + " matching Go's max-waste column.",
                List.of("alloc-churn", "binary-trees"), List.of("allocator:" + TCMALLOC, "allocator:" + BASELINE)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        List<Selection> sel = List.of(select(BASELINE, "alloc=" + BASELINE + " procs=" + procs),
                select(TCMALLOC, "alloc=" + TCMALLOC + " procs=" + procs));
        List<String> metrics = List.of(Derived.ALLOC_LOCK_PER_ALLOC, Derived.ALLOC_LOCK_ACQUISITIONS, "alloc.objects",
                Derived.ALLOC_NS_PER_ALLOC, "workload.alloc.ns", "alloc.bytes.waste", Derived.ALLOC_WASTE_FRACTION,
                "alloc.refills", "run.wall.ns");
        return List.of(
                new Part("alloc-churn", small ? List.of("objects=20000") : List.of(), sel, metrics),
                new Part("binary-trees", List.of(small ? "n=10" : "n=16"), sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        List<Direction> d = new ArrayList<>();
        StringBuilder finding = new StringBuilder();
        String perAlloc = Derived.ALLOC_LOCK_PER_ALLOC;
        for (Comparison c : comparisons) {
            OptionalDouble base = median(c, BASELINE, perAlloc);
            OptionalDouble tc = median(c, TCMALLOC, perAlloc);
            finding.append(String.format("On %s, %s took %s locks per allocation and tcmalloc %s; an allocation"
                            + " cost %s and %s of wall time; internal waste was %s and %s of the bytes handed out. ",
                    c.workload(), BASELINE, show(perAlloc, base), show(perAlloc, tc),
                    show(Derived.ALLOC_NS_PER_ALLOC, median(c, BASELINE, Derived.ALLOC_NS_PER_ALLOC)),
                    show(Derived.ALLOC_NS_PER_ALLOC, median(c, TCMALLOC, Derived.ALLOC_NS_PER_ALLOC)),
                    percent(median(c, BASELINE, Derived.ALLOC_WASTE_FRACTION)),
                    percent(median(c, TCMALLOC, Derived.ALLOC_WASTE_FRACTION))));
            d.add(claim("tcmalloc takes far less than one lock per allocation on " + c.workload() + " (below "
                    + TCMALLOC_LOCKS_PER_ALLOC_BOUND + ")", List.of(tc), v -> v[0] < TCMALLOC_LOCKS_PER_ALLOC_BOUND,
                    v -> show(v[0]) + " per allocation"));
            d.add(claim("tcmalloc takes fewer locks per allocation than " + BASELINE + " on " + c.workload(),
                    List.of(tc, base), v -> v[0] < v[1], v -> show(v[0]) + " vs " + show(v[1])));
            d.add(wasteWithinGoBounds(c));
        }
        return new Judgement(finding.toString().trim(), d);
    }

    /** Every tcmalloc run's per-class waste fraction against Go's bound for the class. */
    private static Direction wasteWithinGoBounds(Comparison c) {
        String claim = "tcmalloc's internal waste in every size class stays within Go's max-waste bound on " + c.workload();
        int classes = 0;
        String worst = "";
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (RunRecord r : c.measured(c.indexOf(TCMALLOC))) {
            if (!r.ok()) {
                continue;
            }
            for (int cls = 1; cls < GO_CLASS_TO_SIZE.length; cls++) {
                Double allocs = r.metrics().get("alloc.class." + cls + ".allocs");
                Double waste = r.metrics().get("alloc.class." + cls + ".waste");
                if (allocs == null || waste == null || allocs == 0) {
                    continue;
                }
                classes++;
                double size = GO_CLASS_TO_SIZE[cls];
                double observed = waste / (allocs * size);
                double bound = (size - GO_CLASS_TO_SIZE[cls - 1] - 1) / size;
                if (observed - bound > worstExcess) {
                    worstExcess = observed - bound;
                    worst = String.format(Locale.ROOT, "class %d (%d B): %.2f%% of block bytes, bound %.2f%%",
                            cls, (int) size, observed * 100, bound * 100);
                }
            }
        }
        if (classes == 0) {
            return new Direction(claim, Direction.Status.UNMEASURED, "no per-class counts were reported");
        }
        return new Direction(claim, worstExcess <= 1e-9 ? Direction.Status.HOLDS : Direction.Status.FAILS,
                "closest to its bound: " + worst);
    }

    private static String percent(OptionalDouble fraction) {
        return fraction.isPresent() ? String.format(Locale.ROOT, "%.1f%%", fraction.getAsDouble() * 100) : "—";
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        List<ChartSpec.Series> series = new ArrayList<>();
        java.util.TreeSet<Integer> classes = new java.util.TreeSet<>();
        for (Comparison c : comparisons) {
            List<ChartSpec.Point> points = new ArrayList<>();
            List<RunRecord> runs = c.measured(c.indexOf(TCMALLOC)).stream().filter(RunRecord::ok).toList();
            for (int cls = 1; cls < GO_CLASS_TO_SIZE.length; cls++) {
                double size = GO_CLASS_TO_SIZE[cls];
                String allocs = "alloc.class." + cls + ".allocs";
                String waste = "alloc.class." + cls + ".waste";
                double f = Charting.median(runs, r -> {
                    double a = r.metric(allocs).orElse(0);
                    return a == 0 ? Double.NaN : r.metric(waste).orElse(0) / (a * size);
                });
                if (!Double.isNaN(f)) {
                    points.add(ChartSpec.Point.of(size, f * 100));
                    classes.add(cls);
                }
            }
            series.add(new ChartSpec.Series("tcmalloc on " + c.workload(), points, false));
        }
        List<ChartSpec.Point> bound = new ArrayList<>();
        for (int cls = 1; cls < GO_CLASS_TO_SIZE.length; cls++) {
            double size = GO_CLASS_TO_SIZE[cls];
            bound.add(ChartSpec.Point.of(size, (size - GO_CLASS_TO_SIZE[cls - 1] - 1) / size * 100));
        }
        series.add(new ChartSpec.Series("Go's max waste for the class", bound, true));
        return new ChartSpec("Internal waste per size class against Go's max-waste column", ChartSpec.Kind.POINTS,
                "size class (bytes)", null, true, "waste (% of the block bytes)", null, false, List.of(), series,
                "Each dot is a size class the workload allocated from (median over the runs); it must stay on or under Go's bound"
                        + " (size − previous size − 1) / size.");
    }
}
