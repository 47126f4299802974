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
 * Goroutine create/exit cost, Go's {@code benchmarkCreateGoroutines} (runtime/proc_test.go):
 * GOMAXPROCS chains run side by side; each goroutine of a chain starts the next one and exits,
 * so at any moment a chain has one or two goroutines and every creation is an
 * {@code newproc} + {@code goexit} pair. Under GMP the new G lands in the creator's
 * {@code runnext} and stays on its P; under GM it goes through the global queue under the lock.
 *
 * <p>Counting: each goroutine passes the number of goroutines its chain has run so far to the
 * one it starts; the last reports it to main. Output: {@code completions: <sum over chains>},
 * which must equal n. Reported: {@code spawn.ns} (wall time per goroutine).
 */
@Component(service = Workload.class, property = "gort.workload.name=spawn")
public final class Spawn extends StandardWorkload {
    public Spawn() {
        super("spawn", "goroutine create/exit cost: GOMAXPROCS chains of goroutines that each start the next (Go's CreateGoroutines)",
                Param.ofInt("n", 1_000_000, "goroutines to create in all").atLeast(1));
    }

    @Override
    void run(Params p) {
        int n = p.intValue("n");
        int procs = Go.gomaxprocs();
        Chan<Integer> c = Chan.make();
        long start = System.nanoTime();
        int chains = 0;
        for (int i = 0; i < procs; i++) {
            int length = n / procs + (i < n % procs ? 1 : 0);
            if (length > 0) {
                chains++;
                Go.go(() -> link(c, length, 1));
            }
        }
        long completions = 0;
        for (int i = 0; i < chains; i++) {
            completions += c.recv();
        }
        long elapsed = System.nanoTime() - start;
        Go.println("completions: " + completions);
        Go.report("spawn.ns", (double) elapsed / n);
    }

    /**
     * One goroutine of a chain: {@code remaining} goroutines of the chain are still to run,
     * this one included; {@code ran} of them have run, this one included.
     */
    private static void link(Chan<Integer> c, int remaining, int ran) {
        if (remaining == 1) {
            c.send(ran);
            return;
        }
        Go.go(() -> link(c, remaining - 1, ran + 1));
    }

    @Override
    public Check check(Params p, List<String> output) {
        return Check.expectLines(List.of("completions: " + p.intValue("n")), output);
    }
}
