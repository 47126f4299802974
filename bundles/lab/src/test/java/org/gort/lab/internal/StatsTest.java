package org.gort.lab.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final double EPS = 1e-12;

    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(3, Stats.median(new double[] {1, 2, 3, 4, 100}));
        assertEquals(2.5, Stats.median(new double[] {1, 2, 3, 4}));
        assertEquals(7, Stats.median(new double[] {7}));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
    }

    @Test
    void binomialCdfMatchesExactCounts() {
        // n = 5: C(5, j) = 1 5 10 10 5 1 over 32
        double[] cdf = Stats.binomialHalfCdf(5);
        assertArrayEquals(new double[] {1 / 32.0, 6 / 32.0, 16 / 32.0, 26 / 32.0, 31 / 32.0, 1}, cdf, EPS);
        // large n does not underflow to 0 or overflow past 1
        double[] big = Stats.binomialHalfCdf(2000);
        assertEquals(0.5, big[999] + (big[1000] - big[999]) / 2, 1e-9);
        assertEquals(1.0, big[2000], 1e-9);
    }

    @Test
    void fewerThanSixRunsGiveMinToMaxWithItsTrueCoverage() {
        Interval ci = Stats.medianInterval(new double[] {1, 2, 3, 4, 5});
        assertEquals(1, ci.low());
        assertEquals(5, ci.high());
        assertEquals(1 - 2 / 32.0, ci.confidence(), EPS); // 93.75%
        assertFalse(ci.significant());
    }

    @Test
    void medianIntervalUsesTheWidestRankThatReaches95Percent() {
        // n = 9: P(B <= 1) = 10/512, so k = 2 covers 1 - 20/512 = 96.1%; k = 3 would cover 82%
        double[] nine = {10, 20, 30, 40, 50, 60, 70, 80, 90};
        Interval ci = Stats.medianInterval(nine);
        assertEquals(20, ci.low());
        assertEquals(80, ci.high());
        assertEquals(1 - 20 / 512.0, ci.confidence(), EPS);
        assertTrue(ci.significant());
        // n = 20: the textbook interval is x(6)..x(15), 95.9%
        double[] twenty = new double[20];
        for (int i = 0; i < 20; i++) {
            twenty[i] = i + 1;
        }
        Interval ci20 = Stats.medianInterval(twenty);
        assertEquals(6, ci20.low());
        assertEquals(15, ci20.high());
        assertEquals(0.9586, ci20.confidence(), 1e-4);
    }

    @Test
    void mannWhitneyDistributionIsExact() {
        // m = n = 5: 252 arrangements; counts of U = 0, 1, 2, 3 are 1, 1, 2, 3
        double[] cdf = Stats.mannWhitneyCdf(5, 5);
        assertEquals(26, cdf.length);
        assertEquals(1 / 252.0, cdf[0], EPS);
        assertEquals(2 / 252.0, cdf[1], EPS);
        assertEquals(4 / 252.0, cdf[2], EPS);
        assertEquals(7 / 252.0, cdf[3], EPS);
        assertEquals(1.0, cdf[25], 1e-12);
        // symmetric: P(U <= u) = 1 - P(U <= mn - u - 1)
        double[] asym = Stats.mannWhitneyCdf(3, 7);
        for (int u = 0; u < 21; u++) {
            assertEquals(asym[u], 1 - asym[20 - u], 1e-12);
        }
    }

    @Test
    void hodgesLehmannFindsAScaleFactorAndItsInterval() {
        double[] base = {100, 104, 98, 101, 97, 103, 99};
        double[] half = Arrays.stream(base).map(x -> x / 2).toArray();
        Ratio r = Stats.hodgesLehmannRatio(base, half);
        assertEquals(0.5, r.estimate(), 1e-12);
        assertTrue(r.interval().low() < 0.5 && 0.5 < r.interval().high());
        assertTrue(r.interval().high() < 1);
        assertTrue(r.interval().significant());
        assertTrue(r.decisive());
    }

    @Test
    void ratioOfTheSameDistributionIsNotDecisive() {
        double[] a = {100, 104, 98, 101, 97, 103, 99};
        double[] b = {102, 96, 100, 105, 99, 98, 101};
        Ratio r = Stats.hodgesLehmannRatio(a, b);
        assertTrue(r.interval().contains(1.0));
        assertTrue(r.interval().significant());
        assertFalse(r.decisive());
    }

    @Test
    void exactIntervalForFiveAgainstFiveUsesRankThree() {
        // 2 P(U <= 2) = 8/252 <= 5% but 2 P(U <= 3) = 14/252 > 5%: the 3rd smallest and largest of 25 ratios
        double[] base = {1, 1, 1, 1, 1};
        double[] sample = {2, 3, 4, 5, 6};
        Ratio r = Stats.hodgesLehmannRatio(base, sample);
        assertEquals(4, r.estimate(), 1e-12);
        assertEquals(2, r.interval().low(), 1e-12);   // sorted ratios: 2x5, 3x5, ... third is 2
        assertEquals(6, r.interval().high(), 1e-12);
        assertEquals(1 - 8 / 252.0, r.interval().confidence(), EPS);
    }

    @Test
    void tooFewRunsAreNeverDecisiveHoweverFarApart() {
        Ratio r = Stats.hodgesLehmannRatio(new double[] {100, 101}, new double[] {1, 2});
        assertFalse(r.interval().contains(1.0));
        assertEquals(1 - 2 / 6.0, r.interval().confidence(), EPS); // m = n = 2: 6 arrangements
        assertFalse(r.decisive());
    }

    @Test
    void noRatioForZerosOrEmptySamples() {
        assertNull(Stats.hodgesLehmannRatio(new double[] {0, 1, 2}, new double[] {1, 2, 3}));
        assertNull(Stats.hodgesLehmannRatio(new double[] {1, 2, 3}, new double[] {1, -2, 3}));
        assertNull(Stats.hodgesLehmannRatio(new double[0], new double[] {1}));
    }

    @Test
    void largeSamplesUseTheNormalApproximationWithSimilarCoverage() {
        Random rnd = new Random(7);
        double[] a = new double[120];
        double[] b = new double[120];
        for (int i = 0; i < 120; i++) {
            a[i] = Math.exp(rnd.nextGaussian() * 0.1) * 100;
            b[i] = Math.exp(rnd.nextGaussian() * 0.1) * 80;
        }
        Ratio r = Stats.hodgesLehmannRatio(a, b);
        assertEquals(0.8, r.estimate(), 0.03);
        assertEquals(0.95, r.interval().confidence(), 0.005);
        assertTrue(r.decisive());
    }

    @Test
    void normalCdf() {
        assertEquals(0.5, Stats.normalCdf(0), 1e-7);
        assertEquals(0.975, Stats.normalCdf(1.959964), 1e-6);
        assertEquals(0.025, Stats.normalCdf(-1.959964), 1e-6);
    }
}
