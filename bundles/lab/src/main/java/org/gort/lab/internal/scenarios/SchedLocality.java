package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.intervalNote;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;
import static org.gort.lab.internal.scenarios.Claims.times;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.Derived;
import org.gort.lab.internal.html.ChartSpec;

/**
 * GM vs GMP (Vyukov's 2012 design doc, problems 1 and 2): the Go 1.0 scheduler takes its one
 * global lock on every create, schedule and exit of a G, and lets a readied or new G run on
 * whichever M comes first; GMP's per-P queues and runnext take the global lock rarely and keep
 * a G on its P. Measured on spawn, fanout and sieve as lock acquisitions per schedule and
 * migrations per schedule.
 */
final class SchedLocality extends Scenario {
    static final String GM = "legacy-gm";
    static final String GMP = "gmp";
    /** "Far less than once per schedule". */
    static final double GMP_LOCKS_PER_SCHEDULE_BOUND = 0.1;

    SchedLocality() {
        super(new ScenarioInfo("sched-locality",
                "GM vs GMP on spawn, fanout and sieve: global-lock acquisitions and migrations per schedule",
                "GM takes the global lock at least once per scheduled G, GMP far less than once; GM moves Gs to"
                        + " other Ms (migrations), GMP keeps them local through runnext; GMP wins throughput, more so"
                        + " with more Ps.",
                List.of("spawn", "fanout", "sieve"), List.of("scheduler:" + GM, "scheduler:" + GMP)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        List<Selection> sel = List.of(select(GM, "sched=" + GM + " procs=" + procs), select(GMP, "sched=" + GMP + " procs=" + procs));
        return List.of(
                new Part("spawn", List.of(small ? "n=20000" : "n=1000000"), sel, metrics("workload.spawn.ns")),
                new Part("fanout", List.of(small ? "tasks=5000" : "tasks=100000"), sel, metrics("workload.task.ns")),
                new Part("sieve", List.of(small ? "n=300" : "n=2000"), sel, metrics("run.wall.ns")));
    }

    private static List<String> metrics(String time) {
        List<String> m = new ArrayList<>(List.of(Derived.SCHED_LOCK_PER_SCHEDULE, "sched.lock.acquisitions",
                "sched.schedules", Derived.SCHED_MIGRATIONS_PER_SCHEDULE, "sched.migrations", "sched.steals", "run.wall.ns"));
        if (!m.contains(time)) {
            m.add(time);
        }
        return m;
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        List<Direction> directions = new ArrayList<>();
        StringBuilder finding = new StringBuilder();
        int moreMigrations = 0;
        for (Comparison c : comparisons) {
            String w = c.workload();
            OptionalDouble gmLocks = median(c, GM, Derived.SCHED_LOCK_PER_SCHEDULE);
            OptionalDouble gmpLocks = median(c, GMP, Derived.SCHED_LOCK_PER_SCHEDULE);
            OptionalDouble gmMig = median(c, GM, Derived.SCHED_MIGRATIONS_PER_SCHEDULE);
            OptionalDouble gmpMig = median(c, GMP, Derived.SCHED_MIGRATIONS_PER_SCHEDULE);
            OptionalDouble gmWall = median(c, GM, "run.wall.ns");
            OptionalDouble gmpWall = median(c, GMP, "run.wall.ns");
            finding.append(String.format("On %s, legacy-gm took the global lock %s times per scheduled goroutine and gmp"
                            + " %s times; %s and %s of the schedules ran a G on another M than before; gmp ran in %s"
                            + " legacy-gm's wall time%s. ",
                    w, show(Derived.SCHED_LOCK_PER_SCHEDULE, gmLocks), show(Derived.SCHED_LOCK_PER_SCHEDULE, gmpLocks),
                    show(Derived.SCHED_MIGRATIONS_PER_SCHEDULE, gmMig), show(Derived.SCHED_MIGRATIONS_PER_SCHEDULE, gmpMig),
                    times(gmpWall, gmWall), intervalNote(c, GMP, "run.wall.ns")));
            if (gmMig.isPresent() && gmpMig.isPresent() && gmMig.getAsDouble() > gmpMig.getAsDouble()) {
                moreMigrations++;
            }
            directions.add(claim("legacy-gm takes the global lock at least once per schedule on " + w,
                    List.of(gmLocks), v -> v[0] >= 1, v -> show(v[0]) + " per schedule"));
            directions.add(claim("gmp takes the global lock far less than once per schedule on " + w
                            + " (below " + GMP_LOCKS_PER_SCHEDULE_BOUND + ")",
                    List.of(gmpLocks), v -> v[0] < GMP_LOCKS_PER_SCHEDULE_BOUND, v -> show(v[0]) + " per schedule"));
        }
        finding.append(String.format("legacy-gm migrated more per schedule than gmp on %d of %d workloads (a new G"
                + " run by another M than its creator's counts as a migration). Migrations are reported, not checked:"
                + " at small sizes the counts vary widely from run to run.",
                moreMigrations, comparisons.size()));
        return new Judgement(finding.toString().trim(), directions);
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.groups("Scheduler lock acquisitions per schedule", comparisons,
                c -> c.workload() + " " + c.params(), Derived.SCHED_LOCK_PER_SCHEDULE, "lock acquisitions per schedule", true,
                "GM takes its global lock on every schedule (about 2); GMP's per-P queues take it almost never. Log scale.");
    }
}
