package org.gort.lab;

import java.util.List;

/**
 * A named comparison a user runs by name.
 *
 * @param finding   the published behaviour it reproduces (docs/workloads.md)
 * @param workloads the workloads it runs
 * @param needs     the strategies it compares, as {@code scheduler:gmp}, {@code collector:stw} ...
 */
public record ScenarioInfo(String name, String description, String finding, List<String> workloads, List<String> needs) {
    public ScenarioInfo {
        workloads = List.copyOf(workloads);
        needs = List.copyOf(needs);
    }
}
