package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.intervalNote;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;
import static org.gort.lab.internal.scenarios.Claims.times;

import java.util.List;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.html.ChartSpec;

/**
 * runnext (Go CL 9289, BenchmarkPingPongHog): one P shared by a CPU hog and a ping-pong pair,
 * under gmp without runnext (the baseline: {@code gmp.runnext=false}, a readied G goes to the
 * local ring's tail, as before the CL) and with it. Everything else is the same scheduler:
 * sysmon preempts the hog after its 10 ms slice in both, and the global lock is the same. With
 * runnext each readied partner runs next on the P and inherits the slice, so a round trip costs
 * a hand-off; without it the partner queues behind the hog and the round trips wait for the
 * hog's slices to end. Go measured 684287 → 825 ns per round trip.
 */
final class Runnext extends Scenario {
    static final String GMP = "gmp";
    static final String OFF = "gmp-runnext-off";
    static final String ON = "gmp-runnext-on";
    static final String ROUNDTRIP = "workload.roundtrip.ns";
    static final String GAVE_UP = "workload.hog.gaveUp";
    static final String RUNNEXT_GETS = "sched.gmp.runqget.runnext";
    /** Go's BenchmarkPingPongHog before and after CL 9289, ns per round trip. */
    static final double GO_BEFORE_NS = 684_287;
    static final double GO_AFTER_NS = 825;

    Runnext() {
        super(new ScenarioInfo("runnext",
                "pingpong-hog on one P under gmp: round-trip time without and with runnext",
                "With the hog on the same P, round-trip latency collapses from a share of a time slice to about a"
                        + " hand-off (Go measured 684287 → 825 ns per round trip).",
                List.of("pingpong-hog"), List.of("scheduler:" + GMP)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, 1);
        String base = "sched=" + GMP + " procs=" + procs;
        List<Selection> sel = List.of(select(OFF, base + " gmp.runnext=false"), select(ON, base + " gmp.runnext=true"));
        // hogLimit is far above the runs' length: the hog never gives up, so only preemption and
        // runnext decide when the pair runs.
        List<String> args = small ? List.of("n=1000", "hogLimit=10000") : List.of("n=5000", "hogLimit=60000");
        return List.of(new Part("pingpong-hog", args, sel,
                List.of(ROUNDTRIP, GAVE_UP, RUNNEXT_GETS, "sched.schedules", "sched.preemptions", "run.wall.ns")));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison c = comparisons.get(0);
        OptionalDouble offTrip = median(c, OFF, ROUNDTRIP);
        OptionalDouble onTrip = median(c, ON, ROUNDTRIP);
        OptionalDouble offGaveUp = median(c, OFF, GAVE_UP);
        OptionalDouble onGaveUp = median(c, ON, GAVE_UP);
        OptionalDouble offPreempt = median(c, OFF, "sched.preemptions");
        OptionalDouble offGets = median(c, OFF, RUNNEXT_GETS);
        OptionalDouble onGets = median(c, ON, RUNNEXT_GETS);
        OptionalDouble n = roundTrips(c.params());
        String finding = String.format("With GOMAXPROCS=%d a round trip took %s under gmp without runnext and %s with"
                        + " it, %s%s (Go 1.5's CL 9289: %s → %s, %s×). Without runnext the readied partner went to the"
                        + " tail of the P's run queue, behind the hog, and ran only once sysmon had preempted the hog"
                        + " (a median of %s preemptions per run); with runnext it ran next on the same P, inheriting the"
                        + " time slice. The hog reached its limit in a median of %s and %s runs: the pair finished first.",
                c.baseline().gomaxprocs(), show(ROUNDTRIP, offTrip), show(ROUNDTRIP, onTrip), times(onTrip, offTrip),
                intervalNote(c, ON, ROUNDTRIP), show(ROUNDTRIP, OptionalDouble.of(GO_BEFORE_NS)),
                show(ROUNDTRIP, OptionalDouble.of(GO_AFTER_NS)), org.gort.lab.Reports.ratio(GO_AFTER_NS / GO_BEFORE_NS),
                show("sched.preemptions", offPreempt), show(GAVE_UP, offGaveUp), show(GAVE_UP, onGaveUp));
        return new Judgement(finding, List.of(
                claim("without runnext the pair still finishes before the hog's limit: gmp preempts the hog",
                        List.of(offGaveUp, offPreempt), v -> v[0] == 0 && v[1] > 0,
                        v -> "hog gave up in a median of " + show(v[0]) + " runs; " + show(v[1]) + " preemptions"),
                claim("with runnext the pair finishes before the hog's limit",
                        List.of(onGaveUp), v -> v[0] == 0, v -> "hog gave up in a median of " + show(v[0]) + " runs"),
                claim("without runnext no goroutine runs from runnext",
                        List.of(offGets), v -> v[0] == 0, v -> show(v[0]) + " taken from runnext"),
                claim("with runnext at least one readied partner per round trip runs from runnext",
                        List.of(onGets, n), v -> v[0] >= v[1],
                        v -> show(v[0]) + " taken from runnext for " + show(v[1]) + " round trips")));
    }

    /** The workload's {@code n} from the comparison's parameter words ({@code n=1000 hogLimit=...}). */
    private static OptionalDouble roundTrips(String params) {
        for (String word : params.split("[\\s,]+")) {
            if (word.startsWith("n=")) {
                return OptionalDouble.of(Double.parseDouble(word.substring(2)));
            }
        }
        return OptionalDouble.empty();
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.groups("Ping-pong round trip beside a CPU hog, at 1 P", comparisons,
                c -> c.workload() + " " + c.params(), ROUNDTRIP, "round trip", true,
                "With runnext the woken partner runs next and the round trip stays short; without it the pair waits behind the hog. Log scale.");
    }
}
