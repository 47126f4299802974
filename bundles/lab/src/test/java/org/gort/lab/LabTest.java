package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.gort.api.StrategyCatalog;
import org.gort.api.UnknownStrategyException;
import org.junit.jupiter.api.Test;

class LabTest {
    private final Lab lab = new Lab(StrategyCatalog.serviceLoader(), TestWorkloads.catalog());

    @Test
    void runChecksTheOutputAndCollectsEveryMetric() {
        List<String> printed = Collections.synchronizedList(new ArrayList<>());
        RunRecord r = lab.run(RunRequest.of("relay", List.of("n=4", "laps=50"), Selection.parse("sched=gmp procs=2"))
                .withOutput(printed::add));
        assertEquals(RunOutcome.OK, r.outcome(), r.failure());
        assertEquals(List.of("relayed: 200"), r.output());
        assertEquals(r.output(), printed);
        assertEquals("n=4 laps=50", r.params());
        // the runtime's counters, the histogram summaries and the lab's ratios
        assertTrue(r.metrics().get("sched.schedules") >= 200, r.metrics().toString());
        assertTrue(r.metrics().containsKey("sched.latency.count"));
        assertEquals(r.metrics().get("sched.lock.acquisitions") / r.metrics().get("sched.schedules"),
                r.metrics().get("lab.sched.lock.per.schedule"), 1e-12);
        assertEquals(2.0, r.metrics().get("run.gomaxprocs"));
    }

    @Test
    void wrongOutputIsFailedWithTheDifference() {
        RunRecord r = lab.run(RunRequest.of("misprint", List.of(), Selection.parse("sched=gmp procs=1")));
        assertEquals(RunOutcome.FAILED, r.outcome());
        assertEquals("wrong output: line 1: expected '2 + 2 = 4', got '2 + 2 = 5'", r.failure());
    }

    @Test
    void aPanicIsReportedAsSuch() {
        RunRecord r = lab.run(RunRequest.of("panicker", List.of(), Selection.parse("sched=gmp procs=1")));
        assertEquals(RunOutcome.PANIC, r.outcome());
        assertTrue(r.failureHeadline().contains("on purpose"), r.failure());
    }

