package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.RunStatus;
import org.gort.api.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Parameter errors are one-line messages that name the parameter and what it must be. */
class ParamsTest {
    static List<String> workloads() {
        return List.copyOf(Runs.workloads().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void defaultsParseAndPassValidation(String name) {
        Workload w = Runs.workload(name);
        Params p = w.params(List.of());
        for (Param param : w.parameters()) {
            assertTrue(p.asMap().containsKey(param.name()), name + " lacks " + param.name());
        }
        assertEquals(w.defaults().toString(), p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void unknownParameterAndBadValueAreOneLine(String name) {
        Workload w = Runs.workload(name);
        assertOneLine(assertThrows(IllegalArgumentException.class, () -> w.params(List.of("bogus=1"))),
                "unknown parameter 'bogus' for " + name);
        assertOneLine(assertThrows(IllegalArgumentException.class, () -> w.params(List.of("noequals"))),
                "expected name=value, got 'noequals'");
        Param first = w.parameters().getFirst();
        assertOneLine(assertThrows(IllegalArgumentException.class, () -> w.params(List.of(first.name() + "=lots"))),
                "parameter " + first.name() + " must be");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "sieve | n=0 | parameter n must be at least 1, got 0",
        "sieve | n=2e6 | parameter n must be at most 1000000, got 2000000",
        "pingpong | n=-5 | parameter n must be at least 1, got -5",
        "pingpong-hog | hogLimit=0 | parameter hogLimit must be at least 1, got 0",
        "spawn | n=0 | parameter n must be at least 1, got 0",
        "fanout | burst=0 | parameter burst must be at least 1, got 0",
        "syscall-storm | goroutines=0 | parameter goroutines must be at least 1, got 0",
        "hog | sleepers=0 | parameter sleepers must be at least 1, got 0",
        "binary-trees | n=31 | parameter n must be at most 30, got 31",
        "parked-heap | keep=0 | parameter keep must be at least 1, got 0",
        "alloc-churn | liveRatio=1.5 | parameter liveRatio must be between 0 and 1, got 1.5",
        "alloc-churn | workers=0 | parameter workers must be at least 1, got 0",
    })
    void outOfRangeValuesAreRejectedBeforeTheRun(String name, String arg, String message) {
        Workload w = Runs.workload(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.params(List.of(arg)));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void mainRejectsOutOfRangeParamsBuiltBehindItsBack() {
        Workload w = Runs.workload("sieve");
        Params bad = Params.parse(w, List.of("n=0")); // no range check on this path
        var r = org.gort.api.Runtime.run(Runs.config("gmp", 1).build(), Runs.CATALOG, () -> w.main(bad), Runs.TIMEOUT);
        assertEquals(RunStatus.PANIC, r.status());
        assertTrue(r.failureHeadline().contains("parameter n must be at least 1, got 0"), r.failureHeadline());
    }

    private static void assertOneLine(IllegalArgumentException e, String contains) {
        assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(contains), "expected '" + contains + "' in: " + e.getMessage());
    }
}
