package org.gort.lab;

import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gort.api.Metrics;

/**
 * One run as the lab keeps it.
 *
 * @param workload  the workload's name
 * @param params    its parameters, {@code n=16}, every one spelled out
 * @param selection what it ran under
 * @param round     in a comparison, the interleaving round (0 for a single run)
 * @param warmup    true for a warm-up run, which no statistic uses
 * @param outcome   how it ended; only {@link RunOutcome#OK} runs are measured
 * @param failure   Go's failure text, or the check's difference; empty when OK
 * @param output    what the program printed
 * @param trace     the trace lines (schedtrace, scheddetail, gctrace) it produced
 * @param metrics   every metric by name: the runtime's, histogram summaries and the lab's
 *                  derived ratios ({@code lab.*}); see docs/lab.md
 * @param raw       the runtime's metrics as reported, with the latency histograms
 * @param timeline  the run over its time (heap, goroutines, Ps, GC phases, pauses) when the
 *                  request asked for one ({@link RunRequest#withTimeline}), else null
 */
public record RunRecord(String workload, String params, Selection selection, int round, boolean warmup,
                        RunOutcome outcome, String failure, List<String> output, List<String> trace,
                        SortedMap<String, Double> metrics, Metrics raw, Timeline timeline) {

    public RunRecord {
        output = List.copyOf(output);
        trace = List.copyOf(trace);
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics));
    }

    /** A record without a timeline. */
    public RunRecord(String workload, String params, Selection selection, int round, boolean warmup,
                     RunOutcome outcome, String failure, List<String> output, List<String> trace,
                     SortedMap<String, Double> metrics, Metrics raw) {
        this(workload, params, selection, round, warmup, outcome, failure, output, trace, metrics, raw, null);
    }

    /**
     * The record of a run made outside the lab (the shell's {@code run}): its outcome from the
     * runtime's status and the workload's check, every metric with the lab's derived ones.
     */
    public static RunRecord of(String workload, String params, org.gort.api.RuntimeConfig config,
                               org.gort.api.RunResult result, org.gort.api.Check check, List<String> trace, Timeline timeline) {
        RunOutcome outcome = RunOutcome.of(result.status());
        String failure = result.failure();
        if (outcome == RunOutcome.OK && !check.passed()) {
            outcome = RunOutcome.FAILED;
            failure = "wrong output: " + check.difference();
        }
        Selection s = new Selection("", config.scheduler(), config.allocator(), config.collector(), config.gomaxprocs(),
                config.gogc(), config.seed(), config.properties()).withPacer(config.pacer());
        return new RunRecord(workload, params, s, 0, false, outcome, failure, result.output(), trace,
                org.gort.lab.internal.Derived.of(result.metrics()), result.metrics(), timeline);
    }

    public boolean ok() {
        return outcome == RunOutcome.OK;
    }

    public OptionalDouble metric(String name) {
        Double v = metrics.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The failure's first line, fit for a one-line message. */
    public String failureHeadline() {
        int nl = failure.indexOf('\n');
        return nl < 0 ? failure : failure.substring(0, nl);
    }
}
