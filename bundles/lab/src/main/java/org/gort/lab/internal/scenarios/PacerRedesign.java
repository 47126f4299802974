package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;
import static org.gort.lab.internal.scenarios.Claims.times;

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
 * The pacer redesign (proposal 44167, Go 1.18) and the soft memory limit (proposal 48409, Go
 * 1.19): Go 1.5's pacer (go15) against Go 1.18's (go118), the same collector (hybrid) under
 * both, on heap-steps in the proposal's motivating cases:
 *
 * <ol>
 *   <li>a large stack-root set beside a small heap: go15's goal is GOGC over the heap alone, so
 *       it collects every few MiB and scans every stack each time; go118 applies GOGC to heap +
 *       stacks + globals;</li>
 *   <li>a live heap that steps up in phases: how close each cycle finishes to its goal (heap at
 *       mark termination / goal), the assists' share of GC CPU and the GC CPU fraction;</li>
 *   <li>a memory limit below what GOGC would let the heap reach: go118 keeps the heap's memory
 *       under it, go15 does not know it.</li>
 * </ol>
 */
final class PacerRedesign extends Scenario {
    static final String GO15 = "go15";
    static final String GO118 = "go118";
    static final String RETAINED = "heap.retained.max.bytes";
    static final String RATIO_MEAN = "gc.goal.ratio.mean";
    static final String RATIO_MAX = "gc.goal.ratio.max";
    static final String GC_CPU = "gc.cpu.ns";

    PacerRedesign() {
        super(new ScenarioInfo("pacer-redesign",
                "heap-steps with many stack roots, with a stepping heap, and under a memory limit: pacers go15 and go118",
                "Go 1.18's pacer counts stacks and globals in GOGC's base, so a program with a large stack-root set"
                        + " collects far less often and spends less CPU on it; its PI-controlled cons/mark trigger finishes"
                        + " cycles near their goal; Go 1.19's memory limit keeps the heap under GOMEMLIMIT where Go 1.5's"
                        + " pacer lets it grow to twice the live heap.",
                List.of("heap-steps"), List.of("pacer:" + GO15, "pacer:" + GO118)));
    }

    @Override
    protected boolean comparesPacers() {
        return true;
    }

