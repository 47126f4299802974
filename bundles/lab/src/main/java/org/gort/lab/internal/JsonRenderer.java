package org.gort.lab.internal;

import java.util.List;
import java.util.Map;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.Environment;
import org.gort.lab.Interval;
import org.gort.lab.Ratio;
import org.gort.lab.RunRecord;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.gort.lab.Timeline;
import org.gort.lab.Verdict;
import org.gort.api.GcCycle;
import org.gort.api.RunSample;

/**
 * The JSON form: a comparison is one object with its environment, its selections, one record
 * per run (its full selection, outcome and metrics; a comparison leaves out the program's
 * output and trace lines, a single run keeps them) and one per aggregate.
 */
public final class JsonRenderer {
    private JsonRenderer() {
    }

    public static String run(RunRecord r, Environment env) {
        JsonWriter w = new JsonWriter().beginObject().member("kind", "run");
        environment(w, env);
        runBody(w, r, true);
        return w.endObject().toString();
    }

    public static String comparison(Comparison c) {
        JsonWriter w = new JsonWriter();
        comparison(w, c);
        return w.toString();
    }

    public static String scenario(ScenarioReport s) {
        JsonWriter w = new JsonWriter().beginObject()
                .member("kind", "scenario")
                .member("name", s.scenario().name())
                .member("description", s.scenario().description())
                .member("expected", s.scenario().finding());
        w.name("comparisons").beginArray();
        for (Comparison c : s.comparisons()) {
            comparison(w, c);
        }
        w.endArray();
        w.member("finding", s.finding());
        w.member("holds", s.holds());
        w.name("directions").beginArray();
        for (Direction d : s.directions()) {
            w.beginObject().member("claim", d.claim()).member("status", d.status().name())
                    .member("evidence", d.evidence()).endObject();
        }
        w.endArray();
        return w.endObject().toString();
    }

    private static void comparison(JsonWriter w, Comparison c) {
        w.beginObject()
                .member("kind", "comparison")
                .member("workload", c.workload())
                .member("params", c.params())
                .member("warmups", c.warmups())
                .member("repeats", c.repeats())
                .member("baseline", c.baseline().label());
        environment(w, c.environment());
        w.name("selections").beginArray();
        for (Selection s : c.selections()) {
            selection(w, s);
        }
        w.endArray();
        w.name("metrics").beginArray();
        c.metrics().forEach(w::value);
        w.endArray();
        w.name("runs").beginArray();
        for (RunRecord r : c.runs()) {
            w.beginObject();
            runBody(w, r, false);
            w.endObject();
        }
        w.endArray();
        w.name("aggregates").beginArray();
        for (Aggregate a : c.aggregates()) {
            w.beginObject()
                    .member("metric", a.metric())
                    .member("selection", a.label())
                    .member("n", a.n())
                    .member("median", a.median())
                    .member("min", a.min())
                    .member("max", a.max());
            interval(w, "ci", a.interval());
            ratio(w, a.ratio());
            w.endObject();
        }
        w.endArray();
        w.name("verdicts").beginArray();
        for (Verdict v : c.verdicts()) {
            w.beginObject().member("selection", v.label()).member("metric", v.metric()).member("phrase", v.phrase())
                    .member("text", v.text());
            ratio(w, v.ratio());
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }

    private static void runBody(JsonWriter w, RunRecord r, boolean withOutput) {
        w.member("workload", r.workload()).member("params", r.params());
        w.name("selection");
        selection(w, r.selection());
        w.member("round", r.round()).member("warmup", r.warmup())
                .member("outcome", r.outcome().name()).member("failure", r.failure());
        if (withOutput) {
            strings(w, "output", r.output());
            strings(w, "trace", r.trace());
        }
        w.name("metrics").beginObject();
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            w.member(e.getKey(), e.getValue());
        }
        w.endObject();
        if (r.timeline() != null) {
            timeline(w, r.timeline());
        }
    }

