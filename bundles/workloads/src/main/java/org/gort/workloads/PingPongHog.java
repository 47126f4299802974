package org.gort.workloads;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Go's {@code BenchmarkPingPongHog} (runtime/proc_test.go, the benchmark of CL 9289 that
 * introduced {@code runnext}): a CPU hog spins beside a ping-pong pair. Without
 * {@code runnext} each readied ping-pong goroutine queues behind the hog and waits for its
 * time slice to end (Go measured 684287 ns per round trip); with it, the readied goroutine runs
 * next on the same P, inheriting the slice (825 ns). Go runs the benchmark with GOMAXPROCS=1,
 * so run this one with {@code gomaxprocs=1} to put the hog on the pair's P.
 *
 * <p>The hog polls a stop flag and passes a safepoint ({@link Go#checkpoint()}) on every turn,
 * as Go's hog passes its {@code select}. A scheduler that never preempts (legacy GM) lets it
 * hold the only P for ever, so the hog also gives up after {@code hogLimit}: the run always
 * ends, and the round-trip time shows the starvation.
 *
 * <p>Output: {@code round trips: <count>}, which must equal n. Reported: {@code roundtrip.ns},
 * {@code hog.iterations}, {@code hog.gaveUp} (1 if the hog reached its limit).
 */
@Component(service = Workload.class, property = "gort.workload.name=pingpong-hog")
public final class PingPongHog extends StandardWorkload {
    public PingPongHog() {
        super("pingpong-hog", "runnext and preemption: ping-pong beside a CPU hog (Go's BenchmarkPingPongHog)",
                Param.ofLong("n", 100_000, "round trips").atLeast(1),
                Param.ofMillis("hogLimit", 5000, "the hog stops spinning after this long even if the ping-pong has not finished").atLeast(1));
    }

    @Override
    void run(Params p) {
        long n = p.longValue("n");
        long hogLimitNanos = TimeUnit.MILLISECONDS.toNanos(p.longValue("hogLimit"));
        // The hog's stop flag is a plain volatile: the hog must never block. Go's hog polls a
        // closed channel with select/default instead; both are a load per turn plus a safepoint.
        AtomicBoolean stop = new AtomicBoolean();
        Chan<Boolean> hogDone = Chan.make();
        Go.go(() -> {
            long deadline = System.nanoTime() + hogLimitNanos;
            long iterations = 0;
            boolean gaveUp = false;
            while (!stop.get()) {
                Go.checkpoint();
                if ((++iterations & 1023) == 0 && System.nanoTime() - deadline > 0) {
                    gaveUp = true;
                    break;
                }
            }
            Go.report("hog.iterations", iterations);
            Go.report("hog.gaveUp", gaveUp ? 1 : 0);
            hogDone.send(true);
        });
        Chan<Boolean> ping = Chan.make();
        Chan<Boolean> pong = Chan.make();
        Chan<Boolean> finished = Chan.make();
        Chan<Long> counted = Chan.make();
        Go.go(() -> {
            for (long j = 0; j < n; j++) {
                pong.send(ping.recv());
            }
            stop.set(true);
            finished.close();
        });
        Go.go(() -> {
            long count = 0;
            for (long i = 0; i < n; i++) {
                if (pong.recv()) {
                    count++;
                }
                ping.send(true);
            }
            counted.send(count);
        });
        long start = System.nanoTime();
        ping.send(true); // start the ping-pong
        finished.recv();
        long elapsed = System.nanoTime() - start;
        ping.recv(); // let the last ponger exit
        long count = counted.recv();
        hogDone.recv();
        Go.println("round trips: " + count);
        Go.report("roundtrip.ns", (double) elapsed / n);
    }

    @Override
    public Check check(Params p, List<String> output) {
        return Check.expectLines(List.of("round trips: " + p.longValue("n")), output);
    }
}
