package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.intervalNote;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;
import static org.gort.lab.internal.scenarios.Claims.times;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.html.ChartSpec;

/**
 * Green Tea (Go 1.25, go.dev/issue/73581): hybrid's object-at-a-time marking against greentea's
 * span-based marking, the same barrier and cycle otherwise, on two heap-heavy programs whose live
 * heap is far larger than the caches (binary-trees' trees, alloc-churn's scattered live table).
 * The published claim is 10–40% less GC CPU; gort reports its mark time and GC CPU in either
 * direction, and checks the structure: both collectors' runs are OK, greentea scans more than one
 * object per span visit, hybrid visits no span.
 */
final class GreenTea extends Scenario {
    static final String HYBRID = "hybrid";
    static final String GREENTEA = "greentea";
    static final String MARK_CPU = "gc.mark.cpu.ns";
    static final String MARK_WALL = "gc.mark.wall.ns";
    static final String GC_CPU = "gc.cpu.ns";
    static final String SCANNED = "gc.mark.objects.scanned";
    static final String VISITS = "gc.mark.span.visits";
    static final String PER_VISIT = "gc.mark.span.objects.per.visit";
    static final String LIVE_MAX = "gc.heap.live.max.bytes";

    GreenTea() {
        super(new ScenarioInfo("green-tea",
                "binary-trees and alloc-churn with large live heaps: hybrid's object-at-a-time marking against greentea's span-based marking",
                "Scanning small objects by span, in address order, batches objects that sit together in memory"
                        + " (Go measured 10–40% less GC CPU on heap-heavy programs).",
                List.of("binary-trees", "alloc-churn"), List.of("collector:" + HYBRID, "collector:" + GREENTEA)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, 2);
        List<Selection> sel = List.of(select(HYBRID, "gc=" + HYBRID + " procs=" + procs),
                select(GREENTEA, "gc=" + GREENTEA + " procs=" + procs));
        List<String> metrics = List.of(MARK_CPU, MARK_WALL, GC_CPU, SCANNED, VISITS, PER_VISIT, LIVE_MAX,
                GcMetrics.CYCLES, "run.wall.ns");
        // full: live heaps of about 30 MiB (binary-trees n=16) and 180 MiB (a 100 000-slot table
        // per worker), both far beyond a last-level cache
        return List.of(
                new Part("binary-trees", List.of(small ? "n=12" : "n=16"), sel, metrics),
                new Part("alloc-churn", small ? List.of("objects=2e4", "table=2000") : List.of("objects=1e6", "table=100000"),
                        sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        StringBuilder finding = new StringBuilder();
        List<Direction> d = new ArrayList<>();
        for (Comparison c : comparisons) {
            String w = c.workload() + " " + c.params();
            OptionalDouble perVisit = median(c, GREENTEA, PER_VISIT);
            finding.append(String.format("%s (live heap up to %s): mark CPU %s under hybrid, %s under greentea (%s%s);"
                            + " mark phases' wall time %s → %s; GC CPU %s → %s (%s%s). greentea scanned %s objects per span visit"
                            + " (%s objects scanned, hybrid %s). ",
                    w, show(LIVE_MAX, median(c, HYBRID, LIVE_MAX)),
                    show(MARK_CPU, median(c, HYBRID, MARK_CPU)), show(MARK_CPU, median(c, GREENTEA, MARK_CPU)),
                    times(median(c, GREENTEA, MARK_CPU), median(c, HYBRID, MARK_CPU)), intervalNote(c, GREENTEA, MARK_CPU),
                    show(MARK_WALL, median(c, HYBRID, MARK_WALL)), show(MARK_WALL, median(c, GREENTEA, MARK_WALL)),
                    show(GC_CPU, median(c, HYBRID, GC_CPU)), show(GC_CPU, median(c, GREENTEA, GC_CPU)),
                    times(median(c, GREENTEA, GC_CPU), median(c, HYBRID, GC_CPU)), intervalNote(c, GREENTEA, GC_CPU),
                    show(PER_VISIT, perVisit), show(SCANNED, median(c, GREENTEA, SCANNED)),
                    show(SCANNED, median(c, HYBRID, SCANNED))));
            d.add(claim("every measured run of both collectors on " + w + " is OK",
                    List.of(okFraction(c, HYBRID), okFraction(c, GREENTEA)), v -> v[0] == 1 && v[1] == 1,
                    v -> "OK: hybrid " + show(v[0] * 100) + "%, greentea " + show(v[1] * 100) + "% of runs"));
            d.add(claim("greentea scans more than one object per span visit on " + w,
                    List.of(perVisit), v -> v[0] > 1, v -> show(v[0]) + " objects per visit"));
            d.add(claim("hybrid visits no span on " + w + " (it queues objects)",
                    List.of(median(c, HYBRID, VISITS)), v -> v[0] == 0, v -> show(v[0]) + " span visits"));
        }
        finding.append("Go reads an object's size class from its span without touching the object and scans dense spans"
                + " with a SIMD kernel; gort reads each object's header when it marks it, as every gort collector does,"
                + " so greentea saves only what scanning a span's objects together saves. ");
        finding.append(perfNote());
        return new Judgement(finding.toString().strip(), d);
    }

    /** The share of the selection's measured runs that ended OK (empty when it has none). */
    private static OptionalDouble okFraction(Comparison c, String label) {
        var runs = c.measured(c.indexOf(label));
        if (runs.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) runs.stream().filter(r -> r.ok()).count() / runs.size());
    }

    /**
     * One line on hardware counters: whether {@code perf stat} can count L1 and last-level cache
     * misses here. The runs share one JVM, so gort does not attribute counts to mark phases.
     */
    static String perfNote() {
        String events = "L1-dcache-load-misses,LLC-load-misses";
        try {
            Process p = new ProcessBuilder("perf", "stat", "-x", ",", "-e", events, "true").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "Hardware counters: perf stat did not answer within 10 s, so L1/LLC misses were not measured.";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || out.contains("<not supported>") || out.contains("<not counted>")) {
                return "Hardware counters: perf stat cannot count L1/LLC misses on this machine (" + events
                        + " not supported), so they were not measured.";
            }
            return "Hardware counters: perf stat can count L1/LLC misses here, but the runs share one JVM and gort does"
                    + " not separate mark phases in them; run `perf stat -e " + events + " ./gort run binary-trees n=16"
                    + " --gc hybrid` and `--gc greentea` to compare whole runs.";
        } catch (IOException e) {
            return "Hardware counters: perf is not installed, so L1/LLC misses were not measured.";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Hardware counters: not measured (interrupted).";
        }
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.groups("Marking CPU, hybrid against greentea", comparisons,
                c -> c.workload() + " " + c.params(), MARK_CPU, "mark CPU", false,
                "Background, assist and idle marking time summed over the run; lower is cheaper marking.");
    }
}
