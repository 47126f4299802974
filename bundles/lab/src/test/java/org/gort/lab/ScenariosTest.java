package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.gort.api.StrategyCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Each scenario at its small size: every claim it checks, all of them on counts (lock
 * acquisitions, hand-offs, preemptions, objects and stacks handled in pauses), never on time.
 * A scenario whose workloads or strategies are not installed, or whose strategies do not report
 * a counter yet, is skipped and says why.
 */
class ScenariosTest {
    private static final Lab LAB = Lab.serviceLoader();

    private static ScenarioReport run(String name) {
        List<String> missing = LAB.missing(name);
        assumeTrue(missing.isEmpty(), () -> name + " skipped: " + String.join("; ", missing));
        ScenarioReport r = LAB.scenario(name, ScenarioOptions.small(), line -> { });
        String text = Reports.render(r, Format.TEXT);
        System.out.println(text);
        for (Comparison c : r.comparisons()) {
            assertTrue(c.failures().isEmpty(), () -> "runs failed:\n" + text);
        }
        assumeFalse(r.unmeasured(), () -> name + " skipped, a counter is not reported yet:\n" + text);
        for (Direction d : r.directions()) {
            assertTrue(d.holds(), () -> d + "\n" + text);
        }
        assertFalse(r.finding().isBlank());
        page(r);
        return r;
    }

    /**
     * The scenario's HTML page in a browser: no console error, its title, finding and checked
     * claims, its own chart and every comparison's charts drawn; the JSON form reads back into
     * the same page.
     */
    private static void page(ScenarioReport r) {
        try {
            String html = Reports.render(r, Format.HTML);
            Path json = HtmlReportTest.OUT.resolve("scenario-" + r.scenario().name() + ".json");
            Reports.write(Reports.render(r, Format.JSON), json);
            assertEquals(html, Reports.read(json).render(Format.HTML));
            Path page = HtmlReportTest.OUT.resolve("scenario-" + r.scenario().name() + ".html");
            Reports.write(html, page);
            Chromium.Page p = Browser.open(page);
            assertTrue(p.title().startsWith("scenario " + r.scenario().name() + ": "), p.title());
            assertTrue(p.findings().contains(r.finding()), p.findings());
            for (Direction d : r.directions()) {
                assertTrue(p.findings().contains(d.toString()), d + " not on the page: " + p.findings());
            }
            assertEquals("scenario", p.figures().get(0).chart(), "the scenario's own chart comes first");
            Browser.everyChartDrawn(p);
        } catch (Exception e) {
            throw new AssertionError("the HTML page of " + r.scenario().name() + ": " + e, e);
        }
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        Browser.close();
    }

    @Test
    void schedLocality() {
        run("sched-locality");
    }

    @Test
    void runnext() {
        run("runnext");
    }

    @Test
    void preemption() {
        run("preemption");
    }

    @Test
    void syscallHandoff() {
        run("syscall-handoff");
    }

    @Test
    void netpollVsSyscall() {
        run("netpoll-vs-syscall");
    }

    @Test
    void stwVsConcurrent() {
        run("stw-vs-concurrent");
    }

    @Test
    void stackRescan() {
        run("stack-rescan");
    }

    @Test
    void pacerRedesign() {
        run("pacer-redesign");
    }

    @Test
    void barrierCost() {
        run("barrier-cost");
    }

    @Test
    void tcmallocVsGlobalLock() {
        run("tcmalloc-vs-global-lock");
    }

    @Test
    void greenTea() {
        run("green-tea");
    }

    @Test
    void everyScenarioIsListedInOrder() {
        assertEquals(List.of("sched-locality", "runnext", "preemption", "syscall-handoff", "netpoll-vs-syscall",
                        "stw-vs-concurrent", "stack-rescan", "pacer-redesign", "barrier-cost", "tcmalloc-vs-global-lock", "green-tea"),
                LAB.scenarios().stream().map(ScenarioInfo::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LAB.missing("gm-vs-gmp"));
        assertTrue(e.getMessage().startsWith("unknown scenario 'gm-vs-gmp'; available: sched-locality, runnext"), e.getMessage());
    }

    @Test
    void aScenarioSaysWhatIsMissing() {
        Lab empty = new Lab(StrategyCatalog.serviceLoader(), WorkloadCatalog.of(List.of()));
        assertEquals(List.of("workload spawn is not installed", "workload fanout is not installed",
                "workload sieve is not installed"), empty.missing("sched-locality"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> empty.scenario("runnext", ScenarioOptions.small(), line -> { }));
        assertEquals("scenario runnext cannot run: workload pingpong-hog is not installed (install the bundles that"
                + " provide them)", e.getMessage());
        assertTrue(empty.missing("stack-rescan").contains("collector dijkstra is not installed")
                || !LAB.strategies().collectors().isEmpty());
    }
}
