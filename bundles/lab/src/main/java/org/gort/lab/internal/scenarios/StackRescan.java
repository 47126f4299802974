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
import org.gort.lab.internal.html.ChartSpec;

/**
 * Stack re-scan (proposal 17503): stacks have no write barrier, so Dijkstra's insertion barrier
 * must re-scan every goroutine's stack at mark termination, with the world stopped, and the
 * pause grows with the number of goroutines; Yuasa's deletion barrier needs every stack in a
 * snapshot when marking starts, so it pays in the first pause instead; the hybrid barrier scans
 * stacks one goroutine at a time while the program runs and never re-scans. Measured on
 * parked-heap at two goroutine counts as the root slots (stack and global) a cycle reads with the
 * world stopped, and the pause.
 */
final class StackRescan extends Scenario {
    static final String DIJKSTRA = "dijkstra";
    static final String YUASA = "yuasa";
    static final String HYBRID = "hybrid";

    StackRescan() {
        super(new ScenarioInfo("stack-rescan",
                "parked-heap at two goroutine counts: root slots read in pauses by dijkstra, yuasa and hybrid",
                "Dijkstra's mark-termination pause grows with the number of goroutines (tens of ms at 1e5 in Go"
                        + " 1.5–1.7); Yuasa pays at the start instead (snapshot of all stacks); hybrid stays flat and"
                        + " small (Go: < 50–100 µs).",
                List.of("parked-heap"),
                List.of("collector:" + DIJKSTRA, "collector:" + YUASA, "collector:" + HYBRID)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        // at the small size a lower GOGC makes the churner's allocations start cycles while the goroutines are parked
        String knobs = " procs=" + procs + (small ? " gogc=50" : "");
        List<Selection> sel = List.of(select(DIJKSTRA, "gc=" + DIJKSTRA + knobs),
                select(YUASA, "gc=" + YUASA + knobs), select(HYBRID, "gc=" + HYBRID + knobs));
        List<String> metrics = List.of(GcMetrics.PAUSE_MAX, "stw.count", GcMetrics.ROOTS_IN_PAUSE, GcMetrics.MARKED_IN_PAUSE,
                GcMetrics.CYCLES, "run.wall.ns");
        return List.of(
                new Part("parked-heap", List.of(small ? "goroutines=1000" : "goroutines=10000"), sel, metrics),
                new Part("parked-heap", List.of(small ? "goroutines=4000" : "goroutines=100000"), sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison fewer = comparisons.get(0);
        Comparison more = comparisons.get(1);
        String pause = GcMetrics.PAUSE_MAX;
        String roots = GcMetrics.ROOTS_IN_PAUSE;
        OptionalDouble dijkstraFew = median(fewer, DIJKSTRA, roots);
        OptionalDouble dijkstraMany = median(more, DIJKSTRA, roots);
        OptionalDouble yuasaFew = median(fewer, YUASA, roots);
        OptionalDouble yuasaMany = median(more, YUASA, roots);
        OptionalDouble hybridMany = median(more, HYBRID, roots);
        String finding = String.format("From %s to %s: dijkstra read %s → %s root slots in one pause (its stack re-scan"
                        + " at mark termination) and its longest pause went %s → %s; yuasa read %s → %s (its snapshot of"
                        + " every stack at the start), longest pause %s → %s; hybrid read %s in one pause at the larger"
                        + " count, longest pause %s → %s.",
                fewer.params(), more.params(), show(roots, dijkstraFew), show(roots, dijkstraMany),
                show(pause, median(fewer, DIJKSTRA, pause)), show(pause, median(more, DIJKSTRA, pause)),
                show(roots, yuasaFew), show(roots, yuasaMany),
                show(pause, median(fewer, YUASA, pause)), show(pause, median(more, YUASA, pause)),
                show(roots, hybridMany), show(pause, median(fewer, HYBRID, pause)), show(pause, median(more, HYBRID, pause)));
        return new Judgement(finding, List.of(
                claim("dijkstra reads more root slots in one pause when there are more goroutines (stack re-scan)",
                        List.of(dijkstraFew, dijkstraMany), v -> v[1] > v[0], v -> show(v[0]) + " → " + show(v[1])),
                claim("yuasa reads more root slots in one pause when there are more goroutines (stack snapshot)",
                        List.of(yuasaFew, yuasaMany), v -> v[1] > v[0], v -> show(v[0]) + " → " + show(v[1])),
                claim("hybrid reads far fewer root slots with the world stopped than dijkstra (below a tenth)",
                        List.of(hybridMany, dijkstraMany), v -> v[0] < v[1] / 10, v -> show(v[0]) + " vs " + show(v[1]))));
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.lines("Mark-termination pause against the number of goroutines", comparisons, "goroutines", null, true,
                Charting.param("goroutines"), "gc.pause.markterm.max.ns", "longest mark-termination pause", true,
                "Dijkstra re-scans every stack at mark termination, so its pause grows with the goroutines; the hybrid barrier's stays flat. Log scales.");
    }
}
