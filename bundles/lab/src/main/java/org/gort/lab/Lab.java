package org.gort.lab;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.gort.api.Params;
import org.gort.api.StrategyCatalog;
import org.gort.api.Workload;
import org.gort.lab.internal.Comparer;
import org.gort.lab.internal.Runner;
import org.gort.lab.internal.scenarios.Scenarios;

/**
 * The laboratory: runs workloads under selections of strategies, compares selections, and
 * runs the named scenarios. One lab serves one catalog of strategies and one of workloads; the
 * OSGi shell passes its registry-backed catalogs, everything else uses {@link #serviceLoader()}.
 * Every run is a fresh runtime instance; calls are synchronous and may be made from any thread
 * but not from a goroutine. Interrupting the calling thread stops a comparison between runs.
 */
public final class Lab {
    private final StrategyCatalog strategies;
    private final WorkloadCatalog workloads;
    private final Runner runner;

    public Lab(StrategyCatalog strategies, WorkloadCatalog workloads) {
        this.strategies = Objects.requireNonNull(strategies, "strategies");
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        this.runner = new Runner(strategies);
    }

    /** A lab over the strategies and workloads that {@link java.util.ServiceLoader} finds. */
    public static Lab serviceLoader() {
        return new Lab(StrategyCatalog.serviceLoader(), WorkloadCatalog.serviceLoader());
    }

    public StrategyCatalog strategies() {
        return strategies;
    }

    public WorkloadCatalog workloads() {
        return workloads;
    }

    /** The machine and build the numbers are measured on. */
    public Environment environment() {
        return Environment.current();
    }

    /**
     * Runs a workload once in a fresh runtime and checks its output. Unknown workloads,
     * parameters and strategies fail with a one-line {@link IllegalArgumentException} before
     * anything runs; a run that fails is a record with its outcome, never an exception.
     */
    public RunRecord run(RunRequest request) {
        Workload w = workloads.workload(request.workload());
        Params params = w.params(request.args());
        runner.validate(request.selection());
        return runner.run(w, params, request, 0, false);
    }

    /**
     * Compares selections side by side (see {@link CompareRequest}); {@code progress} gets a line
     * before every run ("run 7 of 24 (gmp) · 0:14 elapsed · ~0:34 left") and one per failed run.
     */
    public Comparison compare(CompareRequest request, Consumer<String> progress) {
        Workload w = workloads.workload(request.workload());
        return new Comparer(runner).compare(w, request, progress);
    }

    /** Every named scenario, in the order of docs/workloads.md. */
    public List<ScenarioInfo> scenarios() {
        return Scenarios.all().stream().map(s -> s.info()).toList();
    }

    /**
     * What a scenario needs that is not installed (workloads, strategies), as one phrase each;
     * empty when it can run.
     */
    public List<String> missing(String scenario) {
        return Scenarios.byName(scenario).missing(strategies, workloads);
    }

    /**
     * Runs a scenario by name: its comparisons, then the finding computed from their numbers.
     * Fails with a one-line {@link IllegalStateException} naming what is missing when a
     * workload or strategy it needs is not installed.
     */
    public ScenarioReport scenario(String name, ScenarioOptions options, Consumer<String> progress) {
        var s = Scenarios.byName(name);
        List<String> missing = s.missing(strategies, workloads);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("scenario " + name + " cannot run: " + String.join("; ", missing)
                    + " (install the bundles that provide them)");
        }
        return s.run(this, options, progress);
    }
}
