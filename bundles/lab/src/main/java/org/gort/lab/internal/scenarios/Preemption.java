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
 * Preemption (sysmon's {@code forcePreemptNS}): a CPU hog shares the only P with goroutines that
 * sleep and measure how late they wake. GMP's sysmon asks the hog to yield after 10 ms and the
 * hog does at its next safepoint, which bounds the sleepers' lateness; the Go 1.0 scheduler never
 * asks. Without any safepoint in the hog's loop, sysmon's request goes unanswered under GMP too:
 * the case Go 1.14's asynchronous preemption was made for.
 */
final class Preemption extends Scenario {
    static final String GM = "legacy-gm";
    static final String GMP = "gmp";
    static final String MAX = "workload.latency.max.ns";
    static final String P99 = "workload.latency.p99.ns";

    Preemption() {
        super(new ScenarioInfo("preemption",
                "hog on one P: how late sleeping goroutines wake beside a CPU-bound one, with and without safepoints",
                "GMP's 10 ms preemption bounds other goroutines' wait; legacy GM (no preemption) lets the hog starve"
                        + " them; a loop with no safepoint cannot be preempted cooperatively at all.",
                List.of("hog"), List.of("scheduler:" + GM, "scheduler:" + GMP)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, 1);
        List<Selection> sel = List.of(select(GM, "sched=" + GM + " procs=" + procs), select(GMP, "sched=" + GMP + " procs=" + procs));
        String duration = small ? "duration=100" : "duration=1000";
        List<String> metrics = List.of("workload.latency.p50.ns", P99, MAX, "sched.preempt.requests", "sched.preemptions",
                "workload.hog.ns");
        return List.of(
                new Part("hog", List.of(duration, "safepoints=true"), sel, metrics),
                new Part("hog", List.of(duration, "safepoints=false"), sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison with = comparisons.get(0);
        Comparison without = comparisons.get(1);
        OptionalDouble gmPreempt = median(with, GM, "sched.preemptions");
        OptionalDouble gmpPreempt = median(with, GMP, "sched.preemptions");
        OptionalDouble gmpRequestsBare = median(without, GMP, "sched.preempt.requests");
        OptionalDouble gmpPreemptBare = median(without, GMP, "sched.preemptions");
        String finding = String.format("With safepoints in the hog's loop, gmp preempted it %s times and the sleepers"
                        + " woke at most %s late (p99 %s); legacy-gm preempted it %s times and they woke up to %s late"
                        + " (p99 %s), about the hog's whole run of %s. Without safepoints, gmp's sysmon asked %s times"
                        + " and the hog yielded %s times: the sleepers woke up to %s late under gmp and %s under"
                        + " legacy-gm, the starvation Go 1.14's asynchronous preemption removed.",
                show("sched.preemptions", gmpPreempt), show(MAX, median(with, GMP, MAX)), show(P99, median(with, GMP, P99)),
                show("sched.preemptions", gmPreempt), show(MAX, median(with, GM, MAX)), show(P99, median(with, GM, P99)),
                show("workload.hog.ns", median(with, GM, "workload.hog.ns")),
                show("sched.preempt.requests", gmpRequestsBare), show("sched.preemptions", gmpPreemptBare),
                show(MAX, median(without, GMP, MAX)), show(MAX, median(without, GM, MAX)));
        return new Judgement(finding, List.of(
                claim("gmp preempts a hog that passes safepoints", List.of(gmpPreempt), v -> v[0] >= 1,
                        v -> show(v[0]) + " preemptions"),
                claim("legacy-gm never preempts", List.of(gmPreempt), v -> v[0] == 0, v -> show(v[0]) + " preemptions"),
                claim("without safepoints gmp's preemption requests go unanswered",
                        List.of(gmpRequestsBare, gmpPreemptBare), v -> v[0] >= 1 && v[1] == 0,
                        v -> show(v[0]) + " requests, " + show(v[1]) + " preemptions")));
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.groups("Worst latency of a goroutine beside a hog, at 1 P", comparisons,
                c -> c.params().contains("safepoints=false") ? "hog without safepoints" : "hog with safepoints", MAX,
                "max latency", true,
                "GMP preempts a hog that reaches safepoints within its time slice; GM never preempts, and no scheduler can stop a loop without safepoints. Log scale.");
    }
}
