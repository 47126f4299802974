package org.gort.lab.internal.scenarios;

import java.util.List;

/** The named scenarios, in the order of docs/workloads.md's comparisons. */
public final class Scenarios {
    private static final List<Scenario> ALL = List.of(
            new SchedLocality(),
            new Runnext(),
            new Preemption(),
            new SyscallHandoff(),
            new StwVsConcurrent(),
            new StackRescan(),
            new BarrierCost(),
            new TcmallocVsGlobalLock());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
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
