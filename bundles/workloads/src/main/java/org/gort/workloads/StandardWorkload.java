package org.gort.workloads;

import java.util.List;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;

/**
 * What every workload of the standard suite shares: its name, description and parameters.
 * Each parameter declares its range ({@link Param#range}, {@link Param#atLeast}), so
 * {@link #params} rejects an out-of-range value with a one-line message before anything runs
 * and {@code ./gort workloads} lists the ranges.
 */
abstract class StandardWorkload implements Workload {
    private final String name;
    private final String description;
    private final List<Param> parameters;

    StandardWorkload(String name, String description, Param... parameters) {
        this.name = name;
        this.description = description;
        this.parameters = List.of(parameters);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<Param> parameters() {
        return parameters;
    }

    @Override
    public final Params params(List<String> args) {
        return Params.parse(this, args);
    }

    @Override
    public final void main(Params p) {
        run(p);
    }

    /** The program itself, on the main goroutine. */
    abstract void run(Params p);
}
