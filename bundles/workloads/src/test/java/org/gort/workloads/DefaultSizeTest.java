package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every workload, at its default size, passes its own check under every installed scheduler. */
class DefaultSizeTest {
    static Stream<Arguments> everyWorkloadUnderEveryScheduler() {
        return Runs.schedulers().stream()
                .flatMap(s -> Runs.workloads().keySet().stream().map(w -> Arguments.of(w, s)));
    }

    @Test
    void bothSchedulersAreInstalled() {
        assertTrue(Runs.schedulers().containsAll(List.of("gmp", "legacy-gm")), () -> "found " + Runs.schedulers());
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyWorkloadUnderEveryScheduler")
    void passesAtDefaultSize(String workload, String scheduler) {
        Runs.Outcome o = Runs.runAndPass(workload, Runs.config(scheduler, 2).build(), List.of());
        assertFalse(o.result().output().isEmpty(), "the program printed nothing");
        if (workload.equals("sieve")) {
            // the spec's own figure, independent of the check's sieve of Eratosthenes
            assertEquals(2000, o.result().output().size());
            assertEquals("17389", o.result().output().getLast());
        }
    }
}
