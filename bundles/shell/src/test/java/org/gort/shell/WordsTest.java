package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WordsTest {
    private static final Map<String, String> VALUED = new LinkedHashMap<>(Map.of("--sched", "S"));
    private static final List<String> SWITCHES = List.of("--gctrace");

    private static Words parse(Object... words) {
        return Words.parse("run", words, VALUED, SWITCHES);
    }

    @Test
    void sortsPositionalWordsParametersAndOptions() {
        Words w = parse("sieve", "n=10", "--sched", "legacy-gm", "--gctrace", "m=2");
        assertEquals(List.of("sieve"), w.positional);
        assertEquals(List.of("n=10", "m=2"), w.params);
        assertEquals("legacy-gm", w.get("--sched", null));
        assertTrue(w.has("--gctrace"));
    }

    @Test
    void acceptsAnOptionWithAnEqualsSign() {
        assertEquals("gmp", parse("sieve", "--sched=gmp").get("--sched", null));
    }

    @Test
    void anUnknownOptionNamesTheOptionsThatExist() {
        CommandException e = assertThrows(CommandException.class, () -> parse("sieve", "--fast"));
        assertEquals("unknown option '--fast' for run; it takes --sched S, --gctrace", e.getMessage());
    }

    @Test
    void aValuedOptionAtTheEndSaysWhatItNeeds() {
        CommandException e = assertThrows(CommandException.class, () -> parse("sieve", "--sched"));
        assertEquals("--sched needs a value: --sched S", e.getMessage());
    }

    @Test
    void aSwitchTakesNoValue() {
        assertThrows(CommandException.class, () -> parse("sieve", "--gctrace=yes"));
    }

    @Test
    void wholeNumberOptionsAreCheckedAgainstTheirRange() {
        Words w = Words.parse("run", new Object[] {"--n", "0"}, Map.of("--n", "N"), List.of());
        CommandException e = assertThrows(CommandException.class, () -> w.intOption("--n", 1, 1, 1024));
        assertEquals("--n is out of range (at least 1), got '0'", e.getMessage());
        assertEquals(7, Words.parse("run", new Object[] {"--n", "7"}, Map.of("--n", "N"), List.of()).intOption("--n", 1, 1, 1024));
        assertFalse(w.has("--m"));
        assertEquals("--n is out of range (at most 1024), got '99999999999'", intError("99999999999"));
        assertEquals("--n must be a whole number from 1 to 1024, got 'x'", intError("x"));
    }

    /** Integer.parseInt takes full-width and other scripts' digits; an option does not. */
    @Test
    void wholeNumberOptionsAreAsciiDigits() {
        assertEquals("--n must be a whole number from 1 to 1024, got '\uFF12'", intError("\uFF12"));
        assertEquals("--n must be a whole number from 1 to 1024, got '\u0662'", intError("\u0662"));
    }

    private static String intError(String value) {
        Words w = Words.parse("run", new Object[] {"--n", value}, Map.of("--n", "N"), List.of());
        return assertThrows(CommandException.class, () -> w.intOption("--n", 1, 1, 1024)).getMessage();
    }

    @Test
    void kindsAcceptTheirShortNamesAndRejectOthersClearly() {
        assertEquals(Kind.SCHEDULER, Kind.parse("sched"));
        assertEquals(Kind.COLLECTOR, Kind.parse("GC"));
        CommandException e = assertThrows(CommandException.class, () -> Kind.parse("pager"));
        assertEquals("unknown kind 'pager'; use scheduler (sched), allocator (alloc), collector (gc) or pacer", e.getMessage());
        assertEquals(Kind.PACER, Kind.parse("pacer"));
    }

    @Test
    void keepsTheOrderOfNonOptionWordsAndPassesEverythingAfterDashes() {
        Words w = parse("prog.java", "10", "n=3", "--sched", "gmp", "x", "--", "--verbose", "y");
        assertEquals(List.of("prog.java", "10", "n=3", "x", "--verbose", "y"), w.words);
        assertEquals("gmp", w.get("--sched", null));
        assertFalse(w.has("--verbose"));
    }
}
