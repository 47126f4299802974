package org.gort.lab;

import java.util.List;

/**
 * What a scenario found: its comparisons, a paragraph stating the finding in the measured
 * numbers, and the claims it checked.
 */
public record ScenarioReport(ScenarioInfo scenario, List<Comparison> comparisons, String finding,
                             List<Direction> directions) {
    public ScenarioReport {
        comparisons = List.copyOf(comparisons);
        directions = List.copyOf(directions);
    }

    /** True when every claim holds. */
    public boolean holds() {
        return directions.stream().allMatch(Direction::holds);
    }

    /** True when some claim could not be judged because a metric is missing. */
    public boolean unmeasured() {
        return directions.stream().anyMatch(d -> d.status() == Direction.Status.UNMEASURED);
    }
}
