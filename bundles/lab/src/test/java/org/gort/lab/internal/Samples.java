package org.gort.lab.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gort.api.Metrics;
import org.gort.lab.Comparison;
import org.gort.lab.Environment;
import org.gort.lab.RunOutcome;
import org.gort.lab.RunRecord;
import org.gort.lab.Selection;

/** Synthetic run records and comparisons, for the statistics and renderers. */
final class Samples {
    static final Environment ENV = new Environment("25 (test VM)", 2, "TestOS 1 amd64", "0.0-test", Instant.EPOCH);

    private Samples() {
    }

    static Selection selection(String label, String words) {
        return Selection.parse(words + " procs=2").withLabel(label);
    }

    static RunRecord run(Selection s, int round, RunOutcome outcome, Map<String, Double> metrics) {
        return new RunRecord("synthetic", "n=1", s, round, false, outcome,
                outcome == RunOutcome.OK ? "" : "wrong output: line 1: expected 'a', got 'b'",
                List.of(), List.of(), new TreeMap<>(metrics), new Metrics());
    }

    /**
     * Three selections, 7 rounds: "fast" takes half the baseline's wall time, "same" the same;
     * "fast" also reports a failed run with an absurd time, which must not count.
     */
    static Comparison threeWay() {
        Selection base = selection("base", "sched=legacy-gm");
        Selection fast = selection("fast", "sched=gmp");
        Selection same = selection("same, \"quoted\"", "sched=gmp gogc=50");
        List<Selection> sels = List.of(base, fast, same);
        double[] wall = {100, 104, 98, 101, 97, 103, 99};
        double[] other = {102, 96, 100, 105, 99, 98, 101};
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < wall.length; i++) {
            runs.add(run(base, i + 1, RunOutcome.OK, Map.of("run.wall.ns", wall[i] * 1e6, "sched.schedules", 1000.0 + i)));
            runs.add(run(fast, i + 1, RunOutcome.OK, Map.of("run.wall.ns", wall[i] * 0.5e6, "sched.schedules", 2000.0 + i)));
            runs.add(run(same, i + 1, RunOutcome.OK, Map.of("run.wall.ns", other[i] * 1e6, "sched.schedules", 1000.0 + i)));
        }
        runs.add(run(fast, 8, RunOutcome.FAILED, Map.of("run.wall.ns", 1e15, "sched.schedules", 1.0)));
        List<String> shown = List.of("run.wall.ns", "sched.schedules");
        var aggregates = Comparer.aggregate(sels, runs, List.of());
        return new Comparison("synthetic", "n=1", sels, 0, 7, ENV, runs, shown, aggregates,
                Comparer.verdicts(sels, shown, aggregates));
    }
}
