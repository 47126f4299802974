package org.gort.lab.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.RunOutcome;
import org.gort.lab.RunRecord;
import org.gort.lab.Selection;
import org.gort.lab.Verdict;
import org.junit.jupiter.api.Test;

class ComparerTest {

    @Test
    void aggregatesUseOnlyMeasuredOkRuns() {
        Comparison c = Samples.threeWay();
        Aggregate fast = c.aggregate("run.wall.ns", "fast").orElseThrow();
        assertEquals(7, fast.n());
        assertEquals(50e6, fast.median());
        assertEquals(48.5e6, fast.min());
        assertEquals(52e6, fast.max());
        assertEquals(1 - 2 / 128.0, fast.interval().confidence(), 1e-12); // 7 runs: min–max, 98.4%
    }

    @Test
    void verdictOnlyWhereTheIntervalExcludesOne() {
        Comparison c = Samples.threeWay();
        assertEquals(1, c.verdicts().size());
        Verdict v = c.verdicts().get(0);
        assertEquals("fast", v.label());
        assertEquals("run.wall.ns", v.metric());
        assertEquals(0.5, v.ratio().estimate(), 1e-12);
        assertTrue(v.text().startsWith("fast: wall time 0.50× base ["), v.text());
        Aggregate same = c.aggregate("run.wall.ns", 2).orElseThrow();
        assertTrue(same.ratio().interval().contains(1.0));
    }

    @Test
    void ratiosOnlyForTimeLikeOrRequestedMetrics() {
        Comparison c = Samples.threeWay();
        assertNull(c.aggregate("sched.schedules", "fast").orElseThrow().ratio());
        List<Aggregate> requested = Comparer.aggregate(c.selections(), c.runs(), List.of("sched.schedules"));
        Aggregate fast = requested.stream().filter(a -> a.label().equals("fast") && a.metric().equals("sched.schedules"))
                .findFirst().orElseThrow();
        assertNotNull(fast.ratio());
        assertEquals(2.0, fast.ratio().estimate(), 0.01);
        List<Verdict> verdicts = Comparer.verdicts(c.selections(), List.of("sched.schedules"), requested);
        assertEquals(List.of("fast"), verdicts.stream().map(Verdict::label).toList());
    }

    @Test
    void theBaselineHasNoRatio() {
        assertNull(Samples.threeWay().aggregate("run.wall.ns", 0).orElseThrow().ratio());
    }

    @Test
    void shownMetricsSkipThoseZeroInEveryRun() {
        Selection s = Samples.selection("a", "sched=gmp");
        List<RunRecord> runs = List.of(
                Samples.run(s, 1, RunOutcome.OK, Map.of("x", 0.0, "y", 1.0)),
                Samples.run(s, 2, RunOutcome.OK, Map.of("x", 0.0, "y", 0.0, "z", 3.0)),
                Samples.run(s, 3, RunOutcome.FAILED, Map.of("w", 9.0)));
        assertEquals(List.of("y", "z"), Comparer.shownMetrics(List.of(), runs));
        assertEquals(List.of("x"), Comparer.shownMetrics(List.of("x"), runs));
    }

    @Test
    void progressLineSaysWhereItIsAndWhatIsLeft() {
        Selection s = Samples.selection("gmp", "sched=gmp");
        assertEquals("compare sieve: run 1 of 8 (gmp, warm-up) · 0:00 elapsed",
                Comparer.progressLine("sieve", 0, 8, true, s, 0));
        assertEquals("compare sieve: run 5 of 8 (gmp) · 0:20 elapsed · ~0:20 left",
                Comparer.progressLine("sieve", 4, 8, false, s, 20_000_000_000L));
        assertEquals("1:01:01", Comparer.clock(3661_000_000_000L));
    }
}
