package org.gort.lab;

/**
 * One metric of one selection over the measured runs of a comparison.
 *
 * @param selection index into the comparison's selections (0 is the baseline)
 * @param n         measured runs that reported the metric
 * @param interval  distribution-free interval for the median (order statistics)
 * @param ratio     the median relative to the baseline, or null (the baseline itself, or a
 *                  metric that is not time-like and not asked for, or a non-positive sample)
 */
public record Aggregate(String metric, int selection, String label, int n, double median, double min, double max,
                        Interval interval, Ratio ratio) {
}
