package org.gort.lab.internal.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Environment;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.Timeline;
import org.gort.lab.Verdict;
import org.gort.lab.internal.MetricGuide;
import org.gort.lab.internal.TextRenderer;
import org.gort.lab.internal.scenarios.Scenarios;
import org.jfree.chart.JFreeChart;

/*
 * The HTML form of runs, comparisons and scenarios: one self-contained page (styles inline, the
 * charts inline SVG drawn by JFreeChart on the Java side, no script but one line that opens the
 * collapsed sections for printing), so it opens from disk with no network in any browser and
 * prints as it shows.
 *
 * Page layout, top to bottom, text first so that the page reads without its pictures:
 *   comparison  title; environment; each selection's configuration and runs OK; the verdicts
 *               (the comparison's findings); the forest plot of ratios to the baseline with
 *               its table; per shown metric, every measured run as a dot with the median and
 *               its 95% interval; the pause percentile plot of every run with a timeline;
 *               every run, collapsed, with its timeline; the text table.
 *   run         title and outcome; environment; its timeline; its pause percentiles; its metrics.
 *   scenario    title; what is expected; the finding; the checked claims; the scenario's own
 *               chart (ChartSpec, declared by the scenario); then each comparison as above.
 *
 * Every chart is a <figure class="chart" data-chart="kind"> holding one <svg>; the browser test
 * counts the data items JFreeChart marks in each (see Svg).
 */
public final class HtmlRenderer {
    private HtmlRenderer() {
    }

    public static String comparison(Comparison c) {
        Page p = new Page(comparisonTitle(c));
        p.h1(p.title);
        p.para("env", c.environment().line() + " · started " + c.environment().started());
        comparisonBody(p, c, 2);
        return p.end();
    }

