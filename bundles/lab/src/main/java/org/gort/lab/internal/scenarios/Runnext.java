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

/**
 * runnext (Go CL 9289, BenchmarkPingPongHog): with one P shared by a CPU hog and a ping-pong
 * pair, GMP runs each readied partner next on the same P, inheriting the time slice, so a round
 * trip costs a hand-off. The Go 1.0 scheduler queues the partner behind the hog, and having no
 * preemption either, lets the hog keep the P until the hog gives up by itself (the workload's
 * {@code hogLimit}); the round trip then costs that whole wait.
 */
final class Runnext extends Scenario {
    static final String GM = "legacy-gm";
    static final String GMP = "gmp";
    static final String ROUNDTRIP = "workload.roundtrip.ns";
    static final String GAVE_UP = "workload.hog.gaveUp";

    Runnext() {
        super(new ScenarioInfo("runnext",
                "pingpong-hog on one P: round-trip time with and without a readied G running next",
                "With the hog on the same P, round-trip latency collapses from about a time slice to about a"
                        + " hand-off (Go measured 684287 → 825 ns per round trip).",
                List.of("pingpong-hog"), List.of("scheduler:" + GM, "scheduler:" + GMP)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, 1);
        List<Selection> sel = List.of(select(GM, "sched=" + GM + " procs=" + procs), select(GMP, "sched=" + GMP + " procs=" + procs));
        List<String> args = small ? List.of("n=2000", "hogLimit=1000") : List.of("n=100000", "hogLimit=5000");
        return List.of(new Part("pingpong-hog", args, sel,
                List.of(ROUNDTRIP, GAVE_UP, "sched.schedules", "sched.preemptions", "run.wall.ns")));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison c = comparisons.get(0);
        OptionalDouble gmTrip = median(c, GM, ROUNDTRIP);
        OptionalDouble gmpTrip = median(c, GMP, ROUNDTRIP);
        OptionalDouble gmGaveUp = median(c, GM, GAVE_UP);
        OptionalDouble gmpGaveUp = median(c, GMP, GAVE_UP);
        String finding = String.format("With GOMAXPROCS=%d a round trip took %s under legacy-gm and %s under gmp,"
                        + " %s%s (Go: 684287 → 825 ns, 0.0012×). Under gmp the partner readied by a send ran next on the"
                        + " same P and the pair finished while the hog was still spinning (the hog reached its limit in"
                        + " a median of %s runs per selection); legacy-gm queued it behind the hog, which it never"
                        + " preempts, so the pair waited until the hog gave up by itself (%s). legacy-gm stands in for a"
                        + " scheduler without runnext here, and lacks preemption too, so its round trip is bounded by"
                        + " the hog's limit, not by a 10 ms time slice.",
                c.baseline().gomaxprocs(), show(ROUNDTRIP, gmTrip), show(ROUNDTRIP, gmpTrip), times(gmpTrip, gmTrip),
                intervalNote(c, GMP, ROUNDTRIP), show(GAVE_UP, gmpGaveUp), show(GAVE_UP, gmGaveUp));
        return new Judgement(finding, List.of(
                claim("under gmp the ping-pong pair finishes before the hog reaches its limit",
                        List.of(gmpGaveUp), v -> v[0] == 0, v -> "hog gave up in a median of " + show(v[0]) + " runs"),
                claim("under legacy-gm the pair waits until the hog gives up by itself",
                        List.of(gmGaveUp), v -> v[0] == 1, v -> "hog gave up in a median of " + show(v[0]) + " runs")));
    }
}
