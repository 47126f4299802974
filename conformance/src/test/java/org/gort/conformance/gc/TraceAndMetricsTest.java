package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Metrics;
import org.gort.api.Params;
import org.gort.api.RunResult;
import org.gort.api.Roots;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gctrace} prints one line per cycle in Go's format, with {@code (forced)} after an
 * explicit {@code runtime.GC()}; and a run reports the collector's {@code gc.*} metrics.
 */
class TraceAndMetricsTest {
    static final Type CELL = Type.register("trace.Cell", 1, 16);
    /** Go's line: gc # @#s #%: #+#+# ms clock, #+#/#/#+# ms cpu, #->#-># MB, # MB goal, # MB stacks, # MB globals, # P */
    static final Pattern GCTRACE = Pattern.compile(
            "gc (\\d+) @\\d+\\.\\d{3}s \\d+%: [\\d.]+\\+[\\d.]+\\+[\\d.]+ ms clock, "
                    + "[\\d.]+\\+[\\d.]+/[\\d.]+/[\\d.]+\\+[\\d.]+ ms cpu, \\d+->\\d+->\\d+ MB, \\d+ MB goal, "
                    + "\\d+ MB stacks, \\d+ MB globals, 2 P( \\(forced\\))?");

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    @ParameterizedTest
    @MethodSource("collectors")
    void gctraceLinesAndMetrics(String collector) {
        Workload w = BinaryTreesTest.binaryTrees();
        Params p = w.params(List.of("n=10"));
        List<String> trace = new CopyOnWriteArrayList<>();
        RunResult r = GcKit.run(GcKit.config(collector, 2).gogc(10).gctrace(true).trace(trace::add)
                .property("gc.floating", "true").build(), () -> {
                    // Beside binary-trees, a goroutine that stores pointers without allocating:
                    // allocation waits while a cycle starts, and on a loaded machine a short
                    // mark can pass before binary-trees runs again, but this one keeps storing.
                    AtomicBoolean stop = new AtomicBoolean();
                    WaitGroup storer = new WaitGroup();
                    storer.add(1);
                    Go.go(() -> {
                        int f = Roots.push(2);
                        Roots.set(f, Heap.alloc(CELL));
                        Roots.set(f + 1, Heap.alloc(CELL));
                        for (long i = 0; !stop.get(); i++) {
                            Heap.storePtr(Roots.get(f), 0, (i & 1) == 0 ? Roots.get(f + 1) : 0);
                            Go.checkpoint();
                        }
                        Roots.pop(f);
                        storer.done();
                    });
                    w.main(p);
                    // binary-trees at n=10 runs few cycles, and a mark made short by a fast
                    // drainer can pass while every mutator is off its P: main goes on
                    // allocating and storing a pointer after each allocation until 20 more
                    // cycles have completed, so that some cycle's mark sees a store.
                    long cycles = Heap.readMemStats().numGC() + 20;
                    int f = Roots.push(1);
                    Roots.set(f, Heap.alloc(CELL));
                    for (long i = 1; (i & 1023) != 0 || Heap.readMemStats().numGC() < cycles; i++) {
                        Heap.storePtr(Roots.get(f), 0, Heap.alloc(CELL));
                    }
                    Roots.pop(f);
                    stop.set(true);
                    storer.await();
                    Heap.gc();
                });
        GcKit.assertOk(r);
        List<String> gc = trace.stream().filter(l -> l.startsWith("gc ")).toList();
        Metrics m = r.metrics();
        assertEquals(m.count("gc.cycles"), gc.size(), () -> "one line per cycle: " + trace);
        for (int i = 0; i < gc.size(); i++) {
            String line = gc.get(i);
            assertTrue(GCTRACE.matcher(line).matches(), () -> "not Go's gctrace format: " + line);
            assertTrue(line.startsWith("gc " + (i + 1) + " @"), () -> "cycles are numbered from 1: " + line);
        }
        assertTrue(gc.get(gc.size() - 1).endsWith(" (forced)"), () -> "runtime.GC() is marked forced: " + gc);
        assertEquals(1, m.count("gc.cycles.forced"));

        for (String name : List.of("gc.pause.max.ns", "gc.pause.total.ns", "gc.ttsp.max.ns", "gc.mark.cpu.background.ns",
                "gc.mark.cpu.assist.ns", "gc.mark.cpu.idle.ns", "gc.barrier.executions", "gc.marked.objects",
                "gc.marked.bytes", "gc.marked.in.pause", "gc.floating.objects", "gc.floating.bytes",
                "gc.heap.live.max.bytes", "gc.heap.goal.bytes", "gc.pause.root.slots")) {
            assertTrue(m.has(name), () -> "missing metric " + name + "; have " + m.values().keySet());
        }
        for (String h : List.of("gc.pause.ns", "gc.pause.sweepterm.ns", "gc.pause.markterm.ns", "gc.ttsp.ns", "gc.heap.live.bytes")) {
            assertNotNull(m.histogram(h), () -> "missing histogram " + h + "; have " + m.histograms().keySet());
        }
        assertEquals(m.count("gc.pause.count"), m.histogram("gc.pause.ns").getTotalCount());
        assertTrue(m.get("gc.marked.objects") > 0);
        if (collector.equals("stw")) {
            assertEquals(0, m.count("gc.barrier.executions"), "the stop-the-world collector needs no barrier");
            assertEquals(m.count("gc.cycles"), m.count("gc.pause.count"), "one pause per cycle");
            assertEquals(m.count("gc.marked.objects"), m.count("gc.marked.in.pause"), "everything is marked in the pause");
        } else {
            assertTrue(m.count("gc.barrier.executions") > 0, () -> collector + " ran its barrier");
            assertEquals(2 * m.count("gc.cycles"), m.count("gc.pause.count"), "two pauses per cycle");
            assertTrue(m.get("gc.mark.cpu.background.ns") + m.get("gc.mark.cpu.idle.ns") + m.get("gc.mark.cpu.assist.ns") > 0);
        }

        // The pause that ends marking stops its clock before the world restarts, as Go's
        // gcMarkTermination does; the kernel times the same stop to the restart's last wake-up
        // (stw.pause.total.ns), and the other pauses as gcStart does, to the same point. So the
        // collector's total is under the kernel's by every mark termination's restart, and
        // would equal it if that pause counted its restart.
        assertEquals(m.count("gc.pause.count"), m.count("stw.count"), "every stop of this run is the collector's");
        long kernelTotal = m.count("stw.pause.total.ns");
        long gcTotal = m.count("gc.pause.total.ns");
        assertTrue(gcTotal < kernelTotal, () -> "the pauses that end marking leave out the restart: collector "
                + gcTotal + " ns, kernel " + kernelTotal + " ns over " + m.count("stw.count") + " stops");
    }
}
