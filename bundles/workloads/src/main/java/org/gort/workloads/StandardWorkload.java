package org.gort.workloads;

import java.util.List;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;

/**
 * What every workload of the standard suite shares: its name, description and parameters,
 * and range checks on parameter values beyond their types. {@link #params} rejects an
 * out-of-range value with a one-line message before anything runs; {@link #main} checks again,
 * so a {@link Params} built by other means fails at once too.
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
        Params p = Params.parse(this, args);
        validate(p);
        return p;
    }

    @Override
    public final void main(Params p) {
        validate(p);
        run(p);
    }

    /** The program itself, on the main goroutine. */
    abstract void run(Params p);

    /** Throws {@link IllegalArgumentException} with a one-line message for a value out of range. */
    abstract void validate(Params p);

    static void atLeast(Params p, String param, long min) {
        long v = ((Number) p.asMap().get(param)).longValue();
        if (v < min) {
            throw new IllegalArgumentException("parameter " + param + " must be at least " + min + ", got " + v);
        }
    }

    static void atMost(Params p, String param, long max) {
        long v = ((Number) p.asMap().get(param)).longValue();
        if (v > max) {
            throw new IllegalArgumentException("parameter " + param + " must be at most " + max + ", got " + v);
        }
    }
}
