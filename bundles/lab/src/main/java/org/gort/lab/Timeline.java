package org.gort.lab;

import java.util.List;
import org.gort.api.GcCycle;
import org.gort.api.RunSample;

/**
 * A run over its time, for the HTML report: samples of the heap, goroutines and Ps taken while
 * it ran (at most {@link #MAX_SAMPLES}: a long run is sampled more sparsely, never more
 * often), its GC cycles with their phase times (at most {@link #MAX_CYCLES}, evenly thinned
 * beyond), and the distribution of its stop-the-world pauses as HdrHistogram percentiles.
 *
 * @param samples      in time order
 * @param cycles       in order; {@code cyclesSeen} counts those thinned out too
 * @param cyclesSeen   GC cycles the sampler saw complete
 * @param pauses       the pause distribution: (percentile, nanoseconds) from the run's
 *                     {@code stw.pause.ns} histogram, percentile rising; empty without pauses
 */
public record Timeline(List<RunSample> samples, List<GcCycle> cycles, long cyclesSeen, List<Percentile> pauses) {
    public static final int MAX_SAMPLES = 2000;
    public static final int MAX_CYCLES = 2000;

    /** One point of a percentile distribution: {@code percentile} in [0, 100], its value in nanoseconds. */
    public record Percentile(double percentile, long nanos) {
    }

    public Timeline {
        samples = List.copyOf(samples);
        cycles = List.copyOf(cycles);
        pauses = List.copyOf(pauses);
    }
}
