package org.gort.lab;

/**
 * How a selection's metric compares with the baseline's: {@code estimate} times the baseline,
 * with its interval (Hodges–Lehmann on the logarithms; see docs/lab.md).
 */
public record Ratio(double estimate, Interval interval) {
    /** True when the interval reaches 95% and lies wholly above or below 1. */
    public boolean decisive() {
        return interval.significant() && !interval.contains(1.0);
    }
}
