package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The goroutine-leak analysis finds no leak in the built-in workloads, which end with every
 * goroutine done, under every collector for the heap workloads. The sieve is the exception Go
 * shares: its filters block forever once main has its primes; when they are all parked at the
 * end they are real leaks (never more than the goroutines left), else the analysis is skipped.
 */
class LeakFreeWorkloadsTest {
    @Test
    void noBuiltInWorkloadLeaksUnderAnyCollector() {
        for (Map.Entry<String, List<String>> e : Runs.SMALL.entrySet()) {
            String name = e.getKey();
            List<String> collectors = Runs.HEAP_WORKLOADS.contains(name) ? Runs.collectors() : java.util.Arrays.asList((String) null);
            for (String gc : collectors) {
                Runs.Outcome o = Runs.runAndPass(name, Runs.config("gmp", "tcmalloc", gc).build(), e.getValue());
                long leaked = (long) o.metric("run.goroutines.leaked");
                if (name.equals("sieve")) {
                    assertTrue(leaked <= (long) o.metric("run.goroutines.left"), o.describe());
                } else {
                    assertEquals(0, leaked, name + " under " + gc + ": " + o.result().failure());
                }
            }
        }
    }
}
