package org.gort.lab;

import java.util.List;
import java.util.Optional;

/**
 * The result of a comparison: every run (warm-ups included, marked), and per metric and
 * selection the {@link Aggregate} over the measured OK runs, with ratios to the baseline
 * (selection 0) and the {@link Verdict}s that are decisive.
 *
 * @param params  the workload's parameters, every one spelled out
 * @param metrics the metrics shown, in order
 */
public record Comparison(String workload, String params, List<Selection> selections, int warmups, int repeats,
                         Environment environment, List<RunRecord> runs, List<String> metrics,
                         List<Aggregate> aggregates, List<Verdict> verdicts) {

    public Comparison {
        selections = List.copyOf(selections);
        runs = List.copyOf(runs);
        metrics = List.copyOf(metrics);
        aggregates = List.copyOf(aggregates);
        verdicts = List.copyOf(verdicts);
    }

    public Selection baseline() {
        return selections.get(0);
    }

    /** The aggregate of {@code metric} for the selection at {@code index}, if any OK run reported it. */
    public Optional<Aggregate> aggregate(String metric, int index) {
        return aggregates.stream().filter(a -> a.selection() == index && a.metric().equals(metric)).findFirst();
    }

    /** The aggregate of {@code metric} for the selection labelled {@code label}. */
    public Optional<Aggregate> aggregate(String metric, String label) {
        return aggregates.stream().filter(a -> a.label().equals(label) && a.metric().equals(metric)).findFirst();
    }

    /** The index of the selection labelled {@code label}. */
    public int indexOf(String label) {
        for (int i = 0; i < selections.size(); i++) {
            if (selections.get(i).label().equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no selection labelled '" + label + "'; have "
                + selections.stream().map(Selection::label).toList());
    }

    /** Measured runs of the selection at {@code index}, OK or not. */
    public List<RunRecord> measured(int index) {
        Selection s = selections.get(index);
        return runs.stream().filter(r -> !r.warmup() && r.selection().equals(s)).toList();
    }

    /** Runs that did not end OK (warm-ups included). */
    public List<RunRecord> failures() {
        return runs.stream().filter(r -> !r.ok()).toList();
    }
}
