package org.gort.lab.internal.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.RunRecord;
import org.gort.lab.internal.html.ChartSpec;

/** Builds the usual shapes of a scenario's chart from its comparisons' medians and intervals. */
final class Charting {
    private Charting() {
    }

    /**
     * One group per comparison (named by {@code group}), one series per selection of the first
     * comparison: the median of {@code metric} with its 95% interval.
     */
    static ChartSpec groups(String title, List<Comparison> comparisons, Function<Comparison, String> group,
                            String metric, String yLabel, boolean logY, String note) {
        List<String> groups = comparisons.stream().map(group).toList();
        List<ChartSpec.Series> series = new ArrayList<>();
        for (String label : labels(comparisons)) {
            List<ChartSpec.Point> points = new ArrayList<>();
            for (int g = 0; g < comparisons.size(); g++) {
                ChartSpec.Point p = point(comparisons.get(g), label, metric, g);
                if (p != null) {
                    points.add(p);
                }
            }
            series.add(new ChartSpec.Series(label, points, false));
        }
        return new ChartSpec(title, ChartSpec.Kind.GROUPS, null, null, false, yLabel, metric, logY, groups, series, note);
    }

    /**
     * One group per metric of a single comparison, one series per selection: for metrics on one
     * scale (fractions).
     */
    static ChartSpec metricGroups(String title, Comparison c, List<String> metrics, List<String> names, String yLabel,
                                  String note) {
        List<ChartSpec.Series> series = new ArrayList<>();
        for (String label : labels(List.of(c))) {
            List<ChartSpec.Point> points = new ArrayList<>();
            for (int g = 0; g < metrics.size(); g++) {
                ChartSpec.Point p = point(c, label, metrics.get(g), g);
                if (p != null) {
                    points.add(p);
                }
            }
            series.add(new ChartSpec.Series(label, points, false));
        }
        return new ChartSpec(title, ChartSpec.Kind.GROUPS, null, null, false, yLabel, null, false, names, series, note);
    }

    /**
     * A line per selection through its comparisons: x from {@code x} (per comparison and
     * selection), y the median of {@code metric} with its interval.
     */
    static ChartSpec lines(String title, List<Comparison> comparisons, String xLabel, String xMetric, boolean logX,
                           XOf x, String metric, String yLabel, boolean logY, String note) {
        List<ChartSpec.Series> series = new ArrayList<>();
        for (String label : labels(comparisons)) {
            List<ChartSpec.Point> points = new ArrayList<>();
            for (Comparison c : comparisons) {
                double xv = x.of(c, label);
                if (Double.isNaN(xv)) {
                    continue;
                }
                ChartSpec.Point p = point(c, label, metric, xv);
                if (p != null) {
                    points.add(p);
                }
            }
            series.add(new ChartSpec.Series(label, points, false));
        }
        return new ChartSpec(title, ChartSpec.Kind.LINES, xLabel, xMetric, logX, yLabel, metric, logY, List.of(), series, note);
    }

    /** Where a comparison's point of a selection lies on the x axis (NaN: leave it out). */
    interface XOf {
        double of(Comparison c, String label);
    }

    /** The x of a parameter, {@code goroutines=1000} → 1000. */
    static XOf param(String name) {
        return (c, label) -> {
            for (String word : c.params().split("\\s+")) {
                if (word.startsWith(name + "=")) {
                    try {
                        return Double.parseDouble(word.substring(name.length() + 1));
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
            return Double.NaN;
        };
    }

    /** The x of a metric's median for that selection. */
    static XOf median(String metric) {
        return (c, label) -> {
            ChartSpec.Point p = point(c, label, metric, 0);
            return p == null ? Double.NaN : p.y();
        };
    }

    /** The selections' labels, in the first comparison's order. */
    static List<String> labels(List<Comparison> comparisons) {
        List<String> out = new ArrayList<>();
        for (Comparison c : comparisons) {
            c.selections().forEach(s -> {
                if (!out.contains(s.label())) {
                    out.add(s.label());
                }
            });
        }
        return out;
    }

    /**
     * The median of {@code metric} for {@code label} at {@code x}: the comparison's aggregate with
     * its interval when it shows the metric, else the median of the OK measured runs; null when
     * no run reported it.
     */
    static ChartSpec.Point point(Comparison c, String label, String metric, double x) {
        int i;
        try {
            i = c.indexOf(label);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Aggregate a = c.aggregate(metric, i).orElse(null);
        if (a != null) {
            return new ChartSpec.Point(x, a.median(), a.interval().low(), a.interval().high());
        }
        double m = median(c.measured(i).stream().filter(RunRecord::ok).toList(), r -> r.metric(metric).orElse(Double.NaN));
        return Double.isNaN(m) ? null : ChartSpec.Point.of(x, m);
    }

    static double median(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) {
        double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
