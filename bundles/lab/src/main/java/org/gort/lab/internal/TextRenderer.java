package org.gort.lab.internal;

import java.util.List;
import java.util.Map;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Environment;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.gort.lab.Reports;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.Verdict;

/** The aligned text form of runs, comparisons and scenarios. */
public final class TextRenderer {
    private static final int WRAP = 100;

    private TextRenderer() {
    }

    public static String run(RunRecord r, Environment env) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.workload()).append(r.params().isEmpty() ? "" : " " + r.params())
                .append(" under ").append(r.selection().describe()).append(": ").append(r.outcome()).append('\n');
        if (!r.failure().isEmpty()) {
            sb.append(indent(r.failure(), "  ")).append('\n');
        }
        sb.append(env.line()).append('\n');
        Table t = new Table(false, true);
        t.row("metric", "value");
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            t.row(e.getKey(), MetricGuide.format(e.getKey(), e.getValue()));
        }
        sb.append('\n');
        t.appendTo(sb, "");
        return sb.toString();
    }

    public static String comparison(Comparison c) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.workload()).append(c.params().isEmpty() ? "" : " " + c.params()).append(" · ")
                .append(c.repeats()).append(c.repeats() == 1 ? " measured round" : " measured rounds")
                .append(c.warmups() == 0 ? "" : " after " + c.warmups() + (c.warmups() == 1 ? " warm-up" : " warm-ups"))
                .append(", interleaved · median, 95% interval of the median, min–max\n");
        sb.append(c.environment().line()).append('\n');
        Table sel = new Table(false, false, false);
        for (int i = 0; i < c.selections().size(); i++) {
            Selection s = c.selections().get(i);
            List<RunRecord> measured = c.measured(i);
            long ok = measured.stream().filter(RunRecord::ok).count();
            sel.row(s.label() + (i == 0 ? " (baseline)" : ""), s.describe(), ok + "/" + measured.size() + " ok");
        }
        sel.appendTo(sb, "  ");
        sb.append('\n');
        String baseline = c.baseline().label();
        Table t = new Table(false, false, true, true, false, false, false);
        t.row("metric", "selection", "n", "median", "95% CI", "min–max", "× " + baseline + " [95% CI]");
        for (String metric : c.metrics()) {
            boolean first = true;
            for (int i = 0; i < c.selections().size(); i++) {
                String label = c.selections().get(i).label();
                String name = first ? metric : "";
                Aggregate a = c.aggregate(metric, i).orElse(null);
                if (a == null) {
                    t.row(name, label, "0", "—", "", "", "");
                } else {
                    t.row(name, label, Integer.toString(a.n()), MetricGuide.format(metric, a.median()),
                            range(metric, a.interval()), MetricGuide.format(metric, a.min()) + "–" + MetricGuide.format(metric, a.max()),
                            ratio(a.ratio()));
                }
                first = false;
            }
        }
        t.appendTo(sb, "");
        if (!c.verdicts().isEmpty()) {
            sb.append("\nverdicts (95% interval of the ratio excludes 1):\n");
            for (Verdict v : c.verdicts()) {
                sb.append("  ").append(v.text()).append('\n');
            }
        }
        List<RunRecord> failures = c.failures();
        if (!failures.isEmpty()) {
            sb.append("\nnot measured:\n");
            for (RunRecord r : failures) {
                sb.append("  ").append(r.selection().label()).append(r.warmup() ? " warm-up " : " round ").append(r.round())
                        .append(": ").append(r.outcome()).append(' ').append(r.failureHeadline()).append('\n');
            }
        }
        return sb.toString();
    }

    public static String scenario(ScenarioReport s) {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario ").append(s.scenario().name()).append(": ").append(s.scenario().description()).append('\n');
        sb.append(wrap("expected: " + s.scenario().finding(), "  ")).append("\n\n");
        for (Comparison c : s.comparisons()) {
            sb.append(comparison(c)).append('\n');
        }
        sb.append("finding:\n").append(wrap(s.finding(), "  ")).append('\n');
        sb.append("\nchecked:\n");
        for (Direction d : s.directions()) {
            sb.append("  ").append(d).append('\n');
        }
        return sb.toString();
    }

    private static String range(String metric, Interval ci) {
        String r = MetricGuide.format(metric, ci.low()) + "–" + MetricGuide.format(metric, ci.high());
        return ci.significant() ? r : r + " (" + percent(ci.confidence()) + ")";
    }

    private static String ratio(Ratio r) {
        if (r == null) {
            return "";
        }
        String s = Reports.ratio(r.estimate()) + "× [" + Reports.ratio(r.interval().low()) + "–"
                + Reports.ratio(r.interval().high()) + "]";
        return r.interval().significant() ? s : s + " (" + percent(r.interval().confidence()) + ")";
    }

    static String percent(double p) {
        return MetricGuide.significant(p * 100) + "%";
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }

    /** Wraps a paragraph at {@value #WRAP} columns. */
    static String wrap(String paragraph, String prefix) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(prefix);
        for (String word : paragraph.split("\\s+")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WRAP) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(prefix);
            }
            if (line.length() > prefix.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        return out.append(line).toString();
    }
}
