package org.gort.lab.internal.scenarios;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import org.gort.lab.Aggregate;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.internal.MetricGuide;

/** Reading medians out of comparisons and turning them into checked claims. */
final class Claims {
    private Claims() {
    }

    /** The median of {@code metric} over the measured OK runs of the selection labelled {@code label}. */
    static OptionalDouble median(Comparison c, String label, String metric) {
        Optional<Aggregate> a = c.aggregate(metric, label);
        return a.isPresent() ? OptionalDouble.of(a.get().median()) : OptionalDouble.empty();
    }

    /**
     * A claim about some medians: UNMEASURED when one is missing, else HOLDS or FAILS by
     * {@code test}; {@code evidence} states the numbers.
     */
    static Direction claim(String claim, List<OptionalDouble> values, Predicate<double[]> test,
                           Function<double[], String> evidence) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            if (values.get(i).isEmpty()) {
                return new Direction(claim, Direction.Status.UNMEASURED, "a metric it needs was not reported");
            }
            v[i] = values.get(i).getAsDouble();
        }
        return new Direction(claim, test.test(v) ? Direction.Status.HOLDS : Direction.Status.FAILS, evidence.apply(v));
    }

    /** A value for a sentence, or a dash when it was not reported. */
    static String show(String metric, OptionalDouble v) {
        return v.isPresent() ? MetricGuide.format(metric, v.getAsDouble()) : "—";
    }

    static String show(double v) {
        return MetricGuide.significant(v);
    }

    /** {@code a / b} as "0.21×", or a dash. */
    static String times(OptionalDouble a, OptionalDouble b) {
        if (a.isEmpty() || b.isEmpty() || b.getAsDouble() == 0) {
            return "—";
        }
        return org.gort.lab.Reports.ratio(a.getAsDouble() / b.getAsDouble()) + "×";
    }

    /**
     * " (95% interval 0.31–0.81)" when the comparison's ratio of {@code metric} for {@code label}
     * is decisive, else " (not decisive at 95%)".
     */
    static String intervalNote(Comparison c, String label, String metric) {
        return c.aggregate(metric, label)
                .map(Aggregate::ratio)
                .filter(r -> r != null && r.decisive())
                .map(r -> " (95% interval " + org.gort.lab.Reports.ratio(r.interval().low()) + "–"
                        + org.gort.lab.Reports.ratio(r.interval().high()) + ")")
                .orElse(" (not decisive at 95%)");
    }
}
