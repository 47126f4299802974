package org.gort.lab.internal.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.gort.api.GcCycle;
import org.gort.api.RunSample;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.RunRecord;
import org.gort.lab.Timeline;
import org.gort.lab.internal.MetricGuide;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, built with JFreeChart and drawn to SVG ({@link Svg}): per-metric dots
 * with medians and intervals, the forest plot of ratios, a run's timeline, the pause
 * percentile plot, and a scenario's declared {@link ChartSpec}.
 */
final class Charts {
    static final int WIDTH = 900;
    private static final double JITTER = 0.22;

    private Charts() {
    }

    // ------------------------------------------------------------------ comparison

    /**
     * One metric of a comparison: every measured OK run as a dot, per selection, and the median
     * with its 95% interval as a bar through a diamond. Log scale when the values are positive
     * and span more than two decades.
     */
    static JFreeChart metricDots(Comparison c, String metric) {
        int n = c.selections().size();
        String[] names = new String[n];
        YIntervalSeriesCollection medians = new YIntervalSeriesCollection();
        XYSeriesCollection dots = new XYSeriesCollection();
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names[i] = c.selections().get(i).label();
            YIntervalSeries m = new YIntervalSeries(names[i] + " median");
            Aggregate a = c.aggregate(metric, i).orElse(null);
            if (a != null) {
                m.add(i, a.median(), a.interval().low(), a.interval().high());
            }
            medians.addSeries(m);
            XYSeries runs = new XYSeries(names[i] + " runs", false, true);
            List<RunRecord> measured = c.measured(i).stream().filter(RunRecord::ok).toList();
            for (int k = 0; k < measured.size(); k++) {
                double v = measured.get(k).metric(metric).orElse(Double.NaN);
                if (!Double.isNaN(v)) {
                    double offset = measured.size() == 1 ? 0 : -JITTER + 2 * JITTER * k / (measured.size() - 1);
                    runs.add(i + offset, v);
                    all.add(v);
                }
            }
            dots.addSeries(runs);
        }
        ValueAxis valueAxis = valueAxis(MetricGuide.phrase(metric), metric, all, false);
        SymbolAxis selAxis = new SymbolAxis(null, names);
        selAxis.setGridBandsVisible(false);
        selAxis.setInverted(true);
        selAxis.setTickLabelFont(Svg.TEXT);
        XYErrorRenderer med = new XYErrorRenderer();
        med.setDrawXError(false);
        med.setDefaultLinesVisible(false);
        med.setErrorStroke(new BasicStroke(3f));
        med.setCapLength(10);
        XYLineAndShapeRenderer dot = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < n; i++) {
            Color col = Svg.colour(i);
            med.setSeriesPaint(i, col.darker());
            med.setSeriesShape(i, diamond(7));
            dot.setSeriesPaint(i, Svg.alpha(col, 150));
            dot.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        med.setErrorPaint(null);
        XYPlot p = new XYPlot(medians, selAxis, valueAxis, med);
        p.setDataset(1, dots);
        p.setRenderer(1, dot);
        p.setOrientation(PlotOrientation.HORIZONTAL);
        p.setDomainGridlinesVisible(false);
        String phrase = MetricGuide.phrase(metric);
        return Svg.chart(phrase.equals(metric) ? metric : phrase + " (" + metric + ")", p, false);
    }

    /** Height for a chart of {@code rows} categories. */
    static int rowsHeight(int rows) {
        return 90 + 44 * rows;
    }

    /**
     * The forest plot: for every shown metric that has ratios, each selection's ratio to the
     * baseline with its interval on a log axis, a line at 1; decisive ratios (95% interval
     * excluding 1) in colour, the others grey.
     */
    static JFreeChart forest(Comparison c, List<String> metrics, List<String[]> rowsOut) {
        YIntervalSeries decisive = new YIntervalSeries("decisive (95% interval excludes 1)");
        YIntervalSeries open = new YIntervalSeries("not decisive");
        List<String> rows = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String metric : metrics) {
            for (int i = 1; i < c.selections().size(); i++) {
                Aggregate a = c.aggregate(metric, i).orElse(null);
                if (a == null || a.ratio() == null) {
                    continue;
                }
                var r = a.ratio();
                int row = rows.size();
                rows.add(a.label() + " · " + MetricGuide.phrase(metric));
                (r.decisive() ? decisive : open).add(row, r.estimate(), r.interval().low(), r.interval().high());
                values.add(r.interval().low());
                values.add(r.interval().high());
                rowsOut.add(new String[] {a.label(), MetricGuide.phrase(metric), metric,
                        org.gort.lab.Reports.ratio(r.estimate()), org.gort.lab.Reports.ratio(r.interval().low()),
                        org.gort.lab.Reports.ratio(r.interval().high()),
                        MetricGuide.significant(r.interval().confidence() * 100) + "%", r.decisive() ? "decisive" : "not decisive"});
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(decisive);
        data.addSeries(open);
        SymbolAxis rowAxis = new SymbolAxis(null, rows.toArray(String[]::new));
        rowAxis.setInverted(true);
        rowAxis.setGridBandsVisible(false);
        rowAxis.setTickLabelFont(Svg.TEXT);
        LogAxis ratio = new SpanLogAxis("× " + c.baseline().label() + " (log scale)");
        ratio.setNumberFormatOverride(Svg.format(org.gort.lab.Reports::ratio));
        double lo = values.stream().filter(v -> v > 0).mapToDouble(Double::doubleValue).min().orElse(0.5);
        double hi = values.stream().filter(v -> v > 0).mapToDouble(Double::doubleValue).max().orElse(2);
        ratio.setRange(Math.min(lo, 1) / 1.5, Math.max(hi, 1) * 1.5);
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setDefaultLinesVisible(false);
        r.setErrorStroke(new BasicStroke(2.5f));
        r.setCapLength(8);
        r.setErrorPaint(null);
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setSeriesPaint(1, new Color(0x9a9ab0));
        r.setSeriesShape(0, diamond(7));
        r.setSeriesShape(1, diamond(7));
        XYPlot p = new XYPlot(data, rowAxis, ratio, r);
        p.setOrientation(PlotOrientation.HORIZONTAL);
        p.setDomainGridlinesVisible(false);
        p.addRangeMarker(new ValueMarker(1.0, Color.BLACK, new BasicStroke(1f)), Layer.BACKGROUND);
        return Svg.chart("Ratios to " + c.baseline().label() + ", 95% intervals", p, true);
    }

    // ------------------------------------------------------------------ runs

    /** Phase colours: the two stop-the-world phases and concurrent marking. */
    private static final Color STW = new Color(214, 39, 40, 90);
    private static final Color MARK = new Color(255, 187, 0, 60);

    /**
     * A run over its time, four plots on one time axis: heap in use and the goal, with each GC
     * cycle's phases shaded (red: the world stopped; amber: concurrent marking); goroutines
     * alive, runnable, waiting and in syscalls; Ps running, in syscalls, idle and stopped,
     * stacked; and every collector pause as a dot at its time, its length upwards.
     */
    static JFreeChart timeline(Timeline t, String title) {
        NumberAxis time = new NumberAxis("time since the program started (ms)");
        time.setLabelFont(Svg.TEXT);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(12);
        boolean hasHeap = t.samples().stream().anyMatch(s -> s.heapLive() > 0) || !t.cycles().isEmpty();
        if (hasHeap) {
            plot.add(heapPlot(t), 3);
        }
        plot.add(goroutinePlot(t), 2);
        plot.add(procPlot(t), 2);
        if (!t.cycles().isEmpty()) {
            plot.add(pausePlot(t), 2);
        }
        for (Object sub : plot.getSubplots()) {
            Svg.style((XYPlot) sub);
        }
        JFreeChart c = Svg.chart(title, plot, true);
        c.setPadding(new RectangleInsets(4, 4, 4, 12));
        return c;
    }

    static int timelineHeight(Timeline t) {
        boolean heap = t.samples().stream().anyMatch(s -> s.heapLive() > 0) || !t.cycles().isEmpty();
        return 160 + (heap ? 210 : 0) + 140 + 140 + (t.cycles().isEmpty() ? 0 : 140);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static XYPlot heapPlot(Timeline t) {
        XYSeries live = new XYSeries("heap in use", false, true);
        XYSeries goal = new XYSeries("heap goal", false, true);
        for (RunSample s : t.samples()) {
            live.add(ms(s.atNanos()), s.heapLive() / 1048576.0);
            goal.add(ms(s.atNanos()), s.heapGoal() / 1048576.0);
        }
        for (GcCycle c : t.cycles()) {
            // the cycle's own figures: exact at its start and end, between the samples
            live.add(ms(c.start()), c.heapStart() / 1048576.0);
            goal.add(ms(c.start()), c.heapGoal() / 1048576.0);
        }
        XYSeriesCollection data = new XYSeriesCollection(sorted(live));
        data.addSeries(sorted(goal));
        NumberAxis mib = new NumberAxis("MiB");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setSeriesStroke(0, new BasicStroke(1.5f));
        r.setSeriesPaint(1, new Color(0x2ca02c));
        r.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        XYPlot p = new XYPlot(data, null, mib, r);
        for (GcCycle c : t.cycles()) {
            p.addDomainMarker(new IntervalMarker(ms(c.start()), ms(Math.max(c.mark(), c.start())), STW), Layer.BACKGROUND);
            if (c.markTermination() > c.mark()) {
                p.addDomainMarker(new IntervalMarker(ms(c.mark()), ms(c.markTermination()), MARK), Layer.BACKGROUND);
            }
            p.addDomainMarker(new IntervalMarker(ms(c.markTermination()), ms(Math.max(c.end(), c.markTermination())), STW),
                    Layer.BACKGROUND);
        }
        return p;
    }

    private static XYSeries sorted(XYSeries s) {
        XYSeries out = new XYSeries(s.getKey(), true, true);
        for (int i = 0; i < s.getItemCount(); i++) {
            out.add(s.getX(i), s.getY(i));
        }
        return out;
    }

    private static XYPlot goroutinePlot(Timeline t) {
        String[] names = {"alive", "runnable", "waiting", "in syscall"};
        XYSeries[] series = new XYSeries[names.length];
        for (int i = 0; i < names.length; i++) {
            series[i] = new XYSeries("goroutines " + names[i], false, true);
        }
        for (RunSample s : t.samples()) {
            double x = ms(s.atNanos());
            series[0].add(x, s.goroutines());
            series[1].add(x, s.runnable());
            series[2].add(x, s.waiting());
            series[3].add(x, s.syscall());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series) {
            data.addSeries(s);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        Color[] colours = {new Color(0x1f3f7f), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesStroke(i, new BasicStroke(i == 0 ? 1.8f : 1.2f));
        }
        NumberAxis axis = new NumberAxis("goroutines");
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return new XYPlot(data, null, axis, r);
    }

    private static XYPlot procPlot(Timeline t) {
        String[] names = {"Ps running", "Ps in syscall", "Ps idle", "Ps stopped (STW)"};
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries[] series = new XYSeries[names.length];
        for (int i = 0; i < names.length; i++) {
            series[i] = new XYSeries(names[i], false, true);
            data.addSeries(series[i]);
        }
        for (RunSample s : t.samples()) {
            double x = ms(s.atNanos());
            series[0].add(x, s.psRunning());
            series[1].add(x, s.psSyscall());
            series[2].add(x, s.psIdle());
            series[3].add(x, s.psStopped());
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        Color[] colours = {new Color(0x2ca02c), new Color(0x8c564b), new Color(0x7f9fbf), new Color(0xd62728)};
        for (int i = 0; i < colours.length; i++) {
            r.setSeriesPaint(i, colours[i]);
            r.setSeriesStroke(i, new BasicStroke(i == 0 ? 1.8f : 1.2f));
        }
        NumberAxis axis = new NumberAxis("Ps");
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setAutoRangeIncludesZero(true);
        return new XYPlot(data, null, axis, r);
    }

    private static XYPlot pausePlot(Timeline t) {
        XYSeries sweep = new XYSeries("sweep termination pause", false, true);
        XYSeries term = new XYSeries("mark termination pause", false, true);
        for (GcCycle c : t.cycles()) {
            sweep.add(ms(c.start()), Math.max(1, c.mark() - c.start()) / 1e3);
            term.add(ms(c.markTermination()), Math.max(1, c.end() - c.markTermination()) / 1e3);
        }
        XYSeriesCollection data = new XYSeriesCollection(sweep);
        data.addSeries(term);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, new Color(0xff7f0e));
        r.setSeriesPaint(1, new Color(0xd62728));
        r.setSeriesShape(0, new Rectangle2D.Double(-2.5, -2.5, 5, 5));
        r.setSeriesShape(1, new Ellipse2D.Double(-3, -3, 6, 6));
        LogAxis axis = new SpanLogAxis("pause");
        axis.setNumberFormatOverride(Svg.format(us -> MetricGuide.duration(us * 1e3)));
        axis.setSmallestValue(0.5);
        return new XYPlot(data, null, axis, r);
    }

    /**
     * Stop-the-world pauses as HdrHistogram percentile plots: the x axis is 1/(1 − p) on a log
     * scale, labelled as the percentile (90%, 99%, 99.9% ...), so the tail gets room.
     */
    static JFreeChart pausePercentiles(String title, List<String> names, List<Integer> colours, List<Timeline> timelines) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        int k = 0;
        for (int i = 0; i < timelines.size(); i++) {
            List<Timeline.Percentile> ps = timelines.get(i).pauses();
            if (ps.isEmpty()) {
                continue;
            }
            XYSeries s = new XYSeries(names.get(i), false, true);
            double lastX = 1;
            for (Timeline.Percentile p : ps) {
                // 100% (the maximum) has no place on a 1/(1 - p) axis: it rises at the last percentile's x
                double x = p.percentile() >= 100 ? lastX : 100 / (100 - p.percentile());
                s.add(x, Math.max(1, p.nanos()));
                lastX = x;
            }
            data.addSeries(s);
            r.setSeriesPaint(k, Svg.colour(colours.get(i)));
            r.setSeriesStroke(k, new BasicStroke(1.6f));
            k++;
        }
        if (k == 0) {
            return null;
        }
        LogAxis x = new SpanLogAxis("percentile");
        // one tick a decade of 1/(1 - p): 0%, 90%, 99%, 99.9% ...
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1), false, false);
        x.setAutoTickUnitSelection(false);
        x.setNumberFormatOverride(Svg.format(v -> {
            int decade = (int) Math.round(Math.log10(v));
            if (decade <= 0) {
                return "0%";
            }
            return String.format(java.util.Locale.ROOT, "%." + Math.max(0, decade - 2) + "f%%", 100 - Math.pow(10, 2 - decade));
        }));
        x.setSmallestValue(1);
        LogAxis y = new SpanLogAxis("pause");
        y.setNumberFormatOverride(Svg.format(MetricGuide::duration));
        y.setSmallestValue(1);
        XYPlot p = new XYPlot(data, x, y, r);
        return Svg.chart(title, p, k <= 12);
    }

    // ------------------------------------------------------------------ scenarios

    /** A scenario's declared chart. */
    static JFreeChart spec(ChartSpec spec) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setErrorPaint(null);
        r.setCapLength(6);
        int plain = spec.series().size();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < spec.series().size(); i++) {
            ChartSpec.Series s = spec.series().get(i);
            YIntervalSeries y = new YIntervalSeries(s.name(), false, true);
            double dodge = spec.kind() == ChartSpec.Kind.GROUPS && plain > 1
                    ? -0.2 + 0.4 * i / (plain - 1) : 0;
            for (ChartSpec.Point p : s.points()) {
                double low = Double.isNaN(p.low()) ? p.y() : p.low();
                double high = Double.isNaN(p.high()) ? p.y() : p.high();
                y.add(p.x() + dodge, p.y(), low, high);
                xs.add(p.x());
                ys.add(low);
                ys.add(high);
            }
            data.addSeries(y);
            Color col = s.reference() ? new Color(0x4a4a5a) : Svg.colour(i);
            r.setSeriesPaint(i, col);
            r.setSeriesLinesVisible(i, s.reference() || spec.kind() == ChartSpec.Kind.LINES);
            r.setSeriesShapesVisible(i, !s.reference());
            r.setSeriesShape(i, i % 2 == 0 ? new Ellipse2D.Double(-4.5, -4.5, 9, 9) : diamond(6));
            r.setSeriesStroke(i, s.reference()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        ValueAxis x;
        if (spec.kind() == ChartSpec.Kind.GROUPS) {
            SymbolAxis s = new SymbolAxis(spec.xLabel(), spec.groups().toArray(String[]::new));
            s.setGridBandsVisible(false);
            s.setTickLabelFont(Svg.TEXT);
            x = s;
        } else {
            x = valueAxis(spec.xLabel(), spec.xMetric(), xs, spec.logX());
        }
        ValueAxis y = valueAxis(spec.yLabel(), spec.yMetric(), ys, spec.logY());
        XYPlot p = new XYPlot(data, x, y, r);
        return Svg.chart(spec.title(), p, true);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A value axis in the metric's units: log when asked and the values span at least a decade,
     * or when positive values span more than two; log ticks fall on whole or half decades.
     */
    private static ValueAxis valueAxis(String label, String metric, List<Double> values, boolean forceLog) {
        double min = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(1);
        double decades = min > 0 ? Math.log10(max / min) : 0;
        boolean log = min > 0 && (forceLog ? decades >= 1 : decades > 2);
        java.util.function.DoubleFunction<String> f = metric == null ? MetricGuide::number : v -> MetricGuide.format(metric, v);
        if (log) {
            LogAxis a = new SpanLogAxis(label + " (log scale)");
            a.setNumberFormatOverride(Svg.format(f));
            a.setSmallestValue(min / 10);
            a.setRange(min / 1.6, max * 1.6);
            a.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(decades > 3 ? 1 : 0.5), false, false);
            a.setAutoTickUnitSelection(false);
            return a;
        }
        NumberAxis a = new NumberAxis(label);
        a.setNumberFormatOverride(Svg.format(f));
        // the axis spans the values, not zero to them: the runs' spread is what a reader compares
        a.setAutoRangeIncludesZero(false);
        if (values.stream().allMatch(v -> Double.isNaN(v) || v == Math.rint(v))) {
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        return a;
    }

    /**
     * A log axis that spans data whose values are all equal (a run with one pause: every
     * percentile is that pause). JFreeChart's LogAxis widens such a range by its minimum size,
     * 1e-8, which vanishes beside a value like 5e7, and then refuses the empty range ("A positive
     * range length is required"); here the minimum is a tenth of the values.
     */
    static final class SpanLogAxis extends LogAxis {
        SpanLogAxis(String label) {
            super(label);
        }

        @Override
        protected void autoAdjustRange() {
            if (getPlot() instanceof org.jfree.chart.plot.ValueAxisPlot vap) {
                org.jfree.data.Range r = vap.getDataRange(this);
                if (r != null) {
                    setAutoRangeMinimumSize(Math.max(1e-8, Math.abs(r.getUpperBound()) * 0.1), false);
                }
            }
            super.autoAdjustRange();
        }
    }

    private static java.awt.Shape diamond(double r) {
        java.awt.geom.Path2D.Double d = new java.awt.geom.Path2D.Double();
        d.moveTo(0, -r);
        d.lineTo(r, 0);
        d.lineTo(0, r);
        d.lineTo(-r, 0);
        d.closePath();
        return d;
    }
}
