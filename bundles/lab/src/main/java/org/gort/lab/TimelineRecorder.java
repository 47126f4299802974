package org.gort.lab;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.gort.api.GcCycle;
import org.gort.api.Metrics;
import org.gort.api.RunHandle;
import org.gort.api.RunSample;

/**
 * Records a {@link Timeline} of a running program from a thread of its own: it polls
 * {@link RunHandle#sample()} and {@link RunHandle#gcCycles} until the run ends or
 * {@link #finish} is called.
 *
 * <p>Spacing and down-sampling. Samples start 1 ms apart. When {@link Timeline#MAX_SAMPLES}
 * are held, every other one is dropped and the spacing doubles, so a run of any length ends
 * with between half and all of that many, evenly spaced; a sample is never taken sooner than
 * twenty times the CPU time the last one cost (a walk of a million goroutines is not repeated
 * every millisecond), which keeps the recorder's share of a core near 5% at most. GC cycles are kept
 * the same way: past {@link Timeline#MAX_CYCLES} every other is dropped and only every
 * second, fourth ... later cycle is kept.
 *
 * <p>Implementation notes. The lists belong to the recorder's thread until {@link #finish}
 * joins it; the handle's reads are weakly consistent (see {@link RunSample}).
 */
public final class TimelineRecorder {
    private static final long FIRST_INTERVAL_NANOS = 1_000_000;
    private static final int COST_FACTOR = 20;
    private static final int PERCENTILE_TICKS = 5;

    private final RunHandle handle;
    private final int maxSamples;
    private final Thread thread;
    private final List<RunSample> samples = new ArrayList<>();
    private final List<GcCycle> cycles = new ArrayList<>();
    private volatile boolean stopped;
    private long interval = FIRST_INTERVAL_NANOS;
    private long lastCycle;
    private long cyclesSeen;
    private long cycleStride = 1;

    private TimelineRecorder(RunHandle handle, int maxSamples) {
        this.handle = handle;
        this.maxSamples = maxSamples;
        this.thread = new Thread(this::loop, "gort-timeline");
        thread.setDaemon(true);
    }

    /** Starts recording {@code handle}'s program; call {@link #finish} once it has ended. */
    public static TimelineRecorder start(RunHandle handle) {
        return start(handle, Timeline.MAX_SAMPLES);
    }

    /** Recording that keeps at most {@code maxSamples} (tests use a small cap to see the thinning). */
    static TimelineRecorder start(RunHandle handle, int maxSamples) {
        TimelineRecorder r = new TimelineRecorder(handle, maxSamples);
        r.thread.start();
        return r;
    }

    private void loop() {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        boolean cpuTime = cpu.isCurrentThreadCpuTimeSupported();
        for (boolean first = true; !stopped && !handle.isDone(); first = false) {
            long t0 = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
            try {
                add(handle.sample());
                takeCycles();
            } catch (RuntimeException e) {
                return; // the run is ending under us; what was taken stays
            }
            // A sample's cost is this thread's CPU time, not the time it took: on a loaded
            // machine a sample descheduled half-way must not stretch the spacing. The first
            // sample pays for loading the classes it uses and does not set it either (on a
            // short run it left a single sample, taken before the heap existed).
            long cost = (cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime()) - t0;
            LockSupport.parkNanos(first ? interval : Math.max(interval, cost * COST_FACTOR));
        }
    }

    private void add(RunSample s) {
        if (samples.size() >= maxSamples) {
            halve(samples);
            interval *= 2;
        }
        samples.add(s);
    }

    private void takeCycles() {
        for (GcCycle c : handle.gcCycles(lastCycle)) {
            lastCycle = c.number();
            cyclesSeen++;
            if (c.number() % cycleStride != 0) {
                continue;
            }
            if (cycles.size() >= Timeline.MAX_CYCLES) {
                halve(cycles);
                cycleStride *= 2;
                if (c.number() % cycleStride != 0) {
                    continue;
                }
            }
            cycles.add(c);
        }
    }

    private static <T> void halve(List<T> list) {
        List<T> kept = new ArrayList<>(list.size() / 2 + 1);
        for (int i = 0; i < list.size(); i += 2) {
            kept.add(list.get(i));
        }
        list.clear();
        list.addAll(kept);
    }

    /**
     * Stops recording and returns the timeline, with the pause distribution from the run's
     * {@code stw.pause.ns} histogram in {@code metrics} (null or absent: no distribution).
     */
    public Timeline finish(Metrics metrics) {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            takeCycles(); // the last cycles, which the run may have completed after the last sample
        } catch (RuntimeException e) {
            // the run's memory is gone; the cycles taken so far stay
        }
        return new Timeline(samples, cycles, cyclesSeen, percentiles(metrics, "stw.pause.ns"));
    }

    /** HdrHistogram's percentile distribution (as its {@code outputPercentileDistribution}), in ns. */
    static List<Timeline.Percentile> percentiles(Metrics metrics, String name) {
        List<Timeline.Percentile> out = new ArrayList<>();
        if (metrics == null || metrics.histogram(name) == null) {
            return out;
        }
        Histogram h = metrics.histogram(name);
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (HistogramIterationValue v : h.percentiles(PERCENTILE_TICKS)) {
            out.add(new Timeline.Percentile(v.getPercentileLevelIteratedTo(), h.highestEquivalentValue(v.getValueIteratedTo())));
        }
        return out;
    }
}
