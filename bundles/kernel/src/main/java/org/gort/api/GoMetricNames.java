package org.gort.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code runtime/metrics} names (Go 1.16+) of the run metrics that have one: what a Go user
 * reads from {@code metrics.Read} or {@code GODEBUG}-style dumps, beside gort's dotted name.
 * Only metrics with the same meaning in both are mapped; a gort metric without a Go
 * counterpart (a lock's contention, a barrier's executions) has none.
 */
public final class GoMetricNames {
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("alloc.bytes", "/gc/heap/allocs:bytes");
        NAMES.put("alloc.objects", "/gc/heap/allocs:objects");
        NAMES.put("alloc.bytes.freed", "/gc/heap/frees:bytes");
        NAMES.put("alloc.frees", "/gc/heap/frees:objects");
        NAMES.put("alloc.tiny", "/gc/heap/tiny/allocs:objects");
        NAMES.put("alloc.bytes.inuse", "/memory/classes/heap/objects:bytes");
        NAMES.put("alloc.bytes.committed", "/memory/classes/total:bytes");
        NAMES.put("heap.released.bytes", "/memory/classes/heap/released:bytes");
        NAMES.put("gc.cycles", "/gc/cycles/total:gc-cycles");
        NAMES.put("gc.cycles.forced", "/gc/cycles/forced:gc-cycles");
        NAMES.put("gc.heap.goal.bytes", "/gc/heap/goal:bytes");
        NAMES.put("gc.heap.marked.bytes", "/gc/heap/live:bytes");
        NAMES.put("gc.pause.total.ns", "/sched/pauses/total/gc:seconds");
        NAMES.put("gc.cpu.ns", "/cpu/classes/gc/total:cpu-seconds");
        NAMES.put("gc.mark.cpu.assist.ns", "/cpu/classes/gc/mark/assist:cpu-seconds");
        NAMES.put("gc.mark.cpu.background.ns", "/cpu/classes/gc/mark/dedicated:cpu-seconds");
        NAMES.put("gc.mark.cpu.idle.ns", "/cpu/classes/gc/mark/idle:cpu-seconds");
        NAMES.put("gc.scavenge.cpu.ns", "/cpu/classes/scavenge/total:cpu-seconds");
        NAMES.put("gc.gogc", "/gc/gogc:percent");
        NAMES.put("gc.memory.limit.bytes", "/gc/gomemlimit:bytes");
        NAMES.put("run.goroutines.left", "/sched/goroutines:goroutines");
        NAMES.put("sched.goroutines.created", "/sched/goroutines-created:goroutines");
        NAMES.put("run.gomaxprocs", "/sched/gomaxprocs:threads");
        NAMES.put("sched.latency.ns", "/sched/latencies:seconds");
        NAMES.put("sched.lock.wait.ns", "/sync/mutex/wait/total:seconds");
    }

    private GoMetricNames() {
    }

    /** The {@code runtime/metrics} name of gort metric {@code name}, or null when Go has none. */
    public static String of(String name) {
        return NAMES.get(name);
    }

    /** Every mapping, gort name to Go name, in a stable order. */
    public static Map<String, String> all() {
        return Collections.unmodifiableMap(NAMES);
    }
}
