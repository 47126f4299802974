package org.gort.lab;

import java.time.Duration;
import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;

/** Small programs of the lab's own, for testing runs and comparisons without the standard suite. */
final class TestWorkloads {
    private TestWorkloads() {
    }

    static WorkloadCatalog catalog() {
        return WorkloadCatalog.of(List.of(new Relay(), new Sleepers(), new Misprint(), new Panicker()));
    }

    /** A ring of goroutines passing a token: every pass readies the next goroutine. */
    static final class Relay implements Workload {
        @Override
        public String name() {
            return "relay";
        }

        @Override
        public String description() {
            return "a token passed around a ring of goroutines";
        }

        @Override
        public List<Param> parameters() {
            return List.of(Param.ofInt("n", 8, "goroutines in the ring"), Param.ofInt("laps", 200, "times around"));
        }

        @Override
        public void main(Params p) {
            int n = p.intValue("n");
            int laps = p.intValue("laps");
            List<Chan<Integer>> ring = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                ring.add(Chan.make());
            }
            Chan<Integer> done = Chan.make();
            for (int i = 0; i < n; i++) {
                Chan<Integer> in = ring.get(i);
                Chan<Integer> out = ring.get((i + 1) % n);
                boolean last = i == n - 1;
                Go.go(() -> {
                    for (int lap = 0; lap < laps; lap++) {
                        int hops = in.recv() + 1;
                        if (last && lap == laps - 1) {
                            done.send(hops);
                        } else {
                            out.send(hops);
                        }
                    }
                });
            }
            ring.get(0).send(0);
            Go.println("relayed: " + done.recv());
        }

        @Override
        public Check check(Params p, List<String> output) {
            return Check.expectLines(List.of("relayed: " + p.intValue("n") * p.intValue("laps")), output);
        }
    }

    /** Goroutines that sleep in small steps for a while, so that sysmon writes several trace lines. */
    static final class Sleepers implements Workload {
        @Override
        public String name() {
            return "sleepers";
        }

        @Override
        public String description() {
            return "goroutines sleeping in 1 ms steps";
        }

        @Override
        public List<Param> parameters() {
            return List.of(Param.ofMillis("duration", 120, "how long each sleeps"), Param.ofInt("goroutines", 3, "how many"));
        }

        @Override
        public void main(Params p) {
            long steps = p.longValue("duration");
            int g = p.intValue("goroutines");
            WaitGroup wg = new WaitGroup();
            wg.add(g);
            for (int i = 0; i < g; i++) {
                Go.go(() -> {
                    for (long s = 0; s < steps; s++) {
                        Go.sleep(Duration.ofMillis(1));
                    }
                    wg.done();
                });
            }
            wg.await();
            Go.println("slept");
        }

        @Override
        public Check check(Params p, List<String> output) {
            return Check.expectLines(List.of("slept"), output);
        }
    }

    /** Prints a wrong answer: its runs must be FAILED with the difference. */
    static final class Misprint implements Workload {
        @Override
        public String name() {
            return "misprint";
        }

        @Override
        public String description() {
            return "prints a wrong sum";
        }

        @Override
        public List<Param> parameters() {
            return List.of();
        }

        @Override
        public void main(Params p) {
            Go.println("2 + 2 = 5");
        }

        @Override
        public Check check(Params p, List<String> output) {
            return Check.expectLines(List.of("2 + 2 = 4"), output);
        }
    }

    /** Panics in a goroutine. */
    static final class Panicker implements Workload {
        @Override
        public String name() {
            return "panicker";
        }

        @Override
        public String description() {
            return "panics";
        }

        @Override
        public List<Param> parameters() {
            return List.of();
        }

        @Override
        public void main(Params p) {
            throw Go.panic("on purpose");
        }

        @Override
        public Check check(Params p, List<String> output) {
            return Check.ok();
        }
    }
}
