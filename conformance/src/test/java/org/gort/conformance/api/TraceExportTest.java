package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.gort.kernel.RuntimeInstance;
import org.gort.lab.json.JsonReader;
import org.gort.spi.gc.CollectorStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The execution trace export ({@link RuntimeConfig.Builder#traceEvents}): the file is valid
 * JSON in the Chrome trace-event format, with one track per P whose goroutine slices account
 * for every schedule and never overlap, stop-the-world spans, the phases of a forced GC
 * cycle, scheduler swaps, a cap that bounds the events and counts the rest, and no recorder
 * at all when the export is off.
 */
class TraceExportTest {
    private static final double EPSILON_US = 1e-6;

    @TempDir
    Path dir;

    static Stream<String> schedulers() {
        return Kit.schedulers();
    }

    static Stream<String> collectors() {
        return Kit.catalog().collectors().stream().map(CollectorStrategy::name).filter(n -> !n.startsWith("test-"));
    }

    /** Every way a slice ends: parks on channels, Gosched, syscalls, exits; and a forced GC cycle. */
    static void program() {
        Chan<Integer> ping = Chan.make();
        Chan<Integer> pong = Chan.make();
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        Go.go(() -> {
            for (int i = 0; i < 2000; i++) {
                pong.send(ping.recv() + 1);
            }
            wg.done();
        });
        for (int i = 0; i < 2000; i++) {
            ping.send(i);
            pong.recv();
            if (i % 100 == 0) {
                Go.gosched();
            }
        }
        wg.await();
        for (int i = 0; i < 4; i++) {
            Go.syscall(() -> {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int i = 0; i < 100; i++) {
            Heap.allocBytes(64);
        }
        Heap.gc();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void oneTrackPerPWhoseSlicesAccountForEverySchedule(String sched) throws IOException {
        Path file = dir.resolve("trace.json");
        RunResult r = Kit.run(Kit.config(sched, 2).traceEvents(file).build(), TraceExportTest::program);
        assertOk(r);
        Trace t = Trace.read(file);

        assertEquals(Set.of("P0", "P1", "GC", "STW"), new HashSet<>(t.threadNames().values()), "a track per P, plus GC and STW");
        int pid = t.num(t.events().get(0), "pid");
        assertTrue(t.events().stream().allMatch(e -> t.num(e, "pid") == pid), "one process: the run");

        List<Map<String, Object>> slices = t.goroutineSlices();
        long resumed = slices.stream().filter(e -> "syscall".equals(t.args(e).get("from"))).count();
        assertEquals(0, t.other("droppedSlices"));
        assertEquals(r.metrics().count("sched.schedules"), slices.size() - resumed,
                "one slice per schedule, plus one per G that resumed after a syscall holding a P");
        assertTrue(resumed <= r.metrics().count("sched.syscalls"));
        for (Map<String, Object> s : slices) {
            int tid = t.num(s, "tid");
            assertTrue(tid == 0 || tid == 1, () -> "a goroutine slice on a P's track: " + s);
            assertEquals("G" + (long) t.num(t.args(s), "goid"), s.get("name"));
            if ("park".equals(t.args(s).get("end"))) {
                assertNotNull(t.args(s).get("reason"), () -> "a park names its wait reason: " + s);
            }
        }
        Set<Object> ends = new HashSet<>();
        slices.forEach(s -> ends.add(t.args(s).get("end")));
        assertTrue(ends.containsAll(List.of("park", "gosched", "syscall", "exit")), () -> "ends seen: " + ends);
        assertTrue(slices.stream().anyMatch(s -> "chan receive".equals(t.args(s).get("reason"))));

        for (int p = 0; p < 2; p++) {
            t.assertNoOverlap(p);
        }
        List<Map<String, Object>> stops = t.onTrack("STW").stream().filter(e -> !"stopping".equals(e.get("name"))).toList();
        assertEquals(r.metrics().count("stw.count"), stops.size(), "a span per stop of the world");
        assertTrue(stops.stream().anyMatch(s -> String.valueOf(s.get("name")).startsWith("GC ")), () -> "GC's stops: " + stops);
        assertEquals(r.metrics().count("trace.events"), t.other("events"));
        assertEquals(t.other("events"), t.kept().size());
        assertEquals(0, r.metrics().count("trace.events.dropped"));
    }

    @ParameterizedTest
    @MethodSource("collectors")
    void theGcTrackShowsEveryPhaseOfAForcedCycle(String collector) throws IOException {
        Path file = dir.resolve("gc.json");
        RunResult r = Kit.run(Kit.config("gmp", 2).collector(collector).traceEvents(file).build(), () -> {
            for (int i = 0; i < 1000; i++) {
                Heap.allocBytes(32);
            }
            Heap.gc();
        });
        assertOk(r);
        Trace t = Trace.read(file);
        t.assertNoOverlap("GC");
        TreeMap<Long, List<String>> byCycle = new TreeMap<>();
        for (Map<String, Object> e : t.sortedByTs(t.onTrack("GC"))) {
            byCycle.computeIfAbsent((long) t.num(t.args(e), "cycle"), k -> new ArrayList<>()).add((String) e.get("name"));
        }
        assertEquals(r.metrics().count("gc.cycles"), byCycle.size(), () -> "the cycles: " + byCycle);
        List<String> forced = byCycle.lastEntry().getValue();
        assertEquals(4, forced.size(), () -> "the forced cycle's phases: " + forced);
        assertEquals("sweep termination", forced.get(0));
        assertTrue(forced.get(1).startsWith("mark"), forced::toString);
        assertEquals("mark termination", forced.get(2));
        assertTrue(forced.get(3).startsWith("sweep"), forced::toString);

        List<Map<String, Object>> stw = t.onTrack("STW");
        List<Map<String, Object>> pauses = stw.stream().filter(e -> !"stopping".equals(e.get("name"))).toList();
        assertTrue(pauses.stream().anyMatch(e -> "GC sweepterm".equals(e.get("name"))), () -> "pauses: " + pauses);
        if (forced.get(1).equals("mark")) { // concurrent marking: a second pause for mark termination
            assertTrue(pauses.stream().anyMatch(e -> "GC markterm".equals(e.get("name"))), () -> "pauses: " + pauses);
        }
        for (Map<String, Object> phase : t.onTrack("GC")) {
            if (Boolean.TRUE.equals(t.args(phase).get("stw"))) {
                assertTrue(pauses.stream().anyMatch(p -> t.contains(p, phase)), () -> "a stop-the-world phase lies in a pause: " + phase);
            }
        }
        for (Map<String, Object> stopping : stw.stream().filter(e -> "stopping".equals(e.get("name"))).toList()) {
            assertTrue(pauses.stream().anyMatch(p -> t.contains(p, stopping)), "time to safepoint nests in its pause");
        }
        for (int p = 0; p < 2; p++) {
            t.assertNoOverlap(p); // idle-mark slices included
        }
    }

    @Test
    void aCapBoundsTheEventsAndCountsWhatItDropped() throws IOException {
        Path file = dir.resolve("capped.json");
        RunResult r = Kit.run(Kit.config("gmp", 2).traceEvents(file).traceEventsLimit(50).build(), () -> {
            pingpong(1000);
        });
        assertOk(r);
        Trace t = Trace.read(file);
        long events = t.kept().size();
        assertTrue(events <= 50, () -> events + " events kept");
        assertEquals(events, r.metrics().count("trace.events"));
        assertEquals(50, t.other("eventLimit"));
        long dropped = t.other("droppedEvents");
        assertTrue(dropped > 0);
        assertEquals(dropped, r.metrics().count("trace.events.dropped"));
        assertEquals(r.metrics().count("sched.schedules"), t.goroutineSlices().size() + t.other("droppedSlices"),
                "the slices kept and the slices dropped make up every schedule");
    }

    @Test
    void keepingTheLastEventsShowsOneWindowThatEndsWithTheRun() throws IOException {
        Path file = dir.resolve("last.json");
        long limit = 400;
        long[] last = new long[1];
        RunResult r = Kit.run(Kit.config("gmp", 2).traceEvents(file).traceEventsLimit(limit).traceKeepLast(true).build(), () -> {
            pingpong(3000);
            Chan<Long> done = Chan.make();
            Go.go(() -> done.send(Go.goid()));
            last[0] = done.recv();
        });
        assertOk(r);
        Trace t = Trace.read(file);
        List<Map<String, Object>> kept = t.kept();
        long chunk = Math.max(16, limit / 8);
        long ms = r.metrics().count("sched.ms.created");
        assertTrue(kept.size() <= limit + chunk * ms, () -> kept.size() + " events kept with " + ms + " Ms");
        assertEquals(kept.size(), r.metrics().count("trace.events"));
        Object keep = t.otherValue("keep");
        assertEquals("last", keep);
        long dropped = t.other("droppedEvents");
        assertTrue(dropped > 0, "the pingpong's early events were dropped");
        assertEquals(dropped, r.metrics().count("trace.events.dropped"));
        double windowStart = t.otherDouble("windowStart");
        assertTrue(windowStart > 0);
        for (Map<String, Object> e : kept) {
            assertTrue((Double) e.get("ts") >= windowStart, () -> "an event before the window: " + e);
        }
        assertTrue(t.goroutineSlices().stream().anyMatch(e -> ("G" + last[0]).equals(e.get("name"))),
                "the goroutine started last is in the trace");
        assertTrue(t.goroutineSlices().stream().noneMatch(e -> (Double) e.get("ts") < windowStart));
        assertEquals(r.metrics().count("sched.schedules"), t.goroutineSlices().size() + t.other("droppedSlices"),
                "the slices kept and the slices dropped make up every schedule");
        for (int p = 0; p < 2; p++) {
            t.assertNoOverlap(p);
        }
    }

    @Test
    void keepingTheLastEventsUnderTheLimitKeepsThemAll() throws IOException {
        Path file = dir.resolve("all.json");
        RunResult r = Kit.run(Kit.config("gmp", 2).traceEvents(file).traceKeepLast(true).build(), () -> {
            pingpong(100);
        });
        assertOk(r);
        Trace t = Trace.read(file);
        assertEquals(0, t.other("droppedEvents"));
        assertEquals(r.metrics().count("sched.schedules"), t.goroutineSlices().size()
                - t.goroutineSlices().stream().filter(e -> "syscall".equals(t.args(e).get("from"))).count());
    }

    @Test
    void aRunInProgressWritesItsTraceSoFarAndRunsOn() throws IOException {
        Path file = dir.resolve("whole.json");
        Path snapshot = dir.resolve("snapshot.json");
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).traceEvents(file).traceKeepLast(true).build(),
                Kit.catalog(), () -> {
                    started.set(true);
                    pingpongUntil(stop, new java.util.concurrent.atomic.AtomicLong());
                });
        while (!started.get() && !h.isDone()) {
            Thread.onSpinWait();
        }
        String written = h.writeTrace(snapshot);
        assertTrue(written.matches("\\d+ events(, \\d+ dropped)?"), written);
        stop.set(true);
        assertOk(h.await(Kit.TIMEOUT));

        Trace snap = Trace.read(snapshot);
        assertFalse(snap.goroutineSlices().isEmpty());
        long inFile = snap.kept().size();
        assertEquals(inFile + " events", written.replaceAll(",.*", ""), "the line counts what the file holds");
        assertEquals("last", snap.otherValue("keep"));
        for (int p = 0; p < 2; p++) {
            snap.assertNoOverlap(p);
        }
        Trace whole = Trace.read(file);
        assertTrue(whole.onTrack("STW").stream().anyMatch(e -> "trace snapshot".equals(e.get("name"))),
                "the copy was made in a stop of the world, which the whole trace shows");
        assertThrows(IllegalStateException.class, () -> h.writeTrace(dir.resolve("late.json")), "the run has ended");
    }

    @Test
    void aSnapshotOfARingThatWrappedIsOneWindowToo() throws IOException {
        Path snapshot = dir.resolve("window.json");
        long limit = 400;
        java.util.concurrent.atomic.AtomicLong trips = new java.util.concurrent.atomic.AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).traceEvents(dir.resolve("w.json")).traceEventsLimit(limit)
                .traceKeepLast(true).build(), Kit.catalog(), () -> {
                    pingpongUntil(stop, trips);
                });
        while (trips.get() < 5_000 && !h.isDone()) {
            Thread.onSpinWait(); // well past the limit: every ring has wrapped
        }
        try {
            h.writeTrace(snapshot);
        } finally {
            stop.set(true);
        }
        assertOk(h.await(Kit.TIMEOUT));
        Trace t = Trace.read(snapshot);
        List<Map<String, Object>> kept = t.kept();
        assertTrue(kept.size() <= limit + Math.max(16, limit / 8) * 8, () -> kept.size() + " events");
        assertTrue(t.other("droppedEvents") > 0);
        double windowStart = t.otherDouble("windowStart");
        for (Map<String, Object> e : kept) {
            assertTrue((Double) e.get("ts") >= windowStart, () -> "an event before the window: " + e);
        }
        for (int p = 0; p < 2; p++) {
            t.assertNoOverlap(p);
        }
    }

    @Test
    void aRunWithoutATraceSaysHowToRecordOne() {
        AtomicBoolean stop = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).build(), Kit.catalog(), () -> {
            while (!stop.get()) {
                Go.gosched();
            }
        });
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.writeTrace(dir.resolve("none.json")));
            assertTrue(e.getMessage().contains("--trace-out"), e::getMessage);
        } finally {
            stop.set(true);
        }
        assertOk(h.await(Kit.TIMEOUT));
    }

    @Test
    void aSchedulerSwapIsAnInstantInsideItsStopOfTheWorld() throws IOException {
        Path file = dir.resolve("swap.json");
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).traceEvents(file).build(), Kit.catalog(), () -> {
            started.set(true);
            while (!stop.get()) {
                Go.gosched();
            }
        });
        while (!started.get() && !h.isDone()) {
            Thread.onSpinWait();
        }
        h.swapScheduler("legacy-gm", "a test");
        stop.set(true);
        assertOk(h.await(Kit.TIMEOUT));
        Trace t = Trace.read(file);
        List<Map<String, Object>> swaps = t.events().stream().filter(e -> "i".equals(e.get("ph"))).toList();
        assertEquals(1, swaps.size(), () -> "instants: " + swaps);
        Map<String, Object> swap = swaps.get(0);
        assertEquals("scheduler gmp -> legacy-gm", swap.get("name"));
        assertEquals("a test", t.args(swap).get("why"));
        assertTrue(t.onTrack("STW").stream().anyMatch(s -> "swap scheduler".equals(s.get("name")) && t.contains(s, swap)),
                "the swap happens with the world stopped");
    }

    @Test
    void aCollectorSwapIsAnInstantOnTheGcTrackBeforeTheCycleItGoverns() throws IOException {
        Path file = dir.resolve("gcswap.json");
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean swapped = new AtomicBoolean();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).collector("hybrid").traceEvents(file).build(), Kit.catalog(), () -> {
            Heap.allocBytes(16); // the heap, and with it the collector, exists from here on
            started.set(true);
            while (!swapped.get()) {
                Go.gosched();
            }
            Heap.gc(); // the first cycle: under the new collector
        });
        while (!started.get() && !h.isDone()) {
            Thread.onSpinWait();
        }
        h.swapCollector("stw", "a test");
        swapped.set(true);
        assertOk(h.await(Kit.TIMEOUT));
        Trace t = Trace.read(file);
        List<Map<String, Object>> swaps = t.events().stream().filter(e -> "i".equals(e.get("ph"))).toList();
        assertEquals(1, swaps.size(), () -> "instants: " + swaps);
        Map<String, Object> swap = swaps.get(0);
        assertEquals("collector hybrid -> stw", swap.get("name"));
        assertEquals("a test", t.args(swap).get("why"));
        assertEquals(t.tid("GC"), ((Number) swap.get("tid")).intValue(), "on the GC track");
        double at = ((Number) swap.get("ts")).doubleValue();
        assertFalse(t.onTrack("GC").isEmpty(), "the cycle's phases are on the GC track");
        assertTrue(t.onTrack("GC").stream().allMatch(e -> ((Number) e.get("ts")).doubleValue() >= at),
                "every phase of the cycle comes after the swap");
    }

    @Test
    void offMeansNoRecorderAndNoTraceMetrics() {
        assertNull(new RuntimeInstance(Kit.config("gmp", 1).build(), Kit.catalog()).traceRecorder());
        assertNotNull(new RuntimeInstance(Kit.config("gmp", 1).traceEvents(dir.resolve("t.json")).build(), Kit.catalog())
                .traceRecorder());
        RunResult r = Kit.run("gmp", 1, () -> Go.gosched());
        assertOk(r);
        assertFalse(r.metrics().has("trace.events"));
        assertFalse(r.metrics().has("trace.events.dropped"));
    }

    @Test
    void aBadPathFailsBeforeTheRunWithOneLine() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().traceEvents(dir.resolve("no/such/dir/t.json")));
        assertEquals("cannot write the trace to " + dir.resolve("no/such/dir/t.json") + ": directory "
                + dir.resolve("no/such/dir") + " does not exist", missing.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IllegalArgumentException isDir = assertThrows(IllegalArgumentException.class,
                () -> RuntimeConfig.builder().traceEvents(sub));
        assertTrue(isDir.getMessage().contains("is a directory"), isDir::getMessage);
        assertFalse(isDir.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.builder().traceEventsLimit(0));
    }

    /** A parsed trace file and the questions the tests ask it. */
    /** {@code n} round trips between two goroutines over an unbuffered channel. */
    private static void pingpong(int n) {
        Chan<Integer> ch = Chan.make();
        Go.go(() -> {
            for (int i = 0; i < n; i++) {
                ch.send(i);
            }
        });
        for (int i = 0; i < n; i++) {
            ch.recv();
        }
    }

    /** Round trips, counted in {@code trips}, until {@code stop} is set. */
    private static void pingpongUntil(AtomicBoolean stop, java.util.concurrent.atomic.AtomicLong trips) {
        Chan<Integer> ch = Chan.make();
        Go.go(() -> {
            for (int i = 0; !stop.get(); i++) {
                ch.send(i);
            }
            ch.close();
        });
        while (ch.recv2().ok()) {
            trips.incrementAndGet();
        }
    }

    record Trace(Map<String, Object> root, List<Map<String, Object>> events) {
        @SuppressWarnings("unchecked")
        static Trace read(Path file) throws IOException {
            Object parsed = JsonReader.parse(Files.readString(file));
            assertTrue(parsed instanceof Map, "a JSON object");
            Map<String, Object> root = (Map<String, Object>) parsed;
            assertEquals("ns", root.get("displayTimeUnit"));
            List<Map<String, Object>> events = new ArrayList<>();
            for (Object o : (List<Object>) root.get("traceEvents")) {
                Map<String, Object> e = (Map<String, Object>) o;
                assertNotNull(e.get("ph"), () -> "an event without ph: " + e);
                if ("X".equals(e.get("ph"))) {
                    assertTrue(((Double) e.get("dur")) >= 0, () -> "a negative duration: " + e);
                    assertTrue(((Double) e.get("ts")) >= 0, () -> "before the run started: " + e);
                }
                events.add(e);
            }
            return new Trace(root, events);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> args(Map<String, Object> e) {
            Object a = e.get("args");
            return a == null ? Map.of() : (Map<String, Object>) a;
        }

        int num(Map<String, Object> e, String key) {
            Object v = e.get(key);
            assertTrue(v instanceof Double, () -> key + " is not a number in " + e);
            return (int) (double) (Double) v;
        }

        @SuppressWarnings("unchecked")
        /** Every event but the metadata. */
        List<Map<String, Object>> kept() {
            return events.stream().filter(e -> !"M".equals(e.get("ph"))).toList();
        }

        Object otherValue(String key) {
            return ((Map<String, Object>) root.get("otherData")).get(key);
        }

        double otherDouble(String key) {
            Object v = otherValue(key);
            assertTrue(v instanceof Double, () -> "otherData." + key + " is not a number: " + v);
            return (Double) v;
        }

        long other(String key) {
            return (long) otherDouble(key);
        }

        /** tid → name, from the thread_name metadata. */
        Map<Integer, String> threadNames() {
            Map<Integer, String> m = new TreeMap<>();
            for (Map<String, Object> e : events) {
                if ("M".equals(e.get("ph")) && "thread_name".equals(e.get("name"))) {
                    assertTrue(m.put(num(e, "tid"), (String) args(e).get("name")) == null, "one name per track");
                }
            }
            return m;
        }

        int tid(String trackName) {
            return threadNames().entrySet().stream().filter(x -> x.getValue().equals(trackName)).findFirst()
                    .orElseThrow(() -> new AssertionError("no track " + trackName)).getKey();
        }

        List<Map<String, Object>> onTrack(String trackName) {
            int tid = tid(trackName);
            return events.stream().filter(e -> "X".equals(e.get("ph")) && num(e, "tid") == tid).toList();
        }

        List<Map<String, Object>> goroutineSlices() {
            return events.stream().filter(e -> "X".equals(e.get("ph")) && "goroutine".equals(e.get("cat"))).toList();
        }

        List<Map<String, Object>> sortedByTs(List<Map<String, Object>> es) {
            List<Map<String, Object>> s = new ArrayList<>(es);
            s.sort(Comparator.comparingDouble(e -> (Double) e.get("ts")));
            return s;
        }

        boolean contains(Map<String, Object> outer, Map<String, Object> inner) {
            double os = (Double) outer.get("ts"), oe = os + (Double) outer.get("dur");
            double is = (Double) inner.get("ts"), ie = is + (inner.get("dur") == null ? 0 : (Double) inner.get("dur"));
            return os <= is + EPSILON_US && ie <= oe + EPSILON_US;
        }

        void assertNoOverlap(int p) {
            assertNoOverlap("P" + p);
        }

        void assertNoOverlap(String trackName) {
            double end = -1;
            Map<String, Object> previous = null;
            for (Map<String, Object> e : sortedByTs(onTrack(trackName))) {
                double ts = (Double) e.get("ts");
                Map<String, Object> prev = previous;
                assertTrue(ts + EPSILON_US >= end, () -> trackName + ": " + e + " overlaps " + prev);
                end = ts + (Double) e.get("dur");
                previous = e;
            }
        }
    }
}
