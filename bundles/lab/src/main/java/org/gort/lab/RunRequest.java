package org.gort.lab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One run to make: a workload with its {@code name=value} arguments, under a selection, with
 * trace switches, a time limit, and where the program's output and trace lines go while it
 * runs (both are kept in the {@link RunRecord} as well).
 */
public record RunRequest(String workload, List<String> args, Selection selection, TraceOptions traces,
                         Duration timeout, Consumer<String> output, Consumer<String> traceSink, boolean timeline) {
    /** How long one run may take unless the request says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public RunRequest {
        Objects.requireNonNull(workload, "workload");
        args = List.copyOf(args);
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(traces, "traces");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the run timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(traceSink, "traceSink");
    }

    public RunRequest(String workload, List<String> args, Selection selection, TraceOptions traces,
                      Duration timeout, Consumer<String> output, Consumer<String> traceSink) {
        this(workload, args, selection, traces, timeout, output, traceSink, false);
    }

    /** A run with no traces, the default timeout, and output and trace lines only recorded. */
    public static RunRequest of(String workload, List<String> args, Selection selection) {
        return new RunRequest(workload, args, selection, TraceOptions.NONE, DEFAULT_TIMEOUT, line -> { }, line -> { });
    }

    public RunRequest withTraces(TraceOptions t) {
        return new RunRequest(workload, args, selection, t, timeout, output, traceSink, timeline);
    }

    public RunRequest withTimeout(Duration d) {
        return new RunRequest(workload, args, selection, traces, d, output, traceSink, timeline);
    }

    public RunRequest withOutput(Consumer<String> sink) {
        return new RunRequest(workload, args, selection, traces, timeout, sink, traceSink, timeline);
    }

    public RunRequest withTraceSink(Consumer<String> sink) {
        return new RunRequest(workload, args, selection, traces, timeout, output, sink, timeline);
    }

    /**
     * With a timeline: the run is sampled while it runs (heap, goroutines, Ps, GC phases; see
     * {@link Timeline}) from a thread of the lab's, which costs the run a little CPU.
     */
    public RunRequest withTimeline(boolean on) {
        return new RunRequest(workload, args, selection, traces, timeout, output, traceSink, on);
    }
}
