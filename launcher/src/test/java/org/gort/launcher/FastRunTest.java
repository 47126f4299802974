package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When {@code ./gort run} takes the fast path, and that the words it hands the shell's
 * {@code run} are the ones Gogo hands it on the framework's path (checked against Gogo's own
 * parser): the fast path declines whatever Gogo would read differently.
 */
class FastRunTest {
    private static GogoParser gogo;

    @BeforeAll
    static void start() {
        gogo = new GogoParser();
    }

    @AfterAll
    static void stop() {
        gogo.close();
    }

    /** The values Gogo hands {@code run} for the process arguments {@code args}. */
    private static List<Object> gogo(List<String> args) throws Exception {
        return gogo.received("run", args);
    }

    private static List<String> fast(String... args) {
        return FastRun.words(List.of(args), List.of(), null);
    }

    /** Taken, and the same words as Gogo's. */
    private static void same(String... args) throws Exception {
        List<String> words = fast(args);
        assertNotNull(words, () -> "the fast path declined " + List.of(args));
        assertEquals(gogo(List.of(args)), new ArrayList<Object>(words), () -> CommandLine.of(List.of(args)));
    }

    @Test
    void runWordsReachTheCommandAsUnderGogo() throws Exception {
        same("run", "sieve", "n=10", "--sched", "legacy-gm");
        same("run", "programs/leak-send.java", "a b", "it's", "$x", "{}", "a;b", "#c", "//d", "", "é");
        same("run sieve n=10 --gc stw");
        same("  run   sieve n=10 ");
        same("run");
    }

    @Test
    void whatGogoReadsDifferentlyGoesToTheFramework() throws Exception {
        assertNull(fast("run sieve n=10 | grep 29"));
        assertNull(fast("run sieve n=10; run spawn"));
        assertNull(fast("run 'sieve' n=10"));
        assertNull(fast("run", "sieve", "true"));
        assertTrue(!(gogo(List.of("run", "true")).get(0) instanceof String), "Gogo reads true as a value");
    }

    @Test
    void otherCommandsTheDeployFolderAndGortFelixGoToTheFramework() {
        assertNull(fast("strategies"));
        assertNull(fast("runs"));
        assertNull(fast());
        assertNull(FastRun.words(List.of("run", "sieve"), List.of(Path.of("deploy/x.jar")), null));
        assertNull(FastRun.words(List.of("run", "sieve"), List.of(), "1"));
        assertEquals(List.of("sieve"), FastRun.words(List.of("run", "sieve"), List.of(), "0"));
        assertEquals(List.of("sieve"), FastRun.words(List.of("run", "sieve"), List.of(), ""));
    }

    @Test
    void aRunLoadsGortsJarsAndGogosRuntimeOnly() {
        assertTrue(FastRun.needed(Path.of("b/gort-kernel-0.1.0-SNAPSHOT.jar")));
        assertTrue(FastRun.needed(Path.of("b/org.apache.felix.gogo.runtime-1.1.6.jar")));
        assertTrue(!FastRun.needed(Path.of("b/org.apache.felix.scr-2.2.12.jar")));
        assertTrue(!FastRun.needed(Path.of("b/jline-3.30.6.jar")));
    }
}