    public static String run(RunRecord r, Environment env) {
        String title = r.workload() + (r.params().isEmpty() ? "" : " " + r.params()) + " under " + r.selection().describe();
        Page p = new Page(title);
        p.h1(title);
        p.para("outcome " + (r.ok() ? "ok" : "failed"), "outcome: " + r.outcome()
                + (r.failure().isEmpty() ? "" : " — " + r.failureHeadline()));
        p.para("env", env.line() + " · started " + env.started());
        if (r.timeline() != null) {
            timelineFigures(p, r.timeline(), "Over the run's time", List.of(r.selection().label().isEmpty() ? "run" : r.selection().label()));
        } else {
            p.para("note", "No timeline was recorded for this run.");
        }
        p.raw("<details class=\"metrics\"><summary>Every metric of the run (" + r.metrics().size() + ")</summary>\n");
        p.raw("<table class=\"metrics\"><thead><tr><th>metric</th><th>value</th></tr></thead><tbody>\n");
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            p.raw("<tr><td>" + esc(e.getKey()) + "</td><td class=\"num\">" + esc(MetricGuide.format(e.getKey(), e.getValue()))
                    + "</td></tr>\n");
        }
        p.raw("</tbody></table>\n</details>\n");
        return p.end();
    }

    public static String scenario(ScenarioReport s) {
        String title = "scenario " + s.scenario().name() + ": " + s.scenario().description();
        Page p = new Page(title);
        p.h1(title);
        if (!s.comparisons().isEmpty()) {
            p.para("env", s.comparisons().get(0).environment().line() + " · started "
                    + s.comparisons().get(0).environment().started());
        }
        p.raw("<section class=\"findings\">\n");
        p.para("expected", "Expected: " + s.scenario().finding());
        p.h2("Finding");
        p.para("finding", s.finding());
        p.h2("Checked");
        p.raw("<ul class=\"checked\">\n");
        for (Direction d : s.directions()) {
            p.raw("<li class=\"" + d.status().name().toLowerCase() + "\">" + esc(d.toString()) + "</li>\n");
        }
        p.raw("</ul>\n</section>\n");
        ChartSpec spec = Scenarios.chartOf(s);
        if (spec != null && spec.hasData()) {
            p.figure("scenario", Charts.spec(spec), Charts.WIDTH, 460, spec.note());
        }
        for (Comparison c : s.comparisons()) {
            p.h2(comparisonTitle(c));
            comparisonBody(p, c, 3);
        }
        return p.end();
    }

    private static String comparisonTitle(Comparison c) {
        return "compare " + c.workload() + (c.params().isEmpty() ? "" : " " + c.params()) + ": "
                + String.join(" vs ", c.selections().stream().map(Selection::label).toList());
    }

    private static void comparisonBody(Page p, Comparison c, int level) {
        p.para("rounds", c.repeats() + (c.repeats() == 1 ? " measured round" : " measured rounds")
                + (c.warmups() == 0 ? "" : " after " + c.warmups() + (c.warmups() == 1 ? " warm-up" : " warm-ups"))
                + ", interleaved; medians with their 95% intervals (order statistics), ratios by Hodges–Lehmann on the logarithms.");
        p.raw("<table class=\"config\"><thead><tr><th>selection</th><th>configuration</th><th>runs ok</th></tr></thead><tbody>\n");
        for (int i = 0; i < c.selections().size(); i++) {
            Selection s = c.selections().get(i);
            List<RunRecord> measured = c.measured(i);
            long ok = measured.stream().filter(RunRecord::ok).count();
            p.raw("<tr><td><span class=\"swatch\" style=\"background:" + hex(Svg.colour(i)) + "\"></span>" + esc(s.label())
                    + (i == 0 ? " (baseline)" : "") + "</td><td><code>" + esc(s.describe()) + "</code></td><td class=\"num\">"
                    + ok + "/" + measured.size() + "</td></tr>\n");
        }
        p.raw("</tbody></table>\n");
        p.raw("<section class=\"findings verdicts\">\n");
        p.heading(level, "Verdicts");
        if (c.verdicts().isEmpty()) {
            p.para("verdict none", "No ratio's 95% interval excludes 1: these runs do not tell the selections apart.");
        } else {
            p.raw("<ul>\n");
            for (Verdict v : c.verdicts()) {
                p.raw("<li class=\"verdict\">" + esc(v.text()) + "</li>\n");
            }
            p.raw("</ul>\n");
        }
        List<RunRecord> failures = c.failures();
        if (!failures.isEmpty()) {
            p.para("failures", "Not measured: " + String.join("; ", failures.stream().map(r -> r.selection().label()
                    + (r.warmup() ? " warm-up " : " round ") + r.round() + " " + r.outcome() + " " + r.failureHeadline()).toList()));
        }
        p.raw("</section>\n");
        List<String> charted = charted(c);
        List<String[]> rows = new ArrayList<>();
        JFreeChart forest = Charts.forest(c, charted, rows);
        if (forest != null) {
            p.figure("forest", forest, Charts.WIDTH, Charts.rowsHeight(rows.size()) + 40,
                    "Each selection's typical ratio to " + c.baseline().label() + " with its interval; decisive where the 95% interval excludes 1.");
            p.raw("<table class=\"ratios\"><thead><tr><th>selection</th><th>metric</th><th>× " + esc(c.baseline().label())
                    + "</th><th>interval</th><th>confidence</th><th>verdict</th></tr></thead><tbody>\n");
            for (String[] r : rows) {
                p.raw("<tr><td>" + esc(r[0]) + "</td><td>" + esc(r[1]) + " <code>" + esc(r[2]) + "</code></td><td class=\"num\">"
                        + esc(r[3]) + "×</td><td class=\"num\">" + esc(r[4]) + "–" + esc(r[5]) + "</td><td class=\"num\">" + esc(r[6])
                        + "</td><td>" + esc(r[7]) + "</td></tr>\n");
            }
            p.raw("</tbody></table>\n");
        }
        p.heading(level, "Metrics");
        if (charted.size() < c.metrics().size()) {
            p.para("note", "Charted: the metrics with a verdict and the headline ones; all " + c.metrics().size()
                    + " are in the text table at the end.");
        }
        p.raw("<div class=\"grid\">\n");
        for (String metric : charted) {
            boolean any = false;
            for (int i = 0; i < c.selections().size(); i++) {
                any |= c.aggregate(metric, i).isPresent();
            }
            if (!any) {
                continue;
            }
            Aggregate base = c.aggregate(metric, 0).orElse(null);
            String caption = base == null ? "" : "Baseline median " + MetricGuide.format(metric, base.median()) + ".";
            p.figure("metric", Charts.metricDots(c, metric), Charts.WIDTH, Charts.rowsHeight(c.selections().size()),
                    "Dots: every measured run; diamond and bar: the median and its 95% interval. " + caption);
        }
        p.raw("</div>\n");
        List<RunRecord> withTimeline = c.runs().stream().filter(r -> r.timeline() != null && !r.warmup()).toList();
        if (!withTimeline.isEmpty()) {
            List<String> names = new ArrayList<>();
            List<Integer> colours = new ArrayList<>();
            List<Timeline> timelines = new ArrayList<>();
            for (RunRecord r : withTimeline) {
                names.add(r.selection().label() + " #" + r.round());
                colours.add(c.selections().indexOf(r.selection()));
                timelines.add(r.timeline());
            }
            JFreeChart pct = Charts.pausePercentiles("Stop-the-world pauses by percentile, every measured run", names, colours, timelines);
            if (pct != null) {
                p.figure("pauses", pct, Charts.WIDTH, 460, "HdrHistogram percentile plot: the x axis stretches the tail (90%, 99%, 99.9% ...).");
            }
            p.heading(level, "Runs");
            for (RunRecord r : withTimeline) {
                p.raw("<details class=\"run\"><summary>" + esc(r.selection().label() + " round " + r.round() + ": " + r.outcome()
                        + " · " + MetricGuide.format("run.wall.ns", r.metric("run.wall.ns").orElse(0))
                        + " · " + (long) r.metric("gc.cycles").orElse(0) + " GC cycles") + "</summary>\n");
                timelineFigures(p, r.timeline(), r.selection().label() + " round " + r.round(), null);
                p.raw("</details>\n");
            }
        }
        p.raw("<details class=\"table\"><summary>The comparison as a text table</summary>\n<pre>")
                .raw(esc(TextRenderer.comparison(c))).raw("</pre></details>\n");
    }

    /** The headline metrics every comparison charts when it shows them. */
    private static final List<String> HEADLINE = List.of("run.wall.ns", "stw.pause.max.ns", "gc.pause.max.ns", "gc.cycles",
            "gc.heap.live.max.bytes", "gc.marked.in.pause.max", "gc.pause.root.slots.max", "sched.latency.p99.ns",
            "sched.migrations", "lab.sched.lock.per.schedule", "lab.alloc.lock.per.alloc", "alloc.bytes.committed");
    /** A comparison that shows at most this many metrics (a scenario's chosen ones) charts them all. */
    private static final int CHART_ALL = 12;

    /**
     * The metrics a comparison charts: all it shows when they are few (a scenario names its
     * own), else those with a verdict and then the headline ones, in the comparison's order.
     */
    static List<String> charted(Comparison c) {
        if (c.metrics().size() <= CHART_ALL) {
            return c.metrics();
        }
        List<String> verdicts = c.verdicts().stream().map(Verdict::metric).toList();
        return c.metrics().stream().filter(m -> verdicts.contains(m) || HEADLINE.contains(m)).toList();
    }

    /** A run's timeline chart and, when {@code pauseNames} is given, its pause percentile plot. */
    private static void timelineFigures(Page p, Timeline t, String title, List<String> pauseNames) {
        String note = t.samples().size() + " samples";
        if (t.cyclesSeen() > t.cycles().size()) {
            note += "; " + t.cycles().size() + " of " + t.cyclesSeen() + " GC cycles shown (evenly thinned)";
        } else {
            note += "; " + t.cycles().size() + " GC cycles";
        }
        p.figure("timeline", Charts.timeline(t, title), Charts.WIDTH, Charts.timelineHeight(t),
                "Shading: red, the world stopped (sweep and mark termination); amber, concurrent marking. " + note + ".");
        if (pauseNames != null) {
            JFreeChart pct = Charts.pausePercentiles("Stop-the-world pauses by percentile", pauseNames, List.of(0), List.of(t));
            if (pct != null) {
                p.figure("pauses", pct, Charts.WIDTH, 420, "HdrHistogram percentile plot of every stop of the world in the run.");
            }
        }
    }

    static String hex(java.awt.Color c) {
        return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A page being written. */
    private static final class Page {
        private static final String STYLE = """
                body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                       max-width: 960px; margin: 1.5em auto; padding: 0 1em; }
                h1 { font-size: 1.45em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
                h3 { font-size: 1.05em; margin-top: 1.3em; }
                .env, .rounds, figcaption, .note { color: #555; font-size: .9em; }
                table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
                th, td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
                td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
                code, pre { font: .85em/1.35 "DejaVu Sans Mono", monospace; }
                pre { overflow-x: auto; background: #f7f7f7; padding: .6em; }
                .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em; border-radius: 2px; }
                .findings { background: #f4f8fc; border-left: 4px solid #1f77b4; padding: .2em 1em; margin: 1em 0; }
                .findings h2, .findings h3 { margin-top: .6em; }
                .checked li.holds::marker { content: "✔ "; color: #2ca02c; }
                .checked li.fails::marker { content: "✘ "; color: #d62728; }
                .checked li.unmeasured::marker { content: "? "; color: #999; }
                .outcome.failed { color: #d62728; font-weight: bold; }
                figure.chart { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
                figure.chart svg { width: 100%; height: auto; display: block; }
                details { margin: .5em 0; } summary { cursor: pointer; }
                @media print { body { max-width: none; margin: 0; } summary { list-style: none; font-weight: bold; }
                               pre { white-space: pre-wrap; } }
                """;
        final String title;
        private final StringBuilder sb = new StringBuilder(1 << 16);
        private int charts;

        Page(String title) {
            this.title = title;
            sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                    .append("<meta name=\"generator\" content=\"gort ").append(esc(org.gort.lab.internal.Version.GORT)).append("\">\n")
                    .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n")
                    // collapsed sections print open
                    .append("<script>addEventListener('beforeprint', () => document.querySelectorAll('details')"
                            + ".forEach(d => d.open = true));</script>\n")
                    .append("</head>\n<body>\n");
        }

        Page raw(String html) {
            sb.append(html);
            return this;
        }

        void h1(String text) {
            sb.append("<h1>").append(esc(text)).append("</h1>\n");
        }

        void h2(String text) {
            heading(2, text);
        }

        void heading(int level, String text) {
            sb.append("<h").append(level).append('>').append(esc(text)).append("</h").append(level).append(">\n");
        }

        void para(String cls, String text) {
            sb.append("<p class=\"").append(cls).append("\">").append(esc(text)).append("</p>\n");
        }

        void figure(String kind, JFreeChart chart, int width, int height, String caption) {
            String id = "chart" + (++charts);
            sb.append("<figure class=\"chart\" data-chart=\"").append(kind).append("\" id=\"").append(id).append("-figure\">\n")
                    .append(Svg.render(chart, id, width, height)).append('\n');
            if (caption != null && !caption.isEmpty()) {
                sb.append("<figcaption>").append(esc(caption)).append("</figcaption>\n");
            }
            sb.append("</figure>\n");
        }

        String end() {
            sb.append("<p class=\"note\">Written by gort ").append(esc(org.gort.lab.internal.Version.GORT))
                    .append("; charts by JFreeChart, drawn as SVG.</p>\n</body>\n</html>\n");
            return sb.toString();
        }
    }
}
