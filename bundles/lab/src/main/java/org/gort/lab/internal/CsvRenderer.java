package org.gort.lab.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Environment;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.Verdict;

/**
 * The CSV form (RFC 4180): one table whose every row stands alone, "tidy" for a spreadsheet
 * or a data frame. {@code record} says what a row is: {@code run} (one metric of one run),
 * {@code aggregate} (one metric of one selection), {@code verdict}, and for scenarios
 * {@code finding} and {@code direction} (their text in {@code note}).
 */
public final class CsvRenderer {
    static final List<String> COLUMNS = List.of("scenario", "record", "workload", "params", "selection", "scheduler",
            "allocator", "collector", "gomaxprocs", "gogc", "seed", "properties", "round", "warmup", "outcome",
            "metric", "value", "n", "median", "min", "max", "ci_low", "ci_high", "ci_confidence",
            "ratio", "ratio_low", "ratio_high", "ratio_confidence", "note", "jdk", "cores", "os", "gort");

    private CsvRenderer() {
    }

    public static String run(RunRecord r, Environment env) {
        StringBuilder sb = header();
        runRows(sb, "", r, env);
        return sb.toString();
    }

    public static String comparison(Comparison c) {
        StringBuilder sb = header();
        comparisonRows(sb, "", c);
        return sb.toString();
    }

    public static String scenario(ScenarioReport s) {
        StringBuilder sb = header();
        String name = s.scenario().name();
        Environment env = s.comparisons().isEmpty() ? Environment.current() : s.comparisons().get(0).environment();
        for (Comparison c : s.comparisons()) {
            comparisonRows(sb, name, c);
        }
        String[] finding = row(name, "finding", env);
        finding[col("note")] = s.finding();
        line(sb, finding);
        for (Direction d : s.directions()) {
            String[] row = row(name, "direction", env);
            row[col("outcome")] = d.status().name();
            row[col("note")] = d.claim() + (d.evidence().isEmpty() ? "" : " (" + d.evidence() + ")");
            line(sb, row);
        }
        return sb.toString();
    }

    private static void comparisonRows(StringBuilder sb, String scenario, Comparison c) {
        Environment env = c.environment();
        for (RunRecord r : c.runs()) {
            runRows(sb, scenario, r, env);
        }
        for (Aggregate a : c.aggregates()) {
            String[] row = selectionRow(scenario, "aggregate", env, c.workload(), c.params(), c.selections().get(a.selection()));
            row[col("metric")] = a.metric();
            row[col("n")] = Integer.toString(a.n());
            row[col("median")] = number(a.median());
            row[col("min")] = number(a.min());
            row[col("max")] = number(a.max());
            interval(row, "ci", a.interval());
            ratio(row, a.ratio());
            line(sb, row);
        }
        for (Verdict v : c.verdicts()) {
            String[] row = selectionRow(scenario, "verdict", env, c.workload(), c.params(), c.selections().get(c.indexOf(v.label())));
            row[col("metric")] = v.metric();
            ratio(row, v.ratio());
            row[col("note")] = v.text();
            line(sb, row);
        }
    }

    private static void runRows(StringBuilder sb, String scenario, RunRecord r, Environment env) {
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            String[] row = selectionRow(scenario, "run", env, r.workload(), r.params(), r.selection());
            row[col("round")] = Integer.toString(r.round());
            row[col("warmup")] = Boolean.toString(r.warmup());
            row[col("outcome")] = r.outcome().name();
            row[col("metric")] = e.getKey();
            row[col("value")] = number(e.getValue());
            row[col("note")] = r.failureHeadline();
            line(sb, row);
        }
    }

    private static String[] selectionRow(String scenario, String record, Environment env, String workload, String params,
                                         Selection s) {
        String[] row = row(scenario, record, env);
        row[col("workload")] = workload;
        row[col("params")] = params;
        row[col("selection")] = s.label();
        row[col("scheduler")] = s.scheduler();
        row[col("allocator")] = s.allocator();
        row[col("collector")] = s.collector();
        row[col("gomaxprocs")] = Integer.toString(s.gomaxprocs());
        row[col("gogc")] = org.gort.lab.Selection.gogcWord(s.gogc());
        row[col("seed")] = Long.toString(s.seed());
        List<String> props = new ArrayList<>();
        s.properties().forEach((k, v) -> props.add(k + "=" + v));
        row[col("properties")] = String.join(" ", props);
        return row;
    }

    private static String[] row(String scenario, String record, Environment env) {
        String[] row = new String[COLUMNS.size()];
        Arrays.fill(row, "");
        row[col("scenario")] = scenario;
        row[col("record")] = record;
        row[col("jdk")] = env.jdk();
        row[col("cores")] = Integer.toString(env.cores());
        row[col("os")] = env.os();
        row[col("gort")] = env.gort();
        return row;
    }

    private static void interval(String[] row, String prefix, Interval i) {
        row[col(prefix + "_low")] = number(i.low());
        row[col(prefix + "_high")] = number(i.high());
        row[col(prefix + "_confidence")] = number(i.confidence());
    }

    private static void ratio(String[] row, Ratio r) {
        if (r != null) {
            row[col("ratio")] = number(r.estimate());
            interval(row, "ratio", r.interval());
        }
    }

    private static int col(String name) {
        int i = COLUMNS.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no CSV column " + name);
        }
        return i;
    }

    private static StringBuilder header() {
        StringBuilder sb = new StringBuilder();
        line(sb, COLUMNS.toArray(String[]::new));
        return sb;
    }

    private static void line(StringBuilder sb, String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells[i]));
        }
        sb.append("\r\n");
    }

    /** RFC 4180: quote a field that holds a comma, a quote or a line break; double the quotes. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Whole numbers without a fraction, others in Java's shortest round-tripping form; NaN as empty. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
