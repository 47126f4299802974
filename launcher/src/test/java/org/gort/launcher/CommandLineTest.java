package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void plainWordsStayAsTheyAre() {
        assertEquals("run sieve n=10 --sched legacy-gm --out /tmp/x.csv",
                CommandLine.join(List.of("run", "sieve", "n=10", "--sched", "legacy-gm", "--out", "/tmp/x.csv")));
    }

    @Test
    void wordsGogoWouldParseAreQuoted() {
        assertEquals("echo 'a b' '$x' '{}'", CommandLine.join(List.of("echo", "a b", "$x", "{}")));
        assertEquals("echo \"it's \\$x\"", CommandLine.join(List.of("echo", "it's $x")));
    }
}
