package org.gort.api;

/**
 * Go's {@code runtime.MemStats} with Go's field names, from {@link Heap#readMemStats()} in a
 * program or {@link RunHandle#memStats()} from outside. The heap is the managed heap: {@code Sys}
 * and {@code HeapSys} are its committed bytes (goroutine stacks and channels live on the JVM heap,
 * which Go would count in {@code StackSys} and {@code OtherSys}).
 *
 * @param alloc         bytes of allocated heap objects ({@code HeapAlloc})
 * @param totalAlloc    cumulative bytes allocated
 * @param sys           bytes obtained from the system (the managed heap's committed bytes)
 * @param mallocs       cumulative objects allocated
 * @param frees         cumulative objects freed
 * @param heapAlloc     as {@code alloc}
 * @param heapSys       heap bytes obtained from the system
 * @param heapIdle      committed bytes in no span in use
 * @param heapInuse     bytes in spans in use
 * @param heapReleased  bytes given back to the operating system
 * @param heapObjects   objects allocated and not yet freed
 * @param nextGC        the heap goal of the next cycle
 * @param lastGC        when the last cycle ended, in nanoseconds since 1970 (0 before the first)
 * @param pauseTotalNs  the collector's stop-the-world time in total
 * @param pauseNs       the last 256 cycles' stop-the-world time, cycle n at {@code [(n + 255) % 256]}
 * @param pauseEnd      when each of those cycles' pauses ended, nanoseconds since 1970, same index
 * @param numGC         completed cycles
 * @param numForcedGC   cycles forced by {@code runtime.GC()}
 * @param gcCPUFraction the share of the CPU the collector has used since the program started
 * @param bySize        per size class: {@code {Size, Mallocs, Frees}} (Go's {@code BySize}, 61 entries)
 */
public record GoMemStats(long alloc, long totalAlloc, long sys, long mallocs, long frees,
                         long heapAlloc, long heapSys, long heapIdle, long heapInuse, long heapReleased, long heapObjects,
                         long nextGC, long lastGC, long pauseTotalNs, long[] pauseNs, long[] pauseEnd,
                         long numGC, long numForcedGC, double gcCPUFraction, long[][] bySize) {

    /** Go's {@code len(MemStats.BySize)}. */
    public static final int SIZE_CLASSES = 61;

    /**
     * The {@code # runtime.MemStats} block Go appends to a heap profile written with
     * {@code debug=1}, one field a line, as {@code go tool pprof} users read it.
     */
    public String format() {
        StringBuilder sb = new StringBuilder("# runtime.MemStats\n");
        line(sb, "Alloc", alloc);
        line(sb, "TotalAlloc", totalAlloc);
        line(sb, "Sys", sys);
        line(sb, "Lookups", 0);
        line(sb, "Mallocs", mallocs);
        line(sb, "Frees", frees);
        line(sb, "HeapAlloc", heapAlloc);
        line(sb, "HeapSys", heapSys);
        line(sb, "HeapIdle", heapIdle);
        line(sb, "HeapInuse", heapInuse);
        line(sb, "HeapReleased", heapReleased);
        line(sb, "HeapObjects", heapObjects);
        line(sb, "NextGC", nextGC);
        line(sb, "LastGC", lastGC);
        sb.append("# PauseNs = ").append(java.util.Arrays.toString(pauseNs).replace(",", "")).append('\n');
        sb.append("# PauseEnd = ").append(java.util.Arrays.toString(pauseEnd).replace(",", "")).append('\n');
        line(sb, "NumGC", numGC);
        line(sb, "NumForcedGC", numForcedGC);
        sb.append("# GCCPUFraction = ").append(gcCPUFraction).append('\n');
        sb.append("# DebugGC = false\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, long v) {
        sb.append("# ").append(name).append(" = ").append(v).append('\n');
    }
}
