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

/**
 * Barrier cost and floating garbage: every pointer store during marking runs the collector's
 * barrier (Dijkstra shades the new pointer, Yuasa the old one, hybrid both); a deletion-style
 * barrier keeps what was reachable when marking began, and new objects are allocated black, so
 * Yuasa and hybrid retain more floating garbage (unreachable at the end of the cycle but not
 * freed by it) than Dijkstra. Measured on binary-trees.
 */
final class BarrierCost extends Scenario {
    static final String DIJKSTRA = "dijkstra";
    static final String YUASA = "yuasa";
    static final String HYBRID = "hybrid";

    BarrierCost() {
        super(new ScenarioInfo("barrier-cost",
                "binary-trees: write-barrier executions and floating garbage of dijkstra, yuasa and hybrid",
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
        return List.of(new Part("binary-trees", List.of(small ? "n=12" : "n=16"), sel,
                List.of(GcMetrics.BARRIER_EXECUTIONS, GcMetrics.FLOATING_BYTES, GcMetrics.CYCLES, GcMetrics.PAUSE_MAX,
                        "run.wall.ns")));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison c = comparisons.get(0);
        String barrier = GcMetrics.BARRIER_EXECUTIONS;
        String floating = GcMetrics.FLOATING_BYTES;
        OptionalDouble dB = median(c, DIJKSTRA, barrier);
        OptionalDouble yB = median(c, YUASA, barrier);
        OptionalDouble hB = median(c, HYBRID, barrier);
        OptionalDouble dF = median(c, DIJKSTRA, floating);
        OptionalDouble yF = median(c, YUASA, floating);
        OptionalDouble hF = median(c, HYBRID, floating);
        String finding = String.format("On %s %s, the write barrier ran %s times under dijkstra, %s under yuasa and %s"
                        + " under hybrid (over %s, %s and %s cycles); floating garbage was %s, %s and %s.",
                c.workload(), c.params(), show(barrier, dB), show(barrier, yB), show(barrier, hB),
                show(GcMetrics.CYCLES, median(c, DIJKSTRA, GcMetrics.CYCLES)),
                show(GcMetrics.CYCLES, median(c, YUASA, GcMetrics.CYCLES)),
                show(GcMetrics.CYCLES, median(c, HYBRID, GcMetrics.CYCLES)),
                show(floating, dF), show(floating, yF), show(floating, hF));
        return new Judgement(finding, List.of(
                claim("every collector's barrier runs during marking", List.of(dB, yB, hB),
                        v -> v[0] > 0 && v[1] > 0 && v[2] > 0, v -> show(v[0]) + ", " + show(v[1]) + ", " + show(v[2])),
                claim("yuasa retains more floating garbage than dijkstra", List.of(yF, dF), v -> v[0] > v[1],
                        v -> show(v[0]) + " vs " + show(v[1]) + " bytes"),
                claim("hybrid retains more floating garbage than dijkstra", List.of(hF, dF), v -> v[0] > v[1],
                        v -> show(v[0]) + " vs " + show(v[1]) + " bytes")));
    }
}
