package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;

import java.util.List;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.Derived;
import org.gort.lab.internal.html.ChartSpec;

/**
 * Barrier cost and floating garbage: every pointer store during marking runs the collector's
 * barrier. Dijkstra's insertion barrier greys the new target, and since it allocates white,
 * every freshly built object it links is greyed: its barrier shades on most executions (measured
 * 0.79–1.0 per execution on binary-trees).
 * Yuasa's deletion barrier greys the overwritten target, and the hybrid barrier both, but both
 * allocate black, so building new structures (binary-trees' nodes, stored into nil slots)
 * shades almost nothing. Floating garbage (marked but unreachable at mark termination, counted
 * by the toolkit's census) is reported with the shape Go describes (Yuasa and hybrid retain
 * more than Dijkstra); it is not checked, because on this workload the insertion barrier floats
 * the short-lived trees it greys too, and the amounts swing with when the cycles fall.
 */
final class BarrierCost extends Scenario {
    static final String DIJKSTRA = "dijkstra";
    static final String YUASA = "yuasa";
    static final String HYBRID = "hybrid";

    BarrierCost() {
        super(new ScenarioInfo("barrier-cost",
                "binary-trees: write-barrier executions, objects they shade, and floating garbage of dijkstra, yuasa and hybrid",
                "Count barrier executions per collector; Yuasa and hybrid retain more floating garbage (unreachable"
                        + " at cycle end but not freed) than Dijkstra.",
                List.of("binary-trees"),
                List.of("collector:" + DIJKSTRA, "collector:" + YUASA, "collector:" + HYBRID)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        // gc.floating=true: the collector toolkit's census of floating garbage at every mark termination
        String knobs = " procs=" + procs + " " + GcMetrics.FLOATING_CENSUS + "=true";
        List<Selection> sel = List.of(select(DIJKSTRA, "gc=" + DIJKSTRA + knobs),
                select(YUASA, "gc=" + YUASA + knobs), select(HYBRID, "gc=" + HYBRID + knobs));
        // n=14 at the small scale: n=12 runs two or three cycles, and whether yuasa's short marks
        // overlap any pointer store at all was luck (0 to 13 000 executions in a run).
        return List.of(new Part("binary-trees", List.of(small ? "n=14" : "n=16"), sel,
                List.of(GcMetrics.BARRIER_EXECUTIONS, Derived.GC_SHADED_PER_BARRIER, GcMetrics.FLOATING_BYTES,
                        Derived.GC_FLOATING_PER_MARKED, GcMetrics.CYCLES, GcMetrics.PAUSE_MAX, "run.wall.ns")));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison c = comparisons.get(0);
        String barrier = GcMetrics.BARRIER_EXECUTIONS;
        String shaded = Derived.GC_SHADED_PER_BARRIER;
        String floating = GcMetrics.FLOATING_BYTES;
        String floatingShare = Derived.GC_FLOATING_PER_MARKED;
        OptionalDouble dB = median(c, DIJKSTRA, barrier);
        OptionalDouble yB = median(c, YUASA, barrier);
        OptionalDouble hB = median(c, HYBRID, barrier);
        OptionalDouble dS = median(c, DIJKSTRA, shaded);
        OptionalDouble yS = median(c, YUASA, shaded);
        OptionalDouble hS = median(c, HYBRID, shaded);
        OptionalDouble dF = median(c, DIJKSTRA, floatingShare);
        OptionalDouble yF = median(c, YUASA, floatingShare);
        OptionalDouble hF = median(c, HYBRID, floatingShare);
        boolean goShape = dF.isPresent() && yF.isPresent() && hF.isPresent()
                && yF.getAsDouble() > dF.getAsDouble() && hF.getAsDouble() > dF.getAsDouble();
        String finding = String.format("On %s %s, the write barrier ran %s times under dijkstra, %s under yuasa and %s"
                        + " under hybrid (over %s, %s and %s cycles), shading %s, %s and %s objects per execution:"
                        + " the insertion barrier greys every node a new tree links, the other two allocate black."
                        + " Floating garbage was %s, %s and %s (%s, %s and %s of the objects marked), so %s.",
                c.workload(), c.params(), show(barrier, dB), show(barrier, yB), show(barrier, hB),
                show(GcMetrics.CYCLES, median(c, DIJKSTRA, GcMetrics.CYCLES)),
                show(GcMetrics.CYCLES, median(c, YUASA, GcMetrics.CYCLES)),
                show(GcMetrics.CYCLES, median(c, HYBRID, GcMetrics.CYCLES)),
                show(shaded, dS), show(shaded, yS), show(shaded, hS),
                show(floating, median(c, DIJKSTRA, floating)), show(floating, median(c, YUASA, floating)),
                show(floating, median(c, HYBRID, floating)),
                show(floatingShare, dF), show(floatingShare, yF), show(floatingShare, hF),
                goShape ? "yuasa and hybrid retained more than dijkstra, as in Go"
                        : "these runs do not show Go's shape (yuasa and hybrid retaining more than dijkstra)");
        return new Judgement(finding, List.of(
                claim("every collector's barrier runs during marking", List.of(dB, yB, hB),
                        v -> v[0] > 0 && v[1] > 0 && v[2] > 0, v -> show(v[0]) + ", " + show(v[1]) + ", " + show(v[2])),
                claim("dijkstra's insertion barrier shades on a large share of its executions (over a quarter)",
                        List.of(dS), v -> v[0] > 0.25, v -> show(v[0]) + " per execution"),
                claim("yuasa's and hybrid's barriers shade almost nothing while new trees are built (allocated black)",
                        List.of(yS, hS), v -> v[0] < 0.01 && v[1] < 0.01,
                        v -> show(v[0]) + " and " + show(v[1]) + " per execution")));
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.metricGroups("What the write barrier does", comparisons.get(0),
                List.of(Derived.GC_SHADED_PER_BARRIER, Derived.GC_FLOATING_PER_MARKED),
                List.of("objects shaded per barrier execution", "floating objects per marked object"), "fraction",
                "Dijkstra allocates white and shades on most barrier executions; Yuasa and hybrid allocate black and rarely shade.");
    }
}
