package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.gort.api.StrategyCatalog;
import org.junit.jupiter.api.Test;

class TracesTest {

    @Test
    void goSchedtraceLinesParse() {
        Traces.SchedSample s = Traces.parseSched(
                "SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=6 spinningthreads=0 idlethreads=1 runqueue=0 [12 7 3 0]")
                .orElseThrow();
        assertEquals(1004, s.ms());
        assertEquals(4, s.gomaxprocs());
        assertEquals(6, s.threads());
        assertEquals(List.of(12, 7, 3, 0), s.localRunqueues());
        assertFalse(s.detail());
        // Go 1.21+ adds needspinning; scheddetail's header has no queue list
        Traces.SchedSample d = Traces.parseSched("SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0"
                + " needspinning=0 idlethreads=1 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false")
                .orElseThrow();
        assertTrue(d.detail());
        assertTrue(d.localRunqueues().isEmpty());
        assertTrue(Traces.SCHED_P.matcher("  P0: status=1 schedtick=10 syscalltick=2 m=3 runqsize=0 gfreecnt=0 timerslen=0").matches());
        assertTrue(Traces.SCHED_M.matcher("  M3: p=0 curg=5 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false"
                + " blocked=false lockedg=-1").matches());
        assertTrue(Traces.SCHED_G.matcher("  G1: status=4(chan receive) m=-1 lockedm=-1").matches());
        assertTrue(Traces.SCHED_G.matcher("  G5: status=4(GC worker (idle)) m=nil lockedm=nil").matches());
        // neither header form alone nor a truncated line
        assertTrue(Traces.parseSched("SCHED 5ms: gomaxprocs=4 idleprocs=0 threads=6 spinningthreads=0 idlethreads=1 runqueue=0").isEmpty());
        assertTrue(Traces.parseSched("SCHED 5ms: gomaxprocs=4 idleprocs=0 threads=6").isEmpty());
    }

    @Test
    void goGctraceLinesParse() {
        Traces.GcCycle c = Traces.parseGc("gc 1 @0.012s 2%: 0.015+0.45+0.003 ms clock, 0.060+0.10/0.40/0.95+0.012 ms cpu,"
                + " 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P").orElseThrow();
        assertEquals(1, c.n());
        assertEquals(0.012, c.atSeconds());
        assertEquals(2, c.cpuPercent());
        assertEquals(0.45, c.markClockMs());
        assertEquals(0.018, c.pauseMs(), 1e-12);
        assertEquals(0.40, c.backgroundCpuMs());
        assertEquals(4, c.heapStartMB());
        assertEquals(1, c.liveMB());
        assertEquals(5, c.goalMB());
        assertEquals(4, c.procs());
        assertFalse(c.forced());
        // Go before 1.19 had no stacks and globals; "(forced)" after runtime.GC(); whole-ms times above 10 ms
        Traces.GcCycle old = Traces.parseGc("gc 12 @3.500s 5%: 12+340+1.2 ms clock, 48+0/300/10+4.8 ms cpu,"
                + " 310->320->150 MB, 320 MB goal, 8 P (forced)").orElseThrow();
        assertEquals(-1, old.stacksMB());
        assertTrue(old.forced());
        assertEquals(13.2, old.pauseMs(), 1e-12);
        assertTrue(Traces.parseGc("gc 1 @0.012s 2%: 0.015+0.45 ms clock").isEmpty());
    }

    /** The kernel's sysmon writes schedtrace in Go's format: every line of a real run parses. */
    @Test
    void theKernelsSchedtraceParses() {
        Lab lab = new Lab(StrategyCatalog.serviceLoader(), TestWorkloads.catalog());
        for (String sched : List.of("gmp", "legacy-gm")) {
            RunRecord r = lab.run(RunRequest.of("sleepers", List.of("duration=120"), Selection.parse("sched=" + sched + " procs=2"))
                    .withTraces(new TraceOptions(false, 10, false)));
            assertEquals(RunOutcome.OK, r.outcome(), r.failure());
            List<Traces.SchedSample> samples = Traces.schedSamples(r.trace());
            assertEquals(r.trace().size(), samples.size(), "unparsed: " + r.trace());
            assertTrue(samples.size() >= 3, sched + ": " + r.trace());
            for (Traces.SchedSample s : samples) {
                assertEquals(2, s.gomaxprocs());
                assertEquals(2, s.localRunqueues().size());
                assertTrue(s.idleprocs() <= 2);
            }
        }
    }

    @Test
    void theKernelsScheddetailParses() {
        Lab lab = new Lab(StrategyCatalog.serviceLoader(), TestWorkloads.catalog());
        RunRecord r = lab.run(RunRequest.of("sleepers", List.of("duration=60"), Selection.parse("sched=gmp procs=2"))
                .withTraces(new TraceOptions(false, 10, true)));
        assertEquals(RunOutcome.OK, r.outcome(), r.failure());
        assertFalse(r.trace().isEmpty());
        for (String line : r.trace()) {
            assertTrue(Traces.recognized(line), "not in Go's scheddetail format: '" + line + "'");
        }
        assertTrue(r.trace().stream().anyMatch(l -> Traces.SCHED_P.matcher(l).matches()));
        assertTrue(r.trace().stream().anyMatch(l -> Traces.SCHED_M.matcher(l).matches()));
        assertTrue(r.trace().stream().anyMatch(l -> Traces.SCHED_G.matcher(l).matches()));
        assertTrue(Traces.schedSamples(r.trace()).stream().allMatch(Traces.SchedSample::detail));
    }

    /** Every installed collector writes gctrace in Go's format (runs when a collector and binary-trees are installed). */
    @Test
    void collectorsWriteGctraceInGosFormat() {
        Lab lab = Lab.serviceLoader();
        assumeFalse(lab.strategies().collectors().isEmpty(), "no collector installed");
        assumeTrue(lab.workloads().has("binary-trees"), "workload binary-trees not installed");
        for (var collector : lab.strategies().collectors()) {
            // n=12 outgrows the 4 MiB minimum heap, so every collector runs a few cycles
            RunRecord r = lab.run(RunRequest.of("binary-trees", List.of("n=12"),
                    Selection.parse("gc=" + collector.name() + " procs=2")).withTraces(new TraceOptions(true, 0, false)));
            assertEquals(RunOutcome.OK, r.outcome(), r.failure());
            List<String> gcLines = r.trace().stream().filter(l -> l.startsWith("gc ")).toList();
            assertFalse(gcLines.isEmpty(), collector.name() + " wrote no gctrace line");
            for (String line : gcLines) {
                assertTrue(Traces.parseGc(line).isPresent(), collector.name() + ": not in Go's gctrace format: '" + line + "'");
            }
        }
    }
}
