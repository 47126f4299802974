package org.gort.lab.internal.scenarios;

import java.util.List;

/** The named scenarios, in the order of docs/workloads.md's comparisons. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(
            new SchedLocality(),
            new Runnext(),
            new Preemption(),
            new SyscallHandoff(),
            new NetpollVsSyscall(),
            new StwVsConcurrent(),
            new StackRescan(),
            new PacerRedesign(),
            new BarrierCost(),
            new TcmallocVsGlobalLock(),
            new GreenTea());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    /**
     * The chart of a scenario's report (see {@link Scenario#chart}), or null when the scenario is
     * unknown here or its comparisons are not the ones it makes (a report from another version).
     */
    public static org.gort.lab.internal.html.ChartSpec chartOf(org.gort.lab.ScenarioReport report) {
        for (Scenario s : ALL) {
            if (s.info().name().equals(report.scenario().name())) {
                try {
                    return s.chart(report.comparisons());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    public static Scenario byName(String name) {
        for (Scenario s : ALL) {
            if (s.info().name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; available: "
                + String.join(", ", ALL.stream().map(s -> s.info().name()).toList()));
    }
}
