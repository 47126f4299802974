package org.gort.lab.internal.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gort.api.StrategyCatalog;
import org.gort.api.UnknownStrategyException;
import org.gort.api.Workload;
import org.gort.lab.CompareRequest;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Lab;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.WorkloadCatalog;
import org.gort.lab.internal.html.ChartSpec;

/**
 * A named comparison: which workloads run under which selections (its {@link Part}s), and how
 * the finding is read from the numbers ({@link #judge}). Subclasses are the policy of one
 * comparison of docs/workloads.md each; running, statistics and rendering are shared.
 */
public abstract class Scenario {
    /** One comparison of a scenario: a workload, its arguments, the selections and the metrics to show. */
    protected record Part(String workload, List<String> args, List<Selection> selections, List<String> metrics) {
    }

    /** The finding paragraph and the claims checked. */
    protected record Judgement(String finding, List<Direction> directions) {
    }

    private final ScenarioInfo info;

    protected Scenario(ScenarioInfo info) {
        this.info = info;
    }

    public final ScenarioInfo info() {
        return info;
    }

    /** The comparisons to make, sized by {@code options}. */
    protected abstract List<Part> parts(ScenarioOptions options, StrategyCatalog strategies);

    /** Reads the finding from the comparisons, in the order {@link #parts} gave them. */
    protected abstract Judgement judge(List<Comparison> comparisons);

    /**
     * The one chart that shows this scenario's finding, drawn from its comparisons (in the
     * order {@link #parts} gave them) for the HTML report; null for none.
     */
    public ChartSpec chart(List<Comparison> comparisons) {
        return null;
    }

    /**
     * What is missing for this scenario to run, one phrase each: workloads, strategies, and
     * parameters the installed workloads do not take.
     */
    public List<String> missing(StrategyCatalog strategies, WorkloadCatalog workloads) {
        List<String> out = new ArrayList<>();
        for (String w : info.workloads()) {
            if (!workloads.has(w)) {
                out.add("workload " + w + " is not installed");
            }
        }
        for (String need : info.needs()) {
            int colon = need.indexOf(':');
            String kind = need.substring(0, colon);
            String name = need.substring(colon + 1);
            try {
                switch (kind) {
                    case "scheduler" -> strategies.scheduler(name);
                    case "allocator" -> strategies.allocator(name);
                    case "collector" -> strategies.collector(name);
                    case "pacer" -> strategies.pacer(name);
                    default -> throw new IllegalStateException("scenario " + info.name() + " needs an unknown kind: " + need);
                }
            } catch (UnknownStrategyException e) {
                out.add(kind + " " + name + " is not installed");
            }
        }
        if (out.isEmpty()) {
            for (ScenarioOptions o : List.of(ScenarioOptions.small(), ScenarioOptions.full())) {
                for (Part p : parts(o, strategies)) {
                    for (String arg : p.args()) {
                        String param = arg.substring(0, arg.indexOf('='));
                        Workload w = workloads.workload(p.workload());
                        if (w.parameters().stream().noneMatch(q -> q.name().equals(param))) {
                            String m = "workload " + w.name() + " has no parameter " + param;
                            if (!out.contains(m)) {
                                out.add(m);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** True for a scenario whose selections differ by pacer: {@code --pacer} does not override them. */
    protected boolean comparesPacers() {
        return false;
    }

    public final ScenarioReport run(Lab lab, ScenarioOptions given, Consumer<String> progress) {
        ScenarioOptions options = comparesPacers() ? given.withPacer("") : given;
        List<Comparison> comparisons = new ArrayList<>();
        for (Part p : parts(options, lab.strategies())) {
            progress.accept("scenario " + info.name() + ": " + p.workload() + " " + String.join(" ", p.args()));
            List<Selection> selections = p.selections().stream().map(options::applyTo).toList();
            CompareRequest req = CompareRequest.of(p.workload(), p.args(), selections)
                    .withRounds(options.warmups(), options.repeats())
                    .withTimeout(options.timeout())
                    .withMetrics(p.metrics());
            comparisons.add(lab.compare(req, progress));
        }
        Judgement j = judge(comparisons);
        return new ScenarioReport(info, comparisons, j.finding(), j.directions());
    }

    /** GOMAXPROCS for a scenario: the options' choice, else {@code fallback}. */
    protected static int procs(ScenarioOptions options, int fallback) {
        return options.gomaxprocs() > 0 ? options.gomaxprocs() : fallback;
    }

    /** At least two Ps, so that a G can change M; the cores when there are more. */
    protected static int atLeastTwo() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The defaults with {@code words} applied and the given label. */
    protected static Selection select(String label, String words) {
        return Selection.parse(words).withLabel(label);
    }
}
