package org.gort.api;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The numbers one run reports: named counters and gauges (the kernel's mechanism counters and
 * every strategy's own), and latency histograms in nanoseconds.
 *
 * <p>Names are dotted and stable because the lab aggregates and compares them by name:
 * {@code sched.*} (scheduler), {@code alloc.*} (allocator), {@code gc.*} (collector),
 * {@code run.*} (the run as a whole). Time-like names end in {@code .ns}.
 */
public final class Metrics {
    private final Map<String, Double> values = new TreeMap<>();
    private final Map<String, Histogram> histograms = new TreeMap<>();

    public void put(String name, double value) {
        values.put(name, value);
    }

    public void add(String name, double delta) {
        values.merge(name, delta, Double::sum);
    }

    public void putHistogram(String name, Histogram h) {
        histograms.put(name, h);
    }

    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; this run reported: " + values.keySet());
        }
        return v;
    }

    public double get(String name, double absent) {
        return values.getOrDefault(name, absent);
    }

    public long count(String name) {
        return (long) get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Map<String, Double> values() {
        return Collections.unmodifiableMap(values);
    }

    public Histogram histogram(String name) {
        return histograms.get(name);
    }

    public Map<String, Histogram> histograms() {
        return Collections.unmodifiableMap(histograms);
    }
}
