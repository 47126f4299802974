package org.gort.lab.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.gort.api.Check;
import org.gort.api.Params;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.api.Workload;
import org.gort.lab.RunOutcome;
import org.gort.lab.RunRecord;
import org.gort.lab.RunRequest;
import org.gort.lab.Selection;
import org.gort.lab.Timeline;
import org.gort.lab.TimelineRecorder;

/**
 * Makes one run: a fresh runtime instance under the request's selection runs the workload's
 * main goroutine; then the workload checks its own output. A run whose output is wrong is
 * FAILED with the check's difference; its metrics are kept in the record but no statistic
 * uses them.
 */
public final class Runner {
    private final StrategyCatalog strategies;

    public Runner(StrategyCatalog strategies) {
        this.strategies = strategies;
    }

    /**
     * Fails with a one-line message, before anything runs, when a strategy is not installed.
     * The default allocator and collector are let through while no strategy of their kind is
     * installed at all, since the runtime then runs without a managed heap.
     */
    public void validate(Selection s) {
        strategies.scheduler(s.scheduler());
        if (!strategies.allocators().isEmpty() || !s.allocator().equals(RuntimeConfig.DEFAULT_ALLOCATOR)) {
            strategies.allocator(s.allocator());
        }
        if (!strategies.collectors().isEmpty() || !s.collector().equals(RuntimeConfig.DEFAULT_COLLECTOR)) {
            strategies.collector(s.collector());
        }
    }

    public RunRecord run(Workload workload, Params params, RunRequest req, int round, boolean warmup) {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        RuntimeConfig config = req.selection().applyTo(RuntimeConfig.builder())
                .gctrace(req.traces().gctrace())
                .schedtrace(req.traces().schedtraceMillis())
                .scheddetail(req.traces().scheddetail())
                .output(req.output())
                .trace(text -> {
                    // scheddetail arrives as one block; keep it line by line like Go's stderr
                    for (String line : text.split("\n")) {
                        trace.add(line);
                        req.traceSink().accept(line);
                    }
                })
                .build();
        RunResult result;
        Timeline timeline = null;
        if (req.timeline()) {
            RunHandle handle = Runtime.start(config, strategies, () -> workload.main(params));
            TimelineRecorder recorder = TimelineRecorder.start(handle);
            result = handle.await(req.timeout());
            timeline = recorder.finish(result.metrics());
        } else {
            result = Runtime.run(config, strategies, () -> workload.main(params), req.timeout());
        }
        RunOutcome outcome = RunOutcome.of(result.status());
        String failure = result.failure();
        if (outcome == RunOutcome.OK) {
            Check check = check(workload, params, result.output());
            if (!check.passed()) {
                outcome = RunOutcome.FAILED;
                failure = "wrong output: " + check.difference();
            }
        }
        List<String> traceLines;
        synchronized (trace) {
            traceLines = List.copyOf(trace);
        }
        return new RunRecord(workload.name(), params.toString(), req.selection(), round, warmup, outcome, failure,
                result.output(), traceLines, Derived.of(result.metrics()), result.metrics(), timeline);
    }

    private static Check check(Workload workload, Params params, List<String> output) {
        try {
            return workload.check(params, output);
        } catch (RuntimeException e) {
            return Check.failed("the check of " + workload.name() + " threw " + e);
        }
    }
}
