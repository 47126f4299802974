package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.html.ChartSpec;

/**
 * Stop-the-world vs concurrent collection (Go 1.4 vs 1.5+): the STW collector marks the whole
 * live heap inside its pause, so the pause grows with the live heap; a concurrent collector
 * marks while the program runs and stops the world only to start and finish a cycle. Measured
 * on binary-trees at two sizes (the long-lived tree sets the live heap) as the number of
 * objects marked with the world stopped, and the pause.
 */
final class StwVsConcurrent extends Scenario {
    static final String STW = "stw";
    static final String HYBRID = "hybrid";
    static final List<String> CONCURRENT = List.of(HYBRID, "dijkstra", "yuasa");

    StwVsConcurrent() {
        super(new ScenarioInfo("stw-vs-concurrent",
                "binary-trees at two live-heap sizes: pauses of the stop-the-world and the concurrent collectors",
                "The STW collector's pause grows with the live heap; the concurrent collectors' pauses do not.",
                List.of("binary-trees"), List.of("collector:" + STW, "collector:" + HYBRID)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        List<Selection> sel = new ArrayList<>();
        sel.add(select(STW, "gc=" + STW + " procs=" + procs));
        // the small size compares only what its claims need; the full size every concurrent collector installed
        for (String c : small ? List.of(HYBRID) : CONCURRENT) {
            if (strategies.collectors().stream().anyMatch(s -> s.name().equals(c))) {
                sel.add(select(c, "gc=" + c + " procs=" + procs));
            }
        }
        List<String> metrics = List.of(GcMetrics.PAUSE_MAX, "stw.count", GcMetrics.CYCLES, GcMetrics.MARKED_IN_PAUSE,
                GcMetrics.LIVE_BYTES, "run.wall.ns");
        // n=12 is the smallest tree that outgrows the 4 MiB minimum heap, so both sizes collect
        return List.of(
                new Part("binary-trees", List.of("n=12"), sel, metrics),
                new Part("binary-trees", List.of(small ? "n=14" : "n=16"), sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison smaller = comparisons.get(0);
        Comparison larger = comparisons.get(1);
        String pause = GcMetrics.PAUSE_MAX;
        OptionalDouble stwMarkedSmall = median(smaller, STW, GcMetrics.MARKED_IN_PAUSE);
        OptionalDouble stwMarkedLarge = median(larger, STW, GcMetrics.MARKED_IN_PAUSE);
        OptionalDouble hybridMarkedLarge = median(larger, HYBRID, GcMetrics.MARKED_IN_PAUSE);
        OptionalDouble stwCyclesSmall = median(smaller, STW, GcMetrics.CYCLES);
        StringBuilder finding = new StringBuilder(String.format(
                "From %s to %s (live heap %s → %s under stw), the stw collector's longest pause went from %s to %s"
                        + " and the objects it marked with the world stopped from %s to %s.",
                smaller.params(), larger.params(),
                show(GcMetrics.LIVE_BYTES, median(smaller, STW, GcMetrics.LIVE_BYTES)),
                show(GcMetrics.LIVE_BYTES, median(larger, STW, GcMetrics.LIVE_BYTES)),
                show(pause, median(smaller, STW, pause)), show(pause, median(larger, STW, pause)),
                show(GcMetrics.MARKED_IN_PAUSE, stwMarkedSmall), show(GcMetrics.MARKED_IN_PAUSE, stwMarkedLarge)));
        for (Selection s : larger.selections().subList(1, larger.selections().size())) {
            String c = s.label();
            finding.append(String.format(" %s: longest pause %s → %s, %s → %s objects marked in pauses.", c,
                    show(pause, median(smaller, c, pause)), show(pause, median(larger, c, pause)),
                    show(GcMetrics.MARKED_IN_PAUSE, median(smaller, c, GcMetrics.MARKED_IN_PAUSE)),
                    show(GcMetrics.MARKED_IN_PAUSE, median(larger, c, GcMetrics.MARKED_IN_PAUSE))));
        }
        List<Direction> d = new ArrayList<>();
        d.add(claim("the stw collector marks more objects in one pause when the live heap is larger",
                List.of(stwMarkedSmall, stwMarkedLarge, stwCyclesSmall), v -> v[2] >= 1 && v[1] > v[0],
                v -> show(v[0]) + " → " + show(v[1]) + ", " + show(v[2]) + " cycles on the smaller heap"));
        d.add(claim("hybrid marks far fewer objects with the world stopped than stw (below a tenth) on the larger heap",
                List.of(hybridMarkedLarge, stwMarkedLarge), v -> v[0] < v[1] / 10, v -> show(v[0]) + " vs " + show(v[1])));
        return new Judgement(finding.toString(), d);
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.lines("Longest collector pause against the live heap", comparisons, "live heap marked", GcMetrics.LIVE_BYTES,
                false, Charting.median(GcMetrics.LIVE_BYTES), GcMetrics.PAUSE_MAX, "longest pause", true,
                "The stop-the-world collector marks the whole heap in its pause, which grows with the live heap; the concurrent ones stay short. Log scale.");
    }
}
