package org.gort.lab.internal;

import java.util.Arrays;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;

/*
 * Distribution-free statistics for small samples of run metrics.
 *
 * Run times are skewed (a run that meets a JIT compilation or a page-fault storm is slow, none
 * is "negatively slow"), and a comparison has few runs per selection, so the lab uses no
 * normal-theory formula. Two exact, deterministic procedures:
 *
 * Median and its interval (order statistics). For a sample x(1) <= ... <= x(n) of a continuous
 * variable, the number of observations below the true median is Binomial(n, 1/2), so
 *     P( x(k) <= median <= x(n+1-k) ) = 1 - 2 * P(B <= k-1),   B ~ Bin(n, 1/2).
 * We take the largest k whose coverage is at least 95%. Below 6 runs no k reaches 95%; then
 * the interval is min–max and its real coverage (1 - 2^(1-n)) is reported with it.
 *
 * Ratio to the baseline (Hodges–Lehmann on the logarithms). Assume the selection's
 * distribution is the baseline's scaled by a factor r (a shift by log r on the log scale,
 * which is how a faster or slower runtime changes a time). The Hodges–Lehmann estimate of the
 * shift is the median of all m*n pairwise differences log(y_j) - log(x_i), so r = exp of it:
 * "the typical ratio of a selection's run to a baseline run". Its interval is again order
 * statistics, of the sorted differences D(1..mn):
 *     P( D(k) <= log r <= D(mn+1-k) ) = 1 - 2 * P(U <= k-1),
 * with U the Mann–Whitney statistic under no difference, whose exact distribution comes from
 * the recurrence  p(m,n,u) = m/(m+n) p(m-1,n,u-n) + n/(m+n) p(m,n-1,u)  (normal approximation
 * with continuity correction when m*n > 10000). Unlike a bootstrap it needs no random seed and
 * gives the same interval every time; unlike a ratio of two medians it uses every pair of runs.
 * It needs positive values: a sample with a zero or negative value gets no ratio.
 */
public final class Stats {
    /** The confidence level every interval aims for. */
    public static final double LEVEL = 0.95;
    private static final int EXACT_LIMIT = 10_000;

    private Stats() {
    }

    public static double[] sorted(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s;
    }

    /** The median of a sorted, non-empty sample (mean of the two middle values when n is even). */
    public static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("the median of an empty sample is undefined");
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The order-statistic interval for the median of a sorted, non-empty sample. */
    public static Interval medianInterval(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            throw new IllegalArgumentException("no interval for an empty sample");
        }
        double[] cdf = binomialHalfCdf(n);
        int k = widestRank((n + 1) / 2, j -> 1 - 2 * cdf[j - 1]);
        double coverage = Math.max(0, 1 - 2 * cdf[k - 1]);
        return new Interval(sorted[k - 1], sorted[n - k], coverage);
    }

    /**
     * The Hodges–Lehmann ratio of {@code sample} to {@code baseline} with its distribution-free
     * interval, or null when either sample is empty or has a value that is not positive.
     */
    public static Ratio hodgesLehmannRatio(double[] baseline, double[] sample) {
        int m = baseline.length;
        int n = sample.length;
        if (m == 0 || n == 0 || !allPositive(baseline) || !allPositive(sample)) {
            return null;
        }
        double[] d = new double[m * n];
        int i = 0;
        for (double x : baseline) {
            double lx = Math.log(x);
            for (double y : sample) {
                d[i++] = Math.log(y) - lx;
            }
        }
        Arrays.sort(d);
        int pairs = d.length;
        double estimate = Math.exp(median(d));
        java.util.function.IntToDoubleFunction coverageOf;
        if ((long) m * n <= EXACT_LIMIT) {
            double[] cdf = mannWhitneyCdf(m, n);
            coverageOf = k -> 1 - 2 * cdf[k - 1];
        } else {
            double mean = m * (double) n / 2;
            double sd = Math.sqrt(m * (double) n * (m + n + 1) / 12.0);
            coverageOf = k -> 1 - 2 * normalCdf((k - 1 + 0.5 - mean) / sd);
        }
        int k = widestRank((pairs + 1) / 2, coverageOf);
        double coverage = Math.max(0, coverageOf.applyAsDouble(k));
        return new Ratio(estimate, new Interval(Math.exp(d[k - 1]), Math.exp(d[pairs - k]), coverage));
    }

    /**
     * The largest rank k in 1..maxK whose interval (k-th smallest to k-th largest) still has
     * coverage >= LEVEL; 1 (the widest interval) when none has.
     */
    private static int widestRank(int maxK, java.util.function.IntToDoubleFunction coverage) {
        int best = 1;
        for (int k = 1; k <= Math.max(1, maxK); k++) {
            if (coverage.applyAsDouble(k) >= LEVEL - 1e-12) {
                best = k;
            } else {
                break;
            }
        }
        return best;
    }

    private static boolean allPositive(double[] xs) {
        for (double x : xs) {
            if (!(x > 0) || Double.isInfinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** {@code cdf[j] = P(B <= j)} for B ~ Binomial(n, 1/2), computed on the log scale so large n does not underflow. */
    static double[] binomialHalfCdf(int n) {
        double[] cdf = new double[n + 1];
        double logChoose = 0; // log C(n, 0)
        double logHalfN = n * Math.log(0.5);
        double sum = 0;
        for (int j = 0; j <= n; j++) {
            if (j > 0) {
                logChoose += Math.log((double) (n - j + 1) / j);
            }
            sum += Math.exp(logChoose + logHalfN);
            cdf[j] = Math.min(1, sum);
        }
        return cdf;
    }

    /**
     * {@code cdf[u] = P(U <= u)} for the Mann–Whitney statistic of samples of sizes m and n
     * under the null hypothesis, by the recurrence on the largest observation.
     */
    static double[] mannWhitneyCdf(int m, int n) {
        // row[j] = distribution for (i, j); built for i = 0..m, keeping only the previous row
        double[][] prev = new double[n + 1][];
        for (int j = 0; j <= n; j++) {
            prev[j] = new double[] {1.0}; // i = 0: U is 0 whatever j
        }
        for (int i = 1; i <= m; i++) {
            double[][] cur = new double[n + 1][];
            cur[0] = new double[] {1.0};
            for (int j = 1; j <= n; j++) {
                double[] p = new double[i * j + 1];
                double a = (double) i / (i + j);
                double b = (double) j / (i + j);
                double[] up = prev[j];   // (i-1, j): the largest is from the first sample, adds j
                double[] left = cur[j - 1]; // (i, j-1): the largest is from the second sample
                for (int u = 0; u < up.length; u++) {
                    p[u + j] += a * up[u];
                }
                for (int u = 0; u < left.length; u++) {
                    p[u] += b * left[u];
                }
                cur[j] = p;
            }
            prev = cur;
        }
        double[] pmf = prev[n];
        double[] cdf = new double[pmf.length];
        double sum = 0;
        for (int u = 0; u < pmf.length; u++) {
            sum += pmf[u];
            cdf[u] = Math.min(1, sum);
        }
        return cdf;
    }

    /** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