    /** The field names of a timeline's sample and cycle rows, in the order each row lists them. */
    static final List<String> SAMPLE_FIELDS = List.of("atNanos", "heapLive", "heapGoal", "gcCycles", "goroutines",
            "runnable", "running", "syscall", "waiting", "psRunning", "psIdle", "psSyscall", "psStopped");
    static final List<String> CYCLE_FIELDS = List.of("number", "collector", "start", "mark", "markTermination", "end",
            "heapStart", "heapMarked", "heapGoal", "maxPauseNanos");

    /** A timeline as rows of numbers (named once in sampleFields / cycleFields), to keep the file small. */
    private static void timeline(JsonWriter w, Timeline t) {
        w.name("timeline").beginObject();
        w.name("sampleFields").beginArray();
        SAMPLE_FIELDS.forEach(w::value);
        w.endArray();
        w.name("samples").beginArray();
        for (RunSample s : t.samples()) {
            w.beginArray().value(s.atNanos()).value(s.heapLive()).value(s.heapGoal()).value(s.gcCycles())
                    .value(s.goroutines()).value(s.runnable()).value(s.running()).value(s.syscall()).value(s.waiting())
                    .value(s.psRunning()).value(s.psIdle()).value(s.psSyscall()).value(s.psStopped()).endArray();
        }
        w.endArray();
        w.name("cycleFields").beginArray();
        CYCLE_FIELDS.forEach(w::value);
        w.endArray();
        w.name("cycles").beginArray();
        for (GcCycle c : t.cycles()) {
            w.beginArray().value(c.number()).value(c.collector()).value(c.start()).value(c.mark()).value(c.markTermination())
                    .value(c.end()).value(c.heapStart()).value(c.heapMarked()).value(c.heapGoal()).value(c.maxPauseNanos())
                    .endArray();
        }
        w.endArray();
        w.member("cyclesSeen", t.cyclesSeen());
        w.name("pauses").beginArray();
        for (Timeline.Percentile p : t.pauses()) {
            w.beginArray().value(p.percentile()).value(p.nanos()).endArray();
        }
        w.endArray();
        w.endObject();
    }

    private static void selection(JsonWriter w, Selection s) {
        w.beginObject()
                .member("label", s.label())
                .member("scheduler", s.scheduler())
                .member("allocator", s.allocator())
                .member("collector", s.collector())
                .member("pacer", s.pacer())
                .member("gomaxprocs", s.gomaxprocs())
                .member("gogc", s.gogc())
                .member("seed", s.seed());
        if (s.maxHeapBytes() != org.gort.api.RuntimeConfig.DEFAULT_MAX_HEAP_BYTES) {
            w.member("maxHeapBytes", s.maxHeapBytes());
        }
        if (s.memoryLimitBytes() != Long.MAX_VALUE) {
            w.member("memoryLimitBytes", s.memoryLimitBytes());
        }
        if (s.maxThreads() != org.gort.api.RuntimeConfig.DEFAULT_MAX_THREADS) {
            w.member("maxThreads", s.maxThreads());
        }
        w.name("properties").beginObject();
        s.properties().forEach(w::member);
        w.endObject();
        w.endObject();
    }

    private static void environment(JsonWriter w, Environment env) {
        w.name("environment").beginObject()
                .member("jdk", env.jdk())
                .member("cores", env.cores())
                .member("os", env.os())
                .member("gort", env.gort())
                .member("started", env.started().toString())
                .endObject();
    }

    private static void interval(JsonWriter w, String name, Interval i) {
        w.name(name).beginObject()
                .member("low", i.low()).member("high", i.high()).member("confidence", i.confidence())
                .endObject();
    }

    private static void ratio(JsonWriter w, Ratio r) {
        w.name("ratio");
        if (r == null) {
            w.value((String) null);
            return;
        }
        w.beginObject().member("estimate", r.estimate());
        interval(w, "interval", r.interval());
        w.endObject();
    }

    private static void strings(JsonWriter w, String name, List<String> lines) {
        w.name(name).beginArray();
        lines.forEach(w::value);
        w.endArray();
    }
}
