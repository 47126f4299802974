package org.gort.lab.internal.html;

import java.util.List;

/**
 * A chart a scenario declares for its finding, independent of how it is drawn: series of
 * points with optional intervals, over a numeric x axis ({@link Kind#LINES}, or {@link Kind#POINTS} without lines; e.g. the pause
 * against the number of goroutines, one line per collector) or over named groups
 * ({@link Kind#GROUPS}, e.g. lock acquisitions per schedule for each workload, one dot per
 * scheduler). Axis values are written in the units of {@code xMetric} / {@code yMetric}
 * (see MetricGuide; null writes plain numbers).
 *
 * @param groups the x axis's names for {@link Kind#GROUPS}: a point's x is the group's index
 * @param note   one sentence under the chart: what to look for
 */
public record ChartSpec(String title, Kind kind, String xLabel, String xMetric, boolean logX,
                        String yLabel, String yMetric, boolean logY, List<String> groups,
                        List<Series> series, String note) {
    public enum Kind { LINES, POINTS, GROUPS }

    /** One line or set of dots; {@code reference} draws it as a dashed line without points (a bound, a target). */
    public record Series(String name, List<Point> points, boolean reference) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** A point, with the interval [low, high] around y (NaN for none). */
    public record Point(double x, double y, double low, double high) {
        public static Point of(double x, double y) {
            return new Point(x, y, Double.NaN, Double.NaN);
        }
    }

    public ChartSpec {
        groups = List.copyOf(groups);
        series = List.copyOf(series);
    }

    /** True when some series has a point to draw. */
    public boolean hasData() {
        return series.stream().anyMatch(s -> !s.points().isEmpty());
    }
}
