package org.gort.lab.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gort.api.GcCycle;
import org.gort.api.Metrics;
import org.gort.api.RunSample;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Environment;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.gort.lab.Reports;
import org.gort.lab.RunOutcome;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.Timeline;
import org.gort.lab.Verdict;
import org.gort.lab.internal.scenarios.Scenarios;
import org.gort.lab.json.JsonReader;

/**
 * Reads the JSON form ({@link JsonRenderer}) back into a run, comparison or scenario report,
 * so that a saved result can be rendered again in another format. What JSON does not carry
 * comes back empty: the runtime's latency histograms (a run's pause percentiles travel in its
 * timeline), and a comparison's program output and trace lines.
 */
public final class JsonLoader {
    private JsonLoader() {
    }

    public static Reports.Saved load(String text) {
        if (!(JsonReader.parse(text) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("not a gort result: the JSON is not an object");
        }
        Object kind = root.get("kind");
        try {
            return switch (String.valueOf(kind)) {
                case "run" -> new Reports.Saved(run(root, true), environment(root), null, null);
                case "comparison" -> new Reports.Saved(null, null, comparison(root), null);
                case "scenario" -> new Reports.Saved(null, null, null, scenario(root));
                default -> throw new IllegalArgumentException("not a gort result: kind is " + kind
                        + ", not run, comparison or scenario");
            };
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a gort result of kind " + kind + ": a member is missing or of the wrong type");
        }
    }

    private static ScenarioReport scenario(Map<?, ?> m) {
        List<Comparison> comparisons = new ArrayList<>();
        for (Object c : list(m, "comparisons")) {
            comparisons.add(comparison((Map<?, ?>) c));
        }
        String name = str(m, "name");
        ScenarioInfo info;
        try {
            ScenarioInfo known = Scenarios.byName(name).info();
            info = new ScenarioInfo(name, str(m, "description"), str(m, "expected"), known.workloads(), known.needs());
        } catch (IllegalArgumentException e) {
            info = new ScenarioInfo(name, str(m, "description"), str(m, "expected"),
                    comparisons.stream().map(Comparison::workload).distinct().toList(), List.of());
        }
        List<Direction> directions = new ArrayList<>();
        for (Object o : list(m, "directions")) {
            Map<?, ?> d = (Map<?, ?>) o;
            directions.add(new Direction(str(d, "claim"), Direction.Status.valueOf(str(d, "status")), str(d, "evidence")));
        }
        return new ScenarioReport(info, comparisons, str(m, "finding"), directions);
    }

    private static Comparison comparison(Map<?, ?> m) {
        List<Selection> selections = new ArrayList<>();
        for (Object s : list(m, "selections")) {
            selections.add(selection((Map<?, ?>) s));
        }
        List<RunRecord> runs = new ArrayList<>();
        for (Object r : list(m, "runs")) {
            runs.add(run((Map<?, ?>) r, false));
        }
        List<String> labels = selections.stream().map(Selection::label).toList();
        List<Aggregate> aggregates = new ArrayList<>();
        for (Object o : list(m, "aggregates")) {
            Map<?, ?> a = (Map<?, ?>) o;
            String label = str(a, "selection");
            aggregates.add(new Aggregate(str(a, "metric"), labels.indexOf(label), label, (int) num(a, "n"), num(a, "median"),
                    num(a, "min"), num(a, "max"), interval((Map<?, ?>) a.get("ci")), ratio(a.get("ratio"))));
        }
        String baseline = str(m, "baseline");
        List<Verdict> verdicts = new ArrayList<>();
        for (Object o : list(m, "verdicts")) {
            Map<?, ?> v = (Map<?, ?>) o;
            String metric = str(v, "metric");
            String phrase = v.get("phrase") instanceof String p ? p : MetricGuide.phrase(metric);
            verdicts.add(new Verdict(str(v, "selection"), metric, phrase, baseline, ratio(v.get("ratio"))));
        }
        List<String> metrics = list(m, "metrics").stream().map(String::valueOf).toList();
        return new Comparison(str(m, "workload"), str(m, "params"), selections, (int) num(m, "warmups"), (int) num(m, "repeats"),
                environment(m), runs, metrics, aggregates, verdicts);
    }

    private static RunRecord run(Map<?, ?> m, boolean single) {
        SortedMap<String, Double> metrics = new TreeMap<>();
        Metrics raw = new Metrics();
        ((Map<?, ?>) m.get("metrics")).forEach((k, v) -> {
            if (v instanceof Double d) {
                metrics.put((String) k, d);
                raw.put((String) k, d);
            }
        });
        List<String> output = single && m.get("output") != null ? list(m, "output").stream().map(String::valueOf).toList() : List.of();
        List<String> trace = single && m.get("trace") != null ? list(m, "trace").stream().map(String::valueOf).toList() : List.of();
        return new RunRecord(str(m, "workload"), str(m, "params"), selection((Map<?, ?>) m.get("selection")),
                (int) num(m, "round"), Boolean.TRUE.equals(m.get("warmup")), RunOutcome.valueOf(str(m, "outcome")),
                str(m, "failure"), output, trace, metrics, raw,
                m.get("timeline") instanceof Map<?, ?> t ? timeline(t) : null);
    }

    private static Timeline timeline(Map<?, ?> t) {
        List<RunSample> samples = new ArrayList<>();
        for (Object o : list(t, "samples")) {
            long[] v = longs((List<?>) o, 13);
            samples.add(new RunSample(v[0], v[1], v[2], v[3], (int) v[4], (int) v[5], (int) v[6], (int) v[7], (int) v[8],
                    (int) v[9], (int) v[10], (int) v[11], (int) v[12]));
        }
        List<GcCycle> cycles = new ArrayList<>();
        for (Object o : list(t, "cycles")) {
            List<?> row = (List<?>) o;
            long[] v = longs(row, 10);
            cycles.add(new GcCycle(v[0], String.valueOf(row.get(1)), v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
        }
        List<Timeline.Percentile> pauses = new ArrayList<>();
        for (Object o : list(t, "pauses")) {
            List<?> row = (List<?>) o;
            pauses.add(new Timeline.Percentile((Double) row.get(0), ((Double) row.get(1)).longValue()));
        }
        return new Timeline(samples, cycles, (long) num(t, "cyclesSeen"), pauses);
    }

    /** The numbers of a row (non-numbers, such as a cycle's collector, read as 0). */
    private static long[] longs(List<?> row, int n) {
        if (row.size() != n) {
            throw new IllegalArgumentException("a timeline row has " + row.size() + " fields, not " + n);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = row.get(i) instanceof Double d ? d.longValue() : 0;
        }
        return v;
    }

    private static Selection selection(Map<?, ?> m) {
        Map<String, String> props = new TreeMap<>();
        if (m.get("properties") instanceof Map<?, ?> p) {
            p.forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        }
        Selection s = new Selection(str(m, "label"), str(m, "scheduler"), str(m, "allocator"), str(m, "collector"),
                (int) num(m, "gomaxprocs"), (int) num(m, "gogc"), (long) num(m, "seed"), props)
                .withPacer(m.get("pacer") instanceof String p ? p : org.gort.api.RuntimeConfig.DEFAULT_PACER);
        if (m.get("maxHeapBytes") instanceof Double d) {
            s = s.withMaxHeap(d.longValue());
        }
        if (m.get("memoryLimitBytes") instanceof Double d) {
            s = s.withMemoryLimit(d.longValue());
        }
        if (m.get("maxThreads") instanceof Double d) {
            s = s.withMaxThreads(d.intValue());
        }
        return s;
    }

    private static Environment environment(Map<?, ?> root) {
        Map<?, ?> e = (Map<?, ?>) root.get("environment");
        return new Environment(str(e, "jdk"), (int) num(e, "cores"), str(e, "os"), str(e, "gort"), Instant.parse(str(e, "started")));
    }

    private static Interval interval(Map<?, ?> m) {
        return new Interval(num(m, "low"), num(m, "high"), num(m, "confidence"));
    }

    private static Ratio ratio(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        return new Ratio(num(m, "estimate"), interval((Map<?, ?>) m.get("interval")));
    }

    private static List<?> list(Map<?, ?> m, String name) {
        return (List<?>) m.get(name);
    }

    private static String str(Map<?, ?> m, String name) {
        Object v = m.get(name);
        return v == null ? "" : (String) v;
    }

    private static double num(Map<?, ?> m, String name) {
        Object v = m.get(name);
        return v == null ? Double.NaN : (Double) v;
    }
}
