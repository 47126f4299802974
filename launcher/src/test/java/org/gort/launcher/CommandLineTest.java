package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The launcher's quoting, checked against Gogo's own parser: every argument arrives as it was given. */
class CommandLineTest {
    private static GogoParser gogo;

    @BeforeAll
    static void start() {
        gogo = new GogoParser();
    }

    @AfterAll
    static void stop() {
        gogo.close();
    }

    /** The words Gogo hands the command {@code words} for the process arguments {@code args}. */
    private static List<String> received(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("words"));
        cmd.addAll(args);
        return gogo.received("words", cmd).stream().map(String::valueOf).toList();
    }

    private static void roundTrips(String... args) throws Exception {
        assertEquals(List.of(args), received(List.of(args)), () -> CommandLine.of(List.of(args)));
    }

    @Test
    void plainWordsStayAsTheyAre() {
        assertEquals("run sieve n=10 --sched legacy-gm --out /tmp/x.csv",
                CommandLine.join(List.of("run", "sieve", "n=10", "--sched", "legacy-gm", "--out", "/tmp/x.csv")));
    }

    @Test
    void everyArgumentReachesTheCommandAsGiven() throws Exception {
        roundTrips("n=10", "--trace-out", "/tmp/it's.json");
        roundTrips("it's $x", "'", "''", "a'b'c", "\"", "a\"b");
        roundTrips("a b", "$x", "{}", "${x}", "a;b", "a|b", "a&b", "(x)", "[1,2]", "<in", ">out");
        roundTrips("C:\\dir\\file", "\\", "a\\'b", "\\n", "\\u0041", "tab\there");
        roundTrips("#not-a-comment", "//not/a/comment", "é", "１０", "");
    }

    @Test
    void oneArgumentWithABlankIsAWholeCommandLine() throws Exception {
        assertEquals("run sieve n=10 | grep 29", CommandLine.of(List.of("run sieve n=10 | grep 29")));
        assertEquals("'it'\\''s'", CommandLine.of(List.of("it's")));
        assertEquals(List.of("a", "b c"), received(List.of("a", "b c")));
    }
}
