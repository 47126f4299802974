package org.gort.workloads;

import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Hand-off latency between two goroutines: main sends i on an unbuffered channel {@code ping},
 * an echo goroutine answers i+1 on {@code pong}, n times. Each round trip is two hand-offs in
 * which the receiver is parked and the sender readies it, the path GMP shortens with
 * {@code runnext} (the readied G runs next on the same P) and GM sends through its global queue.
 *
 * <p>Output: {@code round trips: <replies main found correct>} and {@code echoed: <pings the
 * echo goroutine answered>}; both must equal n. Reported: {@code roundtrip.ns}.
 */
@Component(service = Workload.class, property = "gort.workload.name=pingpong")
public final class PingPong extends StandardWorkload {
    public PingPong() {
        super("pingpong", "hand-off latency: two goroutines answer each other over unbuffered channels",
                Param.ofLong("n", 1_000_000, "round trips").atLeast(1));
    }

    @Override
    void run(Params p) {
        long n = p.longValue("n");
        Chan<Long> ping = Chan.make();
        Chan<Long> pong = Chan.make();
        Chan<Long> echoed = Chan.make();
        Go.go(() -> {
            long count = 0;
            for (Long v = ping.recv(); v != null; v = ping.recv()) {
                pong.send(v + 1);
                count++;
            }
            echoed.send(count);
        });
        long start = System.nanoTime();
        long correct = 0;
        for (long i = 0; i < n; i++) {
            ping.send(i);
            if (pong.recv() == i + 1) {
                correct++;
            }
        }
        long elapsed = System.nanoTime() - start;
        ping.close();
        Go.println("round trips: " + correct);
        Go.println("echoed: " + echoed.recv());
        Go.report("roundtrip.ns", (double) elapsed / n);
    }

    @Override
    public Check check(Params p, List<String> output) {
        long n = p.longValue("n");
        return Check.expectLines(List.of("round trips: " + n, "echoed: " + n), output);
    }
}
