package org.gort.lab;

import java.time.Duration;

/**
 * How big and how often a scenario runs.
 *
 * @param scale      {@link Scale#SMALL} for tests and CI, {@link Scale#FULL} for the sizes the
 *                   findings are stated at
 * @param warmups    warm-up rounds per comparison
 * @param repeats    measured rounds per comparison
 * @param gomaxprocs GOMAXPROCS for every selection, 0 for the scenario's own choice
 * @param timeout    the limit for one run
 * @param maxHeapBytes the managed heap's limit for every selection, 0 for the scenario's own choice
 * @param gogc       GOGC for every selection ({@code --gogc}), 0 for the scenario's own choice
 * @param memoryLimitBytes GOMEMLIMIT for every selection ({@code --memory-limit}), 0 for none
 * @param properties run properties for every selection ({@code --set}), strategy settings
 * @param pacer      the pacer for every selection ({@code --pacer}), empty for the scenario's own
 *                   choice; a scenario that compares pacers keeps its own (since 1.5)
 * @param maxThreads the most Ms (threads) each run may make ({@code --max-threads}), 0 for the
 *                   scenario's own choice (since 1.6)
 */
public record ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout, long maxHeapBytes,
                              int gogc, long memoryLimitBytes, java.util.Map<String, String> properties, String pacer,
                              int maxThreads) {
    public enum Scale { SMALL, FULL }

    public ScenarioOptions {
        properties = java.util.Map.copyOf(properties);
        java.util.Objects.requireNonNull(pacer, "pacer");
        if (warmups < 0 || repeats < 1) {
            throw new IllegalArgumentException("a scenario needs warm-ups >= 0 and repeats >= 1, got "
                    + warmups + " and " + repeats);
        }
        if (gomaxprocs < 0 || gomaxprocs > 1024) {
            throw new IllegalArgumentException("GOMAXPROCS must be between 1 and 1024 (0: the scenario's choice), got " + gomaxprocs);
        }
        if (maxHeapBytes != 0 && maxHeapBytes < org.gort.api.RuntimeConfig.MIN_MAX_HEAP_BYTES) {
            throw new IllegalArgumentException("the heap limit must be at least 1 MiB (0: the scenario's choice), got "
                    + org.gort.api.ByteCount.format(maxHeapBytes));
        }
        if (maxHeapBytes != 0) {
            org.gort.api.RuntimeConfig.checkMaxHeapBytes(maxHeapBytes);
        }
        if (maxThreads < 0) {
            throw new IllegalArgumentException("the thread limit must be at least 1 (0: the scenario's choice), got " + maxThreads);
        }
    }

    /** Options with the scenario's own thread limit (the form before the thread limit was a field). */
    public ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout, long maxHeapBytes,
                           int gogc, long memoryLimitBytes, java.util.Map<String, String> properties, String pacer) {
        this(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, pacer, 0);
    }

    /** Options with the scenario's own pacers (the form before the pacer was a field). */
    public ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout, long maxHeapBytes,
                           int gogc, long memoryLimitBytes, java.util.Map<String, String> properties) {
        this(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, "");
    }

    /** Options without run properties. */
    public ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout, long maxHeapBytes,
                           int gogc, long memoryLimitBytes) {
        this(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, java.util.Map.of());
    }

    /** Options with the scenario's own GOGC and no memory limit. */
    public ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout, long maxHeapBytes) {
        this(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, 0, 0);
    }

    /** Options with the scenario's own heap limit. */
    public ScenarioOptions(Scale scale, int warmups, int repeats, int gomaxprocs, Duration timeout) {
        this(scale, warmups, repeats, gomaxprocs, timeout, 0);
    }

    /** The sizes of the findings, 1 warm-up and 7 measured rounds. */
    public static ScenarioOptions full() {
        return new ScenarioOptions(Scale.FULL, CompareRequest.DEFAULT_WARMUPS, CompareRequest.DEFAULT_REPEATS, 0,
                RunRequest.DEFAULT_TIMEOUT);
    }

    /** Small sizes, no warm-up, 3 rounds: enough for the counts the tests check. */
    public static ScenarioOptions small() {
        return new ScenarioOptions(Scale.SMALL, 0, 3, 0, Duration.ofMinutes(1));
    }

    public ScenarioOptions withRounds(int warmupRounds, int measuredRounds) {
        return new ScenarioOptions(scale, warmupRounds, measuredRounds, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, pacer, maxThreads);
    }

    public ScenarioOptions withGomaxprocs(int n) {
        return new ScenarioOptions(scale, warmups, repeats, n, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, pacer, maxThreads);
    }

    /** Every selection of the scenario runs with this heap limit ({@code --max-heap}). */
    public ScenarioOptions withMaxHeap(long bytes) {
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, bytes, gogc, memoryLimitBytes, properties, pacer, maxThreads);
    }

    /** Every run of the scenario makes at most this many Ms, threads ({@code --max-threads}; since 1.6). */
    public ScenarioOptions withMaxThreads(int n) {
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, pacer, n);
    }

    /** Every selection of the scenario runs with this GOGC ({@code --gogc}; -1 is off). */
    public ScenarioOptions withGogc(int percent) {
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, percent, memoryLimitBytes, properties, pacer, maxThreads);
    }

    /** Every selection of the scenario runs with this GOMEMLIMIT ({@code --memory-limit}). */
    public ScenarioOptions withMemoryLimit(long bytes) {
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, bytes, properties, pacer, maxThreads);
    }

    /** Every selection of the scenario runs with this property ({@code --set key=value}). */
    public ScenarioOptions withProperty(String key, String value) {
        java.util.Map<String, String> p = new java.util.TreeMap<>(properties);
        p.put(key, value);
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, p, pacer, maxThreads);
    }

    /** Every selection of the scenario runs with this pacer ({@code --pacer}), unless the scenario compares pacers. */
    public ScenarioOptions withPacer(String name) {
        return new ScenarioOptions(scale, warmups, repeats, gomaxprocs, timeout, maxHeapBytes, gogc, memoryLimitBytes, properties, name, maxThreads);
    }

    /** The scenario's selection with these options' pacer, GOGC, memory, heap and thread limits and properties applied. */
    public Selection applyTo(Selection s) {
        Selection r = maxHeapBytes == 0 ? s : s.withMaxHeap(maxHeapBytes);
        r = maxThreads == 0 ? r : r.withMaxThreads(maxThreads);
        r = pacer.isEmpty() ? r : r.withPacer(pacer);
        r = gogc == 0 ? r : r.withGogc(gogc);
        r = memoryLimitBytes == 0 ? r : r.withMemoryLimit(memoryLimitBytes);
        for (java.util.Map.Entry<String, String> e : properties.entrySet()) {
            r = r.withProperty(e.getKey(), e.getValue());
        }
        return r;
    }
}
