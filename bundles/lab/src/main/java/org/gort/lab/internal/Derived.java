package org.gort.lab.internal;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.gort.api.Metrics;

/**
 * The metrics the lab adds to every run: summaries of the runtime's latency histograms, and
 * the per-event ratios the comparisons of docs/workloads.md are stated in ("lock acquisitions
 * per schedule", "per allocation", "shades per barrier"), under {@code lab.*}. A ratio is added only when both of
 * its counters were reported and the denominator is not zero.
 */
public final class Derived {
    public static final String SCHED_LOCK_PER_SCHEDULE = "lab.sched.lock.per.schedule";
    public static final String SCHED_MIGRATIONS_PER_SCHEDULE = "lab.sched.migrations.per.schedule";
    public static final String SCHED_PREEMPTIONS_PER_SCHEDULE = "lab.sched.preemptions.per.schedule";
    public static final String SCHED_HANDOFFS_PER_SYSCALL = "lab.sched.handoffs.per.syscall";
    public static final String ALLOC_LOCK_ACQUISITIONS = "lab.alloc.lock.acquisitions";
    public static final String ALLOC_LOCK_PER_ALLOC = "lab.alloc.lock.per.alloc";
    public static final String ALLOC_NS_PER_ALLOC = "lab.wall.per.alloc.ns";
    public static final String ALLOC_WASTE_FRACTION = "lab.alloc.waste.fraction";
    public static final String GC_SHADED_PER_BARRIER = "lab.gc.shaded.per.barrier";
    public static final String GC_FLOATING_PER_MARKED = "lab.gc.floating.per.marked";
    /** The assists' share of the collector's CPU time. */
    public static final String GC_ASSIST_FRACTION = "lab.gc.assist.fraction";
    /** The collector's CPU time over the run's (wall time × GOMAXPROCS): Go's GCCPUFraction. */
    public static final String GC_CPU_FRACTION = "lab.gc.cpu.fraction";

    private Derived() {
    }

    /** Every value the run reported, its histograms' summaries, and the lab's ratios. */
    public static SortedMap<String, Double> of(Metrics raw) {
        SortedMap<String, Double> m = new TreeMap<>(raw.values());
        for (Map.Entry<String, Histogram> e : raw.histograms().entrySet()) {
            summarize(m, e.getKey(), e.getValue());
        }
        ratio(m, SCHED_LOCK_PER_SCHEDULE, "sched.lock.acquisitions", "sched.schedules");
        ratio(m, SCHED_MIGRATIONS_PER_SCHEDULE, "sched.migrations", "sched.schedules");
        ratio(m, SCHED_PREEMPTIONS_PER_SCHEDULE, "sched.preemptions", "sched.schedules");
        ratio(m, SCHED_HANDOFFS_PER_SYSCALL, "sched.handoffs", "sched.syscalls");
        double allocLocks = 0;
        boolean anyAllocLock = false;
        for (Map.Entry<String, Double> e : raw.values().entrySet()) {
            if (e.getKey().startsWith("alloc.lock.") && e.getKey().endsWith(".acquisitions")) {
                allocLocks += e.getValue();
                anyAllocLock = true;
            }
        }
        if (anyAllocLock) {
            m.put(ALLOC_LOCK_ACQUISITIONS, allocLocks);
            ratio(m, ALLOC_LOCK_PER_ALLOC, ALLOC_LOCK_ACQUISITIONS, "alloc.objects");
        }
        ratio(m, ALLOC_NS_PER_ALLOC, "run.wall.ns", "alloc.objects");
        ratio(m, ALLOC_WASTE_FRACTION, "alloc.bytes.waste", "alloc.bytes");
        ratio(m, GC_SHADED_PER_BARRIER, "gc.barrier.shaded", "gc.barrier.executions");
        ratio(m, GC_FLOATING_PER_MARKED, "gc.floating.objects", "gc.marked.objects");
        ratio(m, GC_ASSIST_FRACTION, "gc.mark.cpu.assist.ns", "gc.cpu.ns");
        Double wall = m.get("run.wall.ns");
        Double procs = m.get("run.gomaxprocs");
        if (wall != null && procs != null && m.containsKey("gc.cpu.ns") && wall * procs > 0) {
            m.put(GC_CPU_FRACTION, m.get("gc.cpu.ns") / (wall * procs));
        }
        return m;
    }

    /** {@code x.ns} histogram → {@code x.count}, {@code x.p50.ns}, {@code x.p99.ns}, {@code x.max.ns}, {@code x.mean.ns}, unless reported already. */
    private static void summarize(SortedMap<String, Double> m, String name, Histogram h) {
        if (h == null) {
            return;
        }
        String base = name.endsWith(".ns") ? name.substring(0, name.length() - 3) : name;
        String unit = name.endsWith(".ns") ? ".ns" : "";
        m.putIfAbsent(base + ".count", (double) h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return;
        }
        m.putIfAbsent(base + ".p50" + unit, (double) h.getValueAtPercentile(50));
        m.putIfAbsent(base + ".p99" + unit, (double) h.getValueAtPercentile(99));
        m.putIfAbsent(base + ".max" + unit, (double) h.getMaxValue());
        m.putIfAbsent(base + ".mean" + unit, h.getMean());
    }

    private static void ratio(SortedMap<String, Double> m, String name, String numerator, String denominator) {
        Double a = m.get(numerator);
        Double b = m.get(denominator);
        if (a != null && b != null && b != 0) {
            m.put(name, a / b);
        }
    }
}
