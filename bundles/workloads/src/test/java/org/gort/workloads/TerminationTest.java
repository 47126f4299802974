package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hogs share one P with the goroutines they starve, under every scheduler, including one
 * that never preempts and a hog that passes no safepoint: every run still ends and passes its
 * check, because starvation is what these workloads measure, not a failure.
 */
class TerminationTest {
    static List<String> schedulers() {
        return Runs.schedulers();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void hogWithoutSafepointsOnOneP(String scheduler) {
        Runs.Outcome o = Runs.runAndPass("hog", Runs.config(scheduler, 1).build(),
                List.of("duration=100", "safepoints=false", "sleepers=2", "samples=3"));
        assertEquals("measurements: 6", o.result().output().getFirst());
        assertTrue(o.metric("workload.hog.iterations") > 0, "the hog never ran");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void hogWithSafepointsOnOneP(String scheduler) {
        Runs.runAndPass("hog", Runs.config(scheduler, 1).build(), List.of("duration=100", "sleepers=2", "samples=3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void pingPongHogOnOneP(String scheduler) {
        Runs.runAndPass("pingpong-hog", Runs.config(scheduler, 1).build(), List.of("n=1000", "hogLimit=300"));
    }
}
