package org.gort.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A side-by-side comparison to make: one workload, two or more selections (the first is the
 * baseline every ratio is taken against), {@code warmups} rounds that are run and discarded,
 * then {@code repeats} measured rounds, each round running every selection once in order
 * (A B C A B C ...) so that drift in the machine hits all of them alike.
 *
 * @param metrics the metrics to show and to compute ratios for besides the time-like ones;
 *                empty shows every metric that is not zero in every run
 * @param timelines records every run's {@link Timeline} (for the HTML report)
 */
public record CompareRequest(String workload, List<String> args, List<Selection> selections,
                             int warmups, int repeats, TraceOptions traces, Duration timeout,
                             List<String> metrics, boolean timelines) {
    public static final int DEFAULT_WARMUPS = 1;
    /** Enough for a distribution-free 95% interval of the median (7 runs: min–max, 98.4%). */
    public static final int DEFAULT_REPEATS = 7;

    public CompareRequest {
        Objects.requireNonNull(workload, "workload");
        args = List.copyOf(args);
        selections = List.copyOf(selections);
        if (selections.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one selection");
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-up rounds must be >= 0, got " + warmups);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("measured rounds must be >= 1, got " + repeats);
        }
        Objects.requireNonNull(traces, "traces");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the run timeout must be positive, got " + timeout);
        }
        metrics = List.copyOf(metrics);
    }

    public CompareRequest(String workload, List<String> args, List<Selection> selections, int warmups, int repeats,
                          TraceOptions traces, Duration timeout, List<String> metrics) {
        this(workload, args, selections, warmups, repeats, traces, timeout, metrics, false);
    }

    public static CompareRequest of(String workload, List<String> args, List<Selection> selections) {
        return new CompareRequest(workload, args, selections, DEFAULT_WARMUPS, DEFAULT_REPEATS,
                TraceOptions.NONE, RunRequest.DEFAULT_TIMEOUT, List.of());
    }

    public CompareRequest withRounds(int warmupRounds, int measuredRounds) {
        return new CompareRequest(workload, args, selections, warmupRounds, measuredRounds, traces, timeout, metrics, timelines);
    }

    public CompareRequest withTraces(TraceOptions t) {
        return new CompareRequest(workload, args, selections, warmups, repeats, t, timeout, metrics, timelines);
    }

    public CompareRequest withTimeout(Duration d) {
        return new CompareRequest(workload, args, selections, warmups, repeats, traces, d, metrics, timelines);
    }

    public CompareRequest withMetrics(List<String> names) {
        return new CompareRequest(workload, args, selections, warmups, repeats, traces, timeout, names, timelines);
    }

    /** Records a {@link Timeline} of every run (see {@link RunRequest#withTimeline}). */
    public CompareRequest withTimelines(boolean on) {
        return new CompareRequest(workload, args, selections, warmups, repeats, traces, timeout, metrics, on);
    }

    /** How many runs the comparison makes in all. */
    public int totalRuns() {
        return (warmups + repeats) * selections.size();
    }
}
