package org.gort.lab.internal.scenarios;

import static org.gort.lab.internal.scenarios.Claims.claim;
import static org.gort.lab.internal.scenarios.Claims.median;
import static org.gort.lab.internal.scenarios.Claims.show;

import java.util.List;
import java.util.OptionalDouble;
import org.gort.api.StrategyCatalog;
import org.gort.lab.Comparison;
import org.gort.lab.Direction;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.gort.lab.internal.html.ChartSpec;

/**
 * The network poller against blocking reads (Go's {@code netpoll}; the seeds' point that a
 * network wait does not consume an M): the echo workload under gmp, once with the poller
 * ({@code net.poller=true}: a goroutine waiting on its socket parks in {@code netpollblock}
 * and its M runs the others; {@code findRunnable}, sysmon and an idle M poll) and once with
 * every socket operation a blocking syscall ({@code net.poller=false}: the waiting goroutine
 * holds its M, and sysmon retakes its P and hands it to another M). The scheduler is the
 * same on both sides, so the comparison isolates the poller. Two client counts show what
 * grows with the connections: the threads, and the P hand-offs.
 */
final class NetpollVsSyscall extends Scenario {
    static final String POLLER = "netpoll";
    static final String SYSCALL = "syscall";
    static final String GMP = "gmp";
    static final String MS = "sched.ms.created";
    static final String HANDOFFS = "sched.handoffs";
    static final String P50 = "workload.echo.p50.ns";
    static final String P99 = "workload.echo.p99.ns";

    NetpollVsSyscall() {
        super(new ScenarioInfo("netpoll-vs-syscall",
                "echo over loopback under gmp, with the network poller and with blocking reads as syscalls: threads, P hand-offs, latency",
                "With the poller a goroutine waiting on a socket holds no M: the threads stay near GOMAXPROCS whatever the"
                        + " number of connections, while blocking reads need about a thread per waiting connection and a P"
                        + " hand-off per read.",
                List.of("echo"), List.of("scheduler:" + GMP)));
    }

    @Override
    protected List<Part> parts(ScenarioOptions o, StrategyCatalog strategies) {
        boolean small = o.scale() == ScenarioOptions.Scale.SMALL;
        int procs = procs(o, atLeastTwo());
        String base = "sched=" + GMP + " procs=" + procs;
        List<Selection> sel = List.of(select(POLLER, base + " net.poller=true"), select(SYSCALL, base + " net.poller=false"));
        String requests = small ? "requests=20" : "requests=200";
        List<String> metrics = List.of(MS, HANDOFFS, "sched.syscalls", "sched.retakes", P50, P99,
                "net.netpoll.polls", "net.netpoll.blocking", "run.wall.ns");
        return List.of(
                new Part("echo", List.of("clients=" + (small ? 8 : 20), requests), sel, metrics),
                new Part("echo", List.of("clients=" + (small ? 32 : 100), requests), sel, metrics));
    }

    @Override
    protected Judgement judge(List<Comparison> comparisons) {
        Comparison few = comparisons.get(0);
        Comparison many = comparisons.get(1);
        int clientsFew = clients(few);
        int clientsMany = clients(many);
        int procs = few.baseline().gomaxprocs();
        OptionalDouble pollFew = median(few, POLLER, MS);
        OptionalDouble pollMany = median(many, POLLER, MS);
        OptionalDouble sysFew = median(few, SYSCALL, MS);
        OptionalDouble sysMany = median(many, SYSCALL, MS);
        OptionalDouble pollHand = median(many, POLLER, HANDOFFS);
        OptionalDouble sysHand = median(many, SYSCALL, HANDOFFS);
        String finding = String.format("With GOMAXPROCS=%d, %d and %d echo clients (a server goroutine each) ran on %s"
                        + " and %s threads with the network poller, and on %s and %s threads with blocking reads: a"
                        + " goroutine waiting on its socket parked and left its M to the others, where a blocking read"
                        + " kept its M for the whole wait. With %d clients the blocking reads cost %s P hand-offs (the"
                        + " poller: %s). Round-trip latency, p50 and p99: %s and %s with the poller, %s and %s with blocking"
                        + " reads (on a loaded machine the latencies move from run to run; the thread counts do not).",
                procs, clientsFew, clientsMany, show(MS, pollFew), show(MS, pollMany), show(MS, sysFew), show(MS, sysMany),
                clientsMany, show(HANDOFFS, sysHand), show(HANDOFFS, pollHand),
                show(P50, median(many, POLLER, P50)), show(P99, median(many, POLLER, P99)),
                show(P50, median(many, SYSCALL, P50)), show(P99, median(many, SYSCALL, P99)));
        // The poller's threads: the Ps' Ms, at most one M blocked in the poller, and a spare or two.
        int bound = procs + 4;
        List<Direction> d = List.of(
                claim("with the poller the threads stay near GOMAXPROCS at both client counts (at most GOMAXPROCS + 4 = "
                                + bound + ")", List.of(pollFew, pollMany), v -> v[0] <= bound && v[1] <= bound,
                        v -> show(v[0]) + " and " + show(v[1]) + " Ms"),
                claim("with blocking reads the threads grow with the clients (at least half a thread per client at "
                                + clientsMany + ")", List.of(sysFew, sysMany),
                        v -> v[1] > v[0] && v[1] >= clientsMany / 2.0,
                        v -> show(v[0]) + " → " + show(v[1]) + " Ms"),
                claim("blocking reads hand Ps off; the poller needs (almost) none", List.of(pollHand, sysHand),
                        v -> v[1] > 10 * Math.max(1, v[0]), v -> show(v[0]) + " vs " + show(v[1]) + " hand-offs"));
        return new Judgement(finding, d);
    }

    private static int clients(Comparison c) {
        for (String w : c.params().split(" ")) {
            if (w.startsWith("clients=")) {
                return Integer.parseInt(w.substring("clients=".length()));
            }
        }
        throw new IllegalStateException("no clients in " + c.params());
    }

    @Override
    public ChartSpec chart(List<Comparison> comparisons) {
        return Charting.groups("threads created", comparisons, c -> clients(c) + " clients", MS, "Ms created", false,
                "A goroutine waiting on a socket holds no M with the poller; a blocking read holds one for the whole wait.");
    }
}
