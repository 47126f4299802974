package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gort.api.GcCycle;
import org.gort.api.RunSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML report of a comparison and of a run, with timelines, on binary-trees under the
 * stop-the-world and the hybrid collector: the timeline holds what the run did (samples,
 * GC cycles in phase order, pauses), the JSON form reads back into the same page, and the pages
 * open in headless Chromium with no console error, every chart drawn with its data marks, and
 * a screenshot under target/reports/.
 */
class HtmlReportTest {
    private static final Lab LAB = Lab.serviceLoader();
    /** Where the pages and their screenshots go (made here: Reports.write makes no directory). */
    static final Path OUT = reports();
    private static Comparison comparison;
    private static RunRecord run;

    private static Path reports() {
        try {
            return Files.createDirectories(Path.of("target", "reports"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void runThem() {
        List<Selection> sel = List.of(Selection.parse("gc=stw procs=2"), Selection.parse("gc=hybrid procs=2"));
        comparison = LAB.compare(CompareRequest.of("binary-trees", List.of("n=12"), sel).withRounds(0, 2).withTimelines(true),
                line -> { });
        run = LAB.run(RunRequest.of("binary-trees", List.of("n=12"), Selection.parse("gc=hybrid procs=2")).withTimeline(true));
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        Browser.close();
    }

    @Test
    void aTimelineHoldsTheRunsSamplesAndCyclesInPhaseOrder() {
        assertTrue(run.ok(), run.failure());
        Timeline t = run.timeline();
        assertTrue(!t.samples().isEmpty() && t.samples().size() <= Timeline.MAX_SAMPLES, "samples: " + t.samples().size());
        assertTrue(t.samples().stream().anyMatch(s -> s.goroutines() >= 1 && s.heapLive() > 0), t.samples().toString());
        for (RunSample s : t.samples()) {
            assertEquals(2, s.psRunning() + s.psIdle() + s.psSyscall() + s.psStopped(), s.toString());
        }
        long cycles = (long) run.metric("gc.cycles").orElseThrow();
        assertTrue(cycles > 0, "binary-trees n=12 collects");
        assertEquals(cycles, t.cyclesSeen(), "every completed cycle is seen");
        long previous = 0;
        for (GcCycle c : t.cycles()) {
            assertTrue(c.number() > previous, "cycles in order");
            previous = c.number();
            assertTrue(c.start() <= c.mark() && c.mark() <= c.markTermination() && c.markTermination() <= c.end(), c.toString());
            assertEquals("hybrid", c.collector());
        }
        assertFalse(t.pauses().isEmpty(), "the run stopped the world");
        assertEquals(100.0, t.pauses().get(t.pauses().size() - 1).percentile(), 1e-9);
    }

    @Test
    void aLongRunIsThinnedToEvenlySpacedSamples() {
        // a hog busy for a second is sampled far more than 16 times; the cap halves the samples again and again
        var config = Selection.parse("sched=gmp procs=1").applyTo(org.gort.api.RuntimeConfig.builder()).trace(l -> { }).build();
        org.gort.api.Workload hog = LAB.workloads().workload("hog");
        var params = hog.params(List.of("duration=1000", "safepoints=true"));
        org.gort.api.RunHandle h = org.gort.api.Runtime.start(config, LAB.strategies(), () -> hog.main(params));
        TimelineRecorder recorder = TimelineRecorder.start(h, 16);
        var result = h.await(java.time.Duration.ofMinutes(2));
        Timeline t = recorder.finish(result.metrics());
        assertTrue(t.samples().size() >= 8 && t.samples().size() <= 16, "samples: " + t.samples().size());
        for (int i = 1; i < t.samples().size(); i++) {
            assertTrue(t.samples().get(i).atNanos() > t.samples().get(i - 1).atNanos(), "in time order");
        }
        long first = t.samples().get(0).atNanos();
        long last = t.samples().get(t.samples().size() - 1).atNanos();
        assertTrue(last - first >= 500_000_000L, "the kept samples still span the run: " + (last - first) + " ns");
    }

    @Test
    void aComparisonWithoutTimelinesSamplesNothing() {
        RunRecord plain = LAB.run(RunRequest.of("binary-trees", List.of("n=12"), Selection.parse("gc=stw procs=2")));
        assertEquals(null, plain.timeline());
        assertFalse(Reports.render(plain, LAB.environment(), Format.JSON).contains("\"timeline\""));
    }

    @Test
    void theJsonFormReadsBackIntoTheSamePage() throws Exception {
        String html = Reports.render(comparison, Format.HTML);
        Path json = OUT.resolve("comparison.json");
        Reports.write(Reports.render(comparison, Format.JSON), json);
        assertEquals(html, Reports.read(json).render(Format.HTML));
        Environment env = LAB.environment();
        Path runJson = OUT.resolve("run.json");
        Reports.write(Reports.render(run, env, Format.JSON), runJson);
        assertEquals(Reports.render(run, env, Format.HTML), Reports.read(runJson).render(Format.HTML));
    }

    @Test
    void theComparisonPageOpensInABrowserWithEveryChartDrawn() throws Exception {
        Path page = OUT.resolve("comparison.html");
        Reports.write(Reports.render(comparison, Format.HTML), page);
        Chromium.Page p = Browser.open(page);
        assertEquals("compare binary-trees n=12: stw vs hybrid", p.title());
        assertTrue(p.findings().contains("Verdicts"), p.findings());
        List<String> kinds = p.figures().stream().map(Chromium.Figure::chart).distinct().toList();
        assertTrue(kinds.containsAll(List.of("metric", "pauses", "timeline")), kinds.toString());
        assertEquals(comparison.runs().size(), p.figures().stream().filter(f -> f.chart().equals("timeline")).count());
        Browser.everyChartDrawn(p);
    }

    @Test
    void theRunPageOpensInABrowserWithItsTimeline() throws Exception {
        Path page = OUT.resolve("run.html");
        Reports.write(Reports.render(run, LAB.environment(), Format.HTML), page);
        Chromium.Page p = Browser.open(page);
        assertTrue(p.title().startsWith("binary-trees n=12 under "), p.title());
        assertEquals(List.of("timeline", "pauses"), p.figures().stream().map(Chromium.Figure::chart).toList());
        Browser.everyChartDrawn(p);
        assertTrue(Files.size(p.screenshot()) > 10_000, "a screenshot with something in it");
    }
}
