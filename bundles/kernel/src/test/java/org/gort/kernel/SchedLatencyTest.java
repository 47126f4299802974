package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.gort.api.Metrics;
import org.junit.jupiter.api.Test;

/** {@code sched.latency}: recorded per P, reported as one histogram over every P, per interval. */
class SchedLatencyTest {

    @Test
    void everyPsSamplesAreReportedOnceAndClamped() {
        P a = new P(0);
        P b = new P(1);
        P unused = new P(2);
        SchedCounters.record(a.latency(), 100);
        SchedCounters.record(a.latency(), 200);
        SchedCounters.record(b.latency(), 5_000_000);
        SchedCounters.record(b.latency(), -3); // a clock step backwards counts as 0
        SchedCounters.record(b.latency(), Long.MAX_VALUE); // clamped to an hour
        SchedCounters counters = new SchedCounters();

        Metrics first = new Metrics();
        counters.report(first, "gmp", List.of(), new P[] {a, b, unused});
        Histogram h = first.histogram("sched.latency.ns");
        assertEquals(5, h.getTotalCount());
        assertEquals(0, h.getMinValue());
        assertTrue(h.valuesAreEquivalent(SchedCounters.HIGHEST_NANOS, h.getMaxValue()), "max " + h.getMaxValue());
        assertEquals(1, h.getCountAtValue(100));
        assertEquals(1, h.getCountAtValue(5_000_000));
        assertTrue(first.has("sched.latency.p99.ns"));

        // An interval histogram: the next report holds only what was recorded since.
        SchedCounters.record(b.latency(), 7);
        Metrics second = new Metrics();
        counters.report(second, "gmp", List.of(), new P[] {a, b, unused});
        Histogram h2 = second.histogram("sched.latency.ns");
        assertEquals(1, h2.getTotalCount());
        assertEquals(7, h2.getMaxValue());

        Metrics third = new Metrics();
        counters.report(third, "gmp", List.of(), new P[] {a, b, unused});
        assertEquals(0, third.histogram("sched.latency.ns").getTotalCount());
        assertFalse(third.has("sched.latency.p99.ns"));
    }
}
