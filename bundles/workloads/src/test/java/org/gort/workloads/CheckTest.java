package org.gort.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.Check;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks themselves: each accepts its workload's real output and rejects a corrupted copy
 * with a one-line difference naming the line; the expected outputs match the spec's figures.
 */
class CheckTest {
    static List<String> workloads() {
        return List.copyOf(Runs.workloads().keySet());
    }

    @Test
    void theWholeSuiteIsRegistered() {
        assertEquals(List.of("alloc-churn", "binary-trees", "echo", "fanout", "heap-steps", "hog", "parked-heap", "pingpong", "pingpong-hog",
                "sieve", "spawn", "syscall-storm"), workloads());
        for (Workload w : Runs.workloads().values()) {
            assertFalse(w.description().isBlank(), w.name());
            assertFalse(w.description().contains("\n"), w.name());
            assertFalse(w.parameters().isEmpty(), w.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void aCorruptedOutputFailsWithTheLineThatDiffers(String name) {
        Workload w = Runs.workload(name);
        List<String> args = Runs.SMALL.get(name);
        Runs.Outcome o = Runs.runAndPass(name, Runs.config("gmp", 2).build(), args);
        Params p = w.params(args);
        List<String> good = o.result().output();

        List<String> digitChanged = new ArrayList<>(good);
        digitChanged.set(0, bumpFirstDigit(good.get(0)));
        assertFailsAt(w.check(p, digitChanged), 1, name + " with line 1 changed");

        List<String> lastDropped = new ArrayList<>(good.subList(0, good.size() - 1));
        assertFailsAt(w.check(p, lastDropped), good.size(), name + " with its last line dropped");

        List<String> lineAdded = new ArrayList<>(good);
        lineAdded.add("goroutine 7 said hello");
        assertFailsAt(w.check(p, lineAdded), good.size() + 1, name + " with a line added");

        assertFailsAt(w.check(p, List.of()), 1, name + " with no output");
    }

    private static String bumpFirstDigit(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isDigit(c)) {
                return line.substring(0, i) + (char) ('0' + (c - '0' + 1) % 10) + line.substring(i + 1);
            }
        }
        throw new AssertionError("no digit to corrupt in '" + line + "'");
    }

    private static void assertFailsAt(Check c, int line, String what) {
        assertFalse(c.passed(), what + " passed its check");
        assertFalse(c.difference().contains("\n"), what + ": the difference is not one line: " + c.difference());
        assertTrue(c.difference().startsWith("line " + line + ": expected '"),
                what + ": the difference should name line " + line + ", got: " + c.difference());
    }

    @Test
    void sieveOfTenIsTheSpecsList() {
        Runs.Outcome o = Runs.runAndPass("sieve", Runs.config("gmp", 2).build(), List.of("n=10"));
        assertEquals("2 3 5 7 11 13 17 19 23 29", String.join(" ", o.result().output()));
    }

    @Test
    void sieveExpectsPrime2000ToBe17389() {
        int[] primes = Sieve.firstPrimes(2000);
        assertEquals(17389, primes[1999]);
        assertEquals(List.of(2, 3, 5, 7, 11, 13, 17, 19, 23, 29), java.util.Arrays.stream(Sieve.firstPrimes(10)).boxed().toList());
    }

    @Test
    void binaryTreesOfTenPrintsTheSpecsLines() {
        List<String> spec = List.of(
                "stretch tree of depth 11\t check: 4095",
                "1024\t trees of depth 4\t check: 31744",
                "256\t trees of depth 6\t check: 32512",
                "64\t trees of depth 8\t check: 32704",
                "16\t trees of depth 10\t check: 32752",
                "long lived tree of depth 10\t check: 2047");
        assertEquals(spec, BinaryTrees.expectedLines(10));
        Runs.Outcome o = Runs.runAndPass("binary-trees", Runs.config("gmp", 2).build(), List.of("n=10"));
        assertEquals(spec, o.result().output());
    }

    @Test
    void binaryTreesRaisesSmallDepthsToSix() {
        Workload w = Runs.workload("binary-trees");
        assertTrue(w.check(w.params(List.of("n=2")), BinaryTrees.expectedLines(6)).passed());
    }

    @Test
    void hogAcceptsAnyLatenciesButNotAMissingMeasurement() {
        Workload w = Runs.workload("hog");
        Params p = w.params(List.of("sleepers=2", "samples=3"));
        String starved = "wake-up lateness p50=199871.3us p90=199871.3us p99=199871.3us max=199871.3us";
        assertTrue(w.check(p, List.of("measurements: 6", starved)).passed());
        assertFalse(w.check(p, List.of("measurements: 5", starved)).passed());
        assertFalse(w.check(p, List.of("measurements: 6", "wake-up lateness p50=?")).passed());
    }

    @Test
    void checksumsDependOnTheSeed() {
        for (String name : List.of("fanout", "parked-heap", "alloc-churn")) {
            Workload w = Runs.workload(name);
            List<String> args = Runs.SMALL.get(name);
            Runs.Outcome o = Runs.runAndPass(name, Runs.config("gmp", 2).build(), args);
            Check other = w.check(w.params(Runs.concat(args, "seed=2")), o.result().output());
            assertFalse(other.passed(), name + ": the output of seed 1 passed the check of seed 2");
        }
    }
}
