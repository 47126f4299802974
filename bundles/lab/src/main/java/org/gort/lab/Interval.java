package org.gort.lab;

/**
 * A confidence interval and the confidence it actually has: distribution-free intervals come
 * from order statistics, so their coverage is a property of the sample size (for example
 * min–max of 5 runs covers the median with 93.75%), not a number chosen in advance.
 */
public record Interval(double low, double high, double confidence) {
    public boolean contains(double x) {
        return low <= x && x <= high;
    }

    /** True when the interval reaches the lab's 95% level. */
    public boolean significant() {
        return confidence >= 0.95 - 1e-9;
    }
}