    @Test
    void unknownNamesFailBeforeAnythingRuns() {
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> lab.run(RunRequest.of("nope", List.of(), Selection.defaults())));
        assertTrue(w.getMessage().contains("available: misprint, panicker, relay, sleepers"), w.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> lab.run(RunRequest.of("relay", List.of("m=3"), Selection.defaults())));
        UnknownStrategyException s = assertThrows(UnknownStrategyException.class,
                () -> lab.run(RunRequest.of("relay", List.of(), Selection.parse("sched=fifo"))));
        assertTrue(s.getMessage().contains("legacy-gm"), s.getMessage());
        assertThrows(UnknownStrategyException.class,
                () -> lab.run(RunRequest.of("relay", List.of(), Selection.parse("gc=no-such-collector"))));
    }

    @Test
    void compareInterleavesSelectionsAfterWarmUpAndReportsProgress() {
        List<String> progress = new ArrayList<>();
        CompareRequest req = CompareRequest.of("relay", List.of("n=6", "laps=100"),
                        List.of(Selection.parse("sched=legacy-gm procs=2"), Selection.parse("sched=gmp procs=2")))
                .withRounds(1, 3)
                .withMetrics(List.of("lab.sched.lock.per.schedule", "sched.lock.acquisitions", "run.wall.ns"));
        Comparison c = lab.compare(req, progress::add);

        assertEquals(List.of("legacy-gm", "gmp"), c.selections().stream().map(Selection::label).toList());
        assertEquals(8, c.runs().size());
        List<String> order = c.runs().stream().map(r -> r.selection().label() + (r.warmup() ? "*" : "") + r.round()).toList();
        assertEquals(List.of("legacy-gm*1", "gmp*1", "legacy-gm1", "gmp1", "legacy-gm2", "gmp2", "legacy-gm3", "gmp3"), order);
        assertEquals(9, progress.size(), progress.toString());
        assertTrue(progress.get(0).startsWith("compare relay: run 1 of 8 (legacy-gm, warm-up) · 0:00 elapsed"), progress.get(0));
        assertTrue(progress.get(5).contains(" left"), progress.get(5));
        assertTrue(progress.get(8).startsWith("compare relay: 8 runs in "), progress.get(8));

        Aggregate gm = c.aggregate("lab.sched.lock.per.schedule", "legacy-gm").orElseThrow();
        Aggregate gmp = c.aggregate("lab.sched.lock.per.schedule", "gmp").orElseThrow();
        assertEquals(3, gm.n());
        assertTrue(gm.median() >= 1, "GM takes its global lock on every schedule: " + gm);
        assertTrue(gmp.median() < gm.median(), gmp + " vs " + gm);
        assertTrue(gmp.ratio() != null, "a requested metric gets a ratio to the baseline");
        assertEquals(List.of("lab.sched.lock.per.schedule", "sched.lock.acquisitions", "run.wall.ns"), c.metrics());
        assertTrue(c.failures().isEmpty());
    }

    @Test
    void failedRunsAreRecordedButNeverMeasured() {
        Comparison c = lab.compare(CompareRequest.of("misprint", List.of(),
                List.of(Selection.parse("sched=gmp procs=1"))).withRounds(0, 2), line -> { });
        assertEquals(2, c.failures().size());
        assertTrue(c.aggregates().isEmpty());
        String text = Reports.render(c, Format.TEXT);
        assertTrue(text.contains("0/2 ok"), text);
        assertTrue(text.contains("round 1: FAILED wrong output: line 1: expected '2 + 2 = 4', got '2 + 2 = 5'"), text);
    }

    @Test
    void interruptingStopsAComparisonBetweenRuns() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.util.concurrent.CancellationException.class, () -> lab.compare(
                    CompareRequest.of("relay", List.of(), List.of(Selection.parse("sched=gmp procs=1"))), line -> { }));
        } finally {
            assertTrue(Thread.interrupted());
        }
    }

    @Test
    void selectionsParseAndLabelThemselves() {
        Selection s = Selection.parse("sched=legacy-gm, procs=3 gogc=200 seed=9 gmp.forcePreemptNS=5000000");
        assertEquals("legacy-gm", s.scheduler());
        assertEquals(3, s.gomaxprocs());
        assertEquals(200, s.gogc());
        assertEquals(9, s.seed());
        assertEquals("5000000", s.properties().get("gmp.forcePreemptNS"));
        assertEquals(s, Selection.parse(s.describe()));
        assertThrows(IllegalArgumentException.class, () -> Selection.parse("procs=zero"));
        assertThrows(IllegalArgumentException.class, () -> Selection.parse("colour=blue"));
        List<Selection> labelled = Selection.labelled(List.of(Selection.parse("gc=stw procs=2"),
                Selection.parse("gc=hybrid procs=4"), Selection.parse("gc=hybrid procs=4").withLabel("mine"),
                Selection.parse("gc=hybrid procs=4")));
        assertEquals(List.of("stw procs=2", "hybrid procs=4", "mine", "hybrid procs=4 #2"),
                labelled.stream().map(Selection::label).toList());
        assertFalse(Selection.labelled(List.of(Selection.defaults(), Selection.defaults())).get(0).label().isEmpty());
    }

    @Test
    void aSelectionCarriesTheHeapLimitToTheRun() {
        Selection s = Selection.parse("gc=stw maxheap=512MiB");
        assertEquals(512L << 20, s.maxHeapBytes());
        assertEquals(512L << 20, s.applyTo(org.gort.api.RuntimeConfig.builder()).build().maxHeapBytes());
        assertEquals(s, Selection.parse(s.describe()));
        assertTrue(s.describe().endsWith(" maxheap=512MiB"), s.describe());
        assertEquals(org.gort.api.RuntimeConfig.DEFAULT_MAX_HEAP_BYTES, Selection.defaults().maxHeapBytes());
        assertFalse(Selection.defaults().describe().contains("maxheap"), "the default is not spelled out");
        assertEquals(List.of("maxheap=1GiB", "maxheap=2GiB"), Selection.labelled(List.of(Selection.defaults(),
                Selection.defaults().withMaxHeap(2L << 30))).stream().map(Selection::label).toList());
        assertThrows(IllegalArgumentException.class, () -> Selection.parse("maxheap=512MB"));
        assertThrows(IllegalArgumentException.class, () -> Selection.defaults().withMaxHeap(1000));
        assertEquals(64L << 20, ScenarioOptions.small().withMaxHeap(64L << 20).withRounds(0, 1).maxHeapBytes());
        assertEquals(0, ScenarioOptions.full().maxHeapBytes(), "0: the scenario's own choice");
    }

    @Test
    void aSelectionCarriesTheThreadLimitToTheRun() {
        Selection s = Selection.parse("gc=stw maxthreads=100");
        assertEquals(100, s.maxThreads());
        assertEquals(100, s.applyTo(org.gort.api.RuntimeConfig.builder()).build().maxThreads());
        assertEquals(s, Selection.parse(s.describe()));
        assertTrue(s.describe().endsWith(" maxthreads=100"), s.describe());
        assertEquals(org.gort.api.RuntimeConfig.DEFAULT_MAX_THREADS, Selection.defaults().maxThreads());
        assertEquals(org.gort.api.RuntimeConfig.DEFAULT_MAX_THREADS,
                Selection.defaults().applyTo(org.gort.api.RuntimeConfig.builder()).build().maxThreads());
        assertFalse(Selection.defaults().describe().contains("maxthreads"), "the default is not spelled out");
        assertEquals(List.of("maxthreads=10000", "maxthreads=8"), Selection.labelled(List.of(Selection.defaults(),
                Selection.defaults().withMaxThreads(8))).stream().map(Selection::label).toList());
        assertThrows(IllegalArgumentException.class, () -> Selection.parse("maxthreads=lots"));
        assertThrows(IllegalArgumentException.class, () -> Selection.defaults().withMaxThreads(0));
        assertEquals(8, ScenarioOptions.small().withMaxThreads(8).withRounds(0, 1).maxThreads());
        assertEquals(0, ScenarioOptions.full().maxThreads(), "0: the scenario's own choice");
        assertThrows(IllegalArgumentException.class, () -> ScenarioOptions.small().withMaxThreads(-1));
    }

    /**
     * Forty goroutines blocked in 2 s syscalls at once need forty Ms: past the selection's limit
     * of 8 each run ends as {@code run --max-threads 8} ends it, and the limit survives the JSON form.
     */
    @Test
    void aComparisonsRunsMakeNoMoreThreadsThanTheLimit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Lab standard = Lab.serviceLoader();
        Comparison c = standard.compare(CompareRequest.of("syscall-storm", List.of("goroutines=40", "calls=1", "blockMicros=2000000"),
                List.of(Selection.parse("sched=legacy-gm procs=1 maxthreads=8"), Selection.parse("sched=gmp procs=1 maxthreads=8")))
                .withRounds(0, 1), line -> { });
        assertEquals(2, c.failures().size(), () -> Reports.render(c, Format.TEXT));
        for (RunRecord r : c.failures()) {
            assertEquals(RunOutcome.FATAL, r.outcome(), r.failure());
            assertTrue(r.failure().startsWith("runtime: program exceeds 8-thread limit\nfatal error: thread exhaustion\n"), r.failure());
        }
        java.nio.file.Path json = dir.resolve("storm.json");
        Reports.write(Reports.render(c, Format.JSON), json);
        assertEquals(c.selections(), Reports.read(json).comparison().selections());
    }
}
