package org.gort.lab.internal.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's example-test rules for {@code // Output:} and {@code // Unordered output:}. */
class ExpectedOutputTest {
    @Test
    void theLastOutputBlockCountsWithTextOnItsFirstLineAndSurroundingSpaceIgnored() {
        ExpectedOutput e = ExpectedOutput.parse("""
                // Output: not this one
                class A {
                    // a comment
                }
                // output: hello
                //   indented
                //
                //
                // world   \s
                """);
        assertEquals("hello\n  indented\n\nworld", e.text());
        assertFalse(e.unordered());
        assertTrue(e.matches(List.of("", "hello", "  indented", "", "world", "")));
        assertFalse(e.matches(List.of("hello", "indented", "", "world")));
        assertEquals("line 2: expected '  indented', got 'indented'", e.firstDifference(List.of("hello", "indented", "", "world")));
    }

    @Test
    void unorderedOutputComparesSortedLines() {
        ExpectedOutput e = ExpectedOutput.parse("// Unordered output:\n// b\n// a\n");
        assertTrue(e.unordered());
        assertTrue(e.matches(List.of("a", "b")));
        assertFalse(e.matches(List.of("a", "a")));
        assertEquals("(unordered) expected a line 'b' that is not there", e.firstDifference(List.of("a", "a")));
    }

    @Test
    void noBlockMeansNoCheckAndAnEmptyBlockExpectsNoOutput() {
        assertNull(ExpectedOutput.parse("class A {}\n// just a comment\n"));
        ExpectedOutput empty = ExpectedOutput.parse("// Output:\n");
        assertTrue(empty.matches(List.of()));
        assertFalse(empty.matches(List.of("x")));
    }
}
