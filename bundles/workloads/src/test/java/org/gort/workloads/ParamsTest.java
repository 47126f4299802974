package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gort.api.Param;
import org.gort.api.Params;
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
        "sieve | n=0 | parameter n is out of range (at least 1), got '0'",
        "sieve | n=2e6 | parameter n is out of range (at most 1000000), got '2e6'",
        "sieve | n=99999999999 | parameter n is out of range (at most 1000000), got '99999999999'",
        "spawn | n=99999999999 | parameter n is out of range (at most 2147483647), got '99999999999'",
        "pingpong | n=99999999999999999999 | parameter n is out of range (at most 9223372036854775807), got '99999999999999999999'",
        "pingpong | n=1e30 | parameter n is out of range (at most 9223372036854775807), got '1e30'",
        "pingpong | n=-5 | parameter n is out of range (at least 1), got '-5'",
        "pingpong-hog | hogLimit=0 | parameter hogLimit is out of range (at least 1), got '0'",
        "spawn | n=0 | parameter n is out of range (at least 1), got '0'",
        "fanout | burst=0 | parameter burst is out of range (at least 1), got '0'",
        "syscall-storm | goroutines=0 | parameter goroutines is out of range (at least 1), got '0'",
        "hog | sleepers=0 | parameter sleepers is out of range (at least 1), got '0'",
        "binary-trees | n=31 | parameter n is out of range (at most 30), got '31'",
        "parked-heap | keep=0 | parameter keep is out of range (at least 1), got '0'",
        "alloc-churn | liveRatio=1.5 | parameter liveRatio is out of range (at most 1.0), got '1.5'",
        "alloc-churn | liveRatio=NaN | parameter liveRatio must be a number, got 'NaN'",
        "alloc-churn | workers=0 | parameter workers is out of range (at least 1), got '0'",
    })
    void outOfRangeValuesAreRejectedBeforeTheRun(String name, String arg, String message) {
        Workload w = Runs.workload(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.params(List.of(arg)));
        assertEquals(message, e.getMessage());
    }

    /** Java's number parsers take any script's digits; Go's strconv, and gort, only ASCII ones. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "sieve | n=\uFF11\uFF10 | parameter n must be a whole number, got '\uFF11\uFF10'",
        "sieve | n=\u0661\u0660 | parameter n must be a whole number, got '\u0661\u0660'",
        "alloc-churn | liveRatio=\uFF10.5 | parameter liveRatio must be a number, got '\uFF10.5'",
    })
    void digitsOfOtherScriptsAreRefused(String name, String arg, String message) {
        Workload w = Runs.workload(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.params(List.of(arg)));
        assertEquals(message, e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void everyNumericParameterHasARange() {
        for (Workload w : Runs.workloads().values()) {
            for (Param p : w.parameters()) {
                if (p.type() != Param.Type.BOOL && p.type() != Param.Type.STRING) {
                    assertTrue(p.rangeText().matches("-?[0-9.]+ to -?[0-9.E]+"), w.name() + " " + p.name() + ": " + p.rangeText());
                }
            }
        }
        assertEquals("1 to 1000000", Runs.workload("sieve").parameters().getFirst().rangeText());
    }

    private static void assertOneLine(IllegalArgumentException e, String contains) {
        assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(contains), "expected '" + contains + "' in: " + e.getMessage());
    }
}