    /** The memory limit of the third case, in MiB, by scale. */
    static int limitMiB(boolean small) {
        return small ? 20 : 40;
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, 2);
        String knobs = " gc=hybrid procs=" + procs;
        List<Selection> sel = List.of(select(GO15, "pacer=" + GO15 + knobs), select(GO118, "pacer=" + GO118 + knobs));
        String limit = " gomemlimit=" + limitMiB(small) + "MiB";
        List<Selection> limited = List.of(select(GO15, "pacer=" + GO15 + knobs + limit),
                select(GO118, "pacer=" + GO118 + knobs + limit));
        List<String> metrics = List.of(GcMetrics.CYCLES, GC_CPU, Derived.GC_CPU_FRACTION, Derived.GC_ASSIST_FRACTION,
                RATIO_MEAN, RATIO_MAX, "gc.heap.live.max.bytes", RETAINED, "run.wall.ns");
        return List.of(
                // 2 or 8 MiB of heap beside 8 or 32 MiB of stack roots (2000 x 512 or 4000 x 1024 slots): go15's
                // goal is above its 4 MiB minimum, so it is GOGC's over the heap alone
                new Part("heap-steps", small
                        ? List.of("steps=1", "stepKB=2048", "churn=400000", "stacks=2000", "slots=512")
                        : List.of("steps=1", "stepKB=8192", "churn=1500000", "stacks=4000", "slots=1024"), sel, metrics),
                new Part("heap-steps", small
                        ? List.of("steps=3", "stepKB=2048", "churn=150000")
                        : List.of("steps=4", "stepKB=8192", "churn=500000"), sel, metrics),
                // a live heap of 14 or 28 MiB: GOGC=100 lets it reach about twice that, the limit is 20 or 40 MiB;
                // the churn (about 75 bytes an object) is enough for go15's heap to reach its goal
                new Part("heap-steps", small
                        ? List.of("steps=1", "stepKB=14336", "churn=600000")
                        : List.of("steps=1", "stepKB=28672", "churn=1000000"), limited, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison stacks = comparisons.get(0);
        Comparison steps = comparisons.get(1);
        Comparison limit = comparisons.get(2);
        String cycles = GcMetrics.CYCLES;
        OptionalDouble cycles15 = median(stacks, GO15, cycles);
        OptionalDouble cycles118 = median(stacks, GO118, cycles);
        OptionalDouble cpu15 = median(stacks, GO15, GC_CPU);
        OptionalDouble cpu118 = median(stacks, GO118, GC_CPU);
        OptionalDouble ratio15 = median(steps, GO15, RATIO_MEAN);
        OptionalDouble ratio118 = median(steps, GO118, RATIO_MEAN);
        OptionalDouble retained15 = median(limit, GO15, RETAINED);
        OptionalDouble retained118 = median(limit, GO118, RETAINED);
        boolean small = limit.params().contains("stepKB=14336");
        double limitBytes = limitMiB(small) * 1048576.0;
        String finding = String.format("Many stack roots (%s): go15 ran %s cycles, go118 %s (%s), GC CPU %s against %s (%s);"
                        + " go15 sets its goal from the heap alone and scans every stack each time. A stepping heap (%s):"
                        + " heap at mark termination / goal %s (go15) and %s (go118), worst %s and %s; assists' share of GC CPU"
                        + " %s and %s; GC CPU fraction %s and %s. Under a %d MiB memory limit (%s): the heap's peak memory"
                        + " was %s under go15, which ignores the limit, and %s under go118.",
                stacks.params(), show(cycles, cycles15), show(cycles, cycles118), times(cycles118, cycles15),
                show(GC_CPU, cpu15), show(GC_CPU, cpu118), times(cpu118, cpu15),
                steps.params(), show(RATIO_MEAN, ratio15), show(RATIO_MEAN, ratio118),
                show(RATIO_MAX, median(steps, GO15, RATIO_MAX)), show(RATIO_MAX, median(steps, GO118, RATIO_MAX)),
                show(Derived.GC_ASSIST_FRACTION, median(steps, GO15, Derived.GC_ASSIST_FRACTION)),
                show(Derived.GC_ASSIST_FRACTION, median(steps, GO118, Derived.GC_ASSIST_FRACTION)),
                show(Derived.GC_CPU_FRACTION, median(steps, GO15, Derived.GC_CPU_FRACTION)),
                show(Derived.GC_CPU_FRACTION, median(steps, GO118, Derived.GC_CPU_FRACTION)),
                limitMiB(small), limit.params(), show(RETAINED, retained15), show(RETAINED, retained118));
        return new Judgement(finding, List.of(
                claim("with many stack roots, go118 runs fewer than half go15's cycles (GOGC applies to the stacks too)",
                        List.of(cycles118, cycles15), v -> v[0] < v[1] / 2, v -> show(v[0]) + " vs " + show(v[1])),
                claim("with many stack roots, go118 spends less CPU on collection than go15",
                        List.of(cpu118, cpu15), v -> v[0] < v[1], v -> show(GC_CPU, OptionalDouble.of(v[0])) + " vs "
                                + show(GC_CPU, OptionalDouble.of(v[1]))),
                claim("on a stepping heap both pacers finish their cycles near the goal (mean heap/goal between 0.7 and 1.25)",
                        List.of(ratio15, ratio118), v -> v[0] > 0.7 && v[0] < 1.25 && v[1] > 0.7 && v[1] < 1.25,
                        v -> show(v[0]) + " and " + show(v[1])),
                claim("under the memory limit, go118 keeps the heap's peak memory within the limit (+10 %), go15 goes past it by a quarter",
                        List.of(retained118, retained15),
                        v -> v[0] <= limitBytes * 1.1 && v[1] >= limitBytes * 1.25,
                        v -> show(RETAINED, OptionalDouble.of(v[0])) + " and " + show(RETAINED, OptionalDouble.of(v[1]))
                                + " against " + limitMiB(small) + " MiB")));
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        List<String> cases = List.of("many stack roots", "stepping heap", "memory limit");
        return Charting.groups("GC CPU fraction by pacer", comparisons, c -> cases.get(comparisons.indexOf(c)),
                Derived.GC_CPU_FRACTION, "GC CPU / (wall time × GOMAXPROCS)", false,
                "go118 counts stack roots in its goal, so the first case collects far less often; under a memory limit it"
                        + " collects more often than go15 to stay under it.");
    }
}
