package org.gort.lab.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each metric is called in a sentence, and how its values are written for people. The
 * names are the runtime's (docs/lab.md lists them); a metric not listed here is called by its
 * name. A metric is time-like when its name ends in {@code .ns}, a size when it names bytes.
 */
public final class MetricGuide {
    private static final Map<String, String> PHRASES = new TreeMap<>();

    static {
        phrase("run.wall.ns", "wall time");
        phrase("sched.schedules", "schedules");
        phrase("sched.goroutines.created", "goroutines created");
        phrase("sched.migrations", "migrations");
        phrase("sched.preempt.requests", "preemption requests");
        phrase("sched.preemptions", "preemptions");
        phrase("sched.handoffs", "P hand-offs");
        phrase("sched.retakes", "P retakes");
        phrase("sched.ms.created", "Ms created");
        phrase("sched.m.parks", "M parks");
        phrase("sched.m.wakes", "M wake-ups");
        phrase("sched.syscalls", "syscalls");
        phrase("sched.steals", "steals");
        phrase("sched.stolen", "goroutines stolen");
        phrase("sched.idlep.ns", "idle-P time");
        phrase("sched.lock.acquisitions", "scheduler lock acquisitions");
        phrase("sched.lock.contended", "contended scheduler lock acquisitions");
        phrase("sched.lock.wait.ns", "scheduler lock wait");
        phrase("sched.latency.p50.ns", "median scheduling latency");
        phrase("sched.latency.p99.ns", "p99 scheduling latency");
        phrase("sched.latency.max.ns", "max scheduling latency");
        phrase("stw.count", "stop-the-world pauses");
        phrase("stw.pause.max.ns", "max pause");
        phrase("stw.pause.p50.ns", "median pause");
        phrase("stw.pause.p99.ns", "p99 pause");
        phrase("stw.ttsp.max.ns", "max time to safepoint");
        phrase("stw.reclaimed.ps", "Ps a stop took back from a waking M");
        phrase("alloc.objects", "objects allocated");
        phrase("alloc.bytes", "bytes allocated");
        phrase("alloc.bytes.waste", "internal waste");
        phrase("alloc.bytes.committed", "heap committed");
        phrase("alloc.refills", "cache refills");
        phrase(Derived.SCHED_LOCK_PER_SCHEDULE, "scheduler lock acquisitions per schedule");
        phrase(Derived.SCHED_MIGRATIONS_PER_SCHEDULE, "migrations per schedule");
        phrase(Derived.SCHED_HANDOFFS_PER_SYSCALL, "hand-offs per syscall");
        phrase(Derived.SCHED_PREEMPTIONS_PER_SCHEDULE, "preemptions per schedule");
        phrase(Derived.ALLOC_LOCK_PER_ALLOC, "allocator lock acquisitions per allocation");
        phrase(Derived.ALLOC_NS_PER_ALLOC, "wall time per allocation");
        phrase(Derived.ALLOC_WASTE_FRACTION, "internal waste fraction");
        phrase(Derived.GC_SHADED_PER_BARRIER, "objects shaded per barrier execution");
        phrase(Derived.GC_FLOATING_PER_MARKED, "floating objects per marked object");
        phrase(Derived.GC_ASSIST_FRACTION, "assists' share of GC CPU");
        phrase(Derived.GC_CPU_FRACTION, "GC CPU fraction");
        phrase("gc.goal.ratio.mean", "heap at mark termination / goal (mean)");
        phrase("gc.goal.ratio.max", "heap at mark termination / goal (worst)");
        phrase("heap.retained.max.bytes", "peak heap memory retained");

        phrase("gc.pause.max.ns", "max collector pause");
        phrase("gc.barrier.executions", "barrier executions");
        phrase("gc.floating.bytes", "floating garbage");
        phrase("gc.marked.in.pause.max", "objects marked in one pause");
        phrase("gc.pause.root.slots.max", "root slots read in one pause");
        phrase("gc.pause.goroutines.max", "goroutines looked at in one pause");
        phrase("gc.assist.parks", "assists parked");
        phrase("gc.scavenge.released.bytes", "memory the scavenger gave back");
        phrase("heap.released.bytes", "heap memory released to the OS");
        phrase("heap.retained.bytes", "heap memory retained");
    }

    private MetricGuide() {
    }

    private static void phrase(String metric, String words) {
        PHRASES.put(metric, words);
    }

    /** How a verdict names {@code metric}: "max pause" for {@code stw.pause.max.ns}. */
    public static String phrase(String metric) {
        return PHRASES.getOrDefault(metric, metric);
    }

    public static boolean timeLike(String metric) {
        return metric.endsWith(".ns");
    }

    static boolean bytes(String metric) {
        return metric.contains("bytes");
    }

    /** A ratio ("locks per schedule", a fraction): always three significant digits, 3.00 not 3. */
    static boolean ratioLike(String metric) {
        return metric.contains(".per.") || metric.endsWith(".fraction");
    }

    /** A value as people read it: {@code 12.3 ms}, {@code 4.0 MiB}, {@code 1,024}, {@code 0.0125}. */
    public static String format(String metric, double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (timeLike(metric)) {
            return duration(v);
        }
        if (bytes(metric) && Math.abs(v) >= 1024) {
            return size(v);
        }
        if (ratioLike(metric)) {
            return significant(v);
        }
        return number(v);
    }

    /** A plain number: from 1000 up rounded and grouped by thousands, below to three significant digits. */
    public static String number(double v) {
        if (Math.abs(v) >= 1000 && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return significant(v);
    }

    public static String duration(double ns) {
        double a = Math.abs(ns);
        if (a < 1e3) {
            return significant(ns) + " ns";
        }
        if (a < 1e6) {
            return significant(ns / 1e3) + " µs";
        }
        if (a < 1e9) {
            return significant(ns / 1e6) + " ms";
        }
        return significant(ns / 1e9) + " s";
    }

    static String size(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = b;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return significant(v) + " " + units[u];
    }

    /** Three significant digits, without an exponent for everyday magnitudes. */
    public static String significant(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        int digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 2 - (int) Math.floor(Math.log10(a));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
