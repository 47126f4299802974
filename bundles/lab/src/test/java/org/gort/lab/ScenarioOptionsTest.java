package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scenario's options carry --set's properties and --max-threads's limit into every selection it runs. */
class ScenarioOptionsTest {
    @Test
    void propertiesReachEverySelection() {
        ScenarioOptions o = ScenarioOptions.small().withProperty("gmp.forcePreemptNS", "1000000").withGogc(50);
        Selection s = o.applyTo(Selection.defaults().withProperty("gc.floating", "true"));
        assertEquals(Map.of("gmp.forcePreemptNS", "1000000", "gc.floating", "true"), s.properties());
        assertEquals(50, s.gogc());
        assertEquals(Map.of(), ScenarioOptions.full().properties());
    }

    @Test
    void theThreadLimitReachesEveryRun() {
        ScenarioOptions o = ScenarioOptions.small().withMaxThreads(2).withGogc(50);
        Selection s = o.applyTo(Selection.parse("sched=legacy-gm procs=2"));
        assertEquals(2, s.maxThreads());
        assertEquals(2, s.applyTo(org.gort.api.RuntimeConfig.builder()).build().maxThreads());
        assertEquals(org.gort.api.RuntimeConfig.DEFAULT_MAX_THREADS, ScenarioOptions.small().applyTo(Selection.defaults()).maxThreads());

        Lab lab = Lab.serviceLoader();
        assumeTrue(lab.missing("syscall-handoff").isEmpty(), () -> "syscall-handoff skipped: " + lab.missing("syscall-handoff"));
        ScenarioReport r = lab.scenario("syscall-handoff", ScenarioOptions.small().withRounds(0, 1).withMaxThreads(2), line -> { });
        assertTrue(r.comparisons().stream().flatMap(c -> c.selections().stream()).allMatch(x -> x.maxThreads() == 2));
        List<RunRecord> failed = r.comparisons().stream().flatMap(c -> c.failures().stream()).toList();
        assertFalse(failed.isEmpty(), () -> "50 goroutines in 1 ms syscalls under legacy-gm need more than 2 Ms:\n"
                + Reports.render(r, Format.TEXT));
        for (RunRecord f : failed) {
            assertTrue(f.failure().startsWith("runtime: program exceeds 2-thread limit\nfatal error: thread exhaustion\n"), f.failure());
        }
    }
}
