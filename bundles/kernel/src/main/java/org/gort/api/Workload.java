package org.gort.api;

import java.util.List;

/**
 * A Go program gort can run and check: a name, a one-line description, typed parameters with
 * defaults, a main goroutine, and a check of its own output. A run whose check fails is
 * reported FAILED with the difference and never timed.
 *
 * <p>Registered as a service (a Declarative Services component in OSGi, a
 * {@code META-INF/services/org.gort.api.Workload} entry for {@link java.util.ServiceLoader}).
 * Stateless: each run gets its own {@link Params}.
 */
public interface Workload {
    String name();

    String description();

    /** The parameters this workload takes, each with its default. */
    List<Param> parameters();

    /**
     * The main goroutine. Print the program's output with {@link Go#println}; report extra
     * measurements (latency percentiles, checksums) with {@link Go#report}.
     */
    void main(Params params);

    /** Checks a run's output; {@link Check#ok()} if it is right (see {@link Check#passed()}), else the difference. */
    Check check(Params params, List<String> output);

    /** Parses {@code name=value} arguments against {@link #parameters()}, with defaults for the rest. */
    default Params params(List<String> args) {
        return Params.parse(this, args);
    }

    default Params defaults() {
        return Params.parse(this, List.of());
    }
}
