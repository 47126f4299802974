package org.gort.lab;

/**
 * A plain statement of a decisive ratio, made only where its 95% interval excludes 1, e.g.
 * {@code hybrid: max pause 0.21× stw [0.18–0.25]}.
 */
public record Verdict(String label, String metric, String phrase, String baseline, Ratio ratio) {
    public String text() {
        return label + ": " + phrase + " " + Reports.ratio(ratio.estimate()) + "× " + baseline
                + " [" + Reports.ratio(ratio.interval().low()) + "–" + Reports.ratio(ratio.interval().high()) + "]";
    }

    @Override
    public String toString() {
        return text();
    }
}
