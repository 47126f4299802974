package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code launcher/jit-hints} names methods by pattern, and the JVM ignores a pattern that
 * matches nothing: a renamed method would silently lose its hint. Every line here must name a
 * class on the class path and match at least one of the methods it declares.
 */
class JitHintsTest {
    private static final Path HINTS = Path.of("jit-hints");

    /** One line: its option (a command, or an option such as CompileThresholdScaling), class and method glob. */
    private record Hint(String line, String option, String className, String glob) {
        static Hint parse(String line) {
            String[] parts = line.split("[ ,]+");
            String pattern = parts.length > 1 ? parts[1] : "";
            int sep = pattern.indexOf("::");
            assertTrue(sep > 0, "not a Class::method pattern: " + line);
            return new Hint(line, parts[0], pattern.substring(0, sep), pattern.substring(sep + 2));
        }

        /** The class, or null if it is not on the class path. */
        Class<?> type() {
            try {
                return Class.forName(className, false, JitHintsTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return null;
            }
        }

        /** The names of the class's methods the glob matches. */
        List<String> methods(Class<?> c) {
            return Arrays.stream(c.getDeclaredMethods()).map(Method::getName).distinct().filter(n -> matches(glob, n)).toList();
        }
    }

    @Test
    void everyHintNamesAMethodThatExists() throws IOException {
        List<Hint> hints = hints();
        assertFalse(hints.isEmpty(), "no hints read from " + HINTS.toAbsolutePath());
        List<String> missing = new ArrayList<>();
        for (Hint h : hints) {
            assertFalse(h.className().contains("*"), "name a class, not a pattern, so that this test can check it: " + h.line());
            Class<?> c = h.type();
            if (c == null) {
                missing.add(h.line() + " (no class " + h.className() + ")");
            } else if (h.methods(c).isEmpty()) {
                missing.add(h.line() + " (no method of " + h.className() + " matches " + h.glob() + ")");
            }
        }
        assertEquals(List.of(), missing, "jit-hints lines that match nothing");
    }

    /**
     * Two lines setting the same option for one method leave the JVM to pick one of them, and
     * the file would not say which: each method gets each option from one line at most.
     */
    @Test
    void noMethodGetsAnOptionTwice() throws IOException {
        Map<String, String> seen = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (Hint h : hints()) {
            Class<?> c = h.type();
            if (c == null) {
                continue; // everyHintNamesAMethodThatExists reports it
            }
            for (String name : h.methods(c)) {
                String earlier = seen.putIfAbsent(h.option() + " " + c.getName() + "::" + name, h.line());
                if (earlier != null && !earlier.equals(h.line())) {
                    twice.add(c.getName() + "::" + name + ": '" + earlier + "' and '" + h.line() + "'");
                }
            }
        }
        assertEquals(List.of(), twice, "methods that two jit-hints lines give the same option");
    }

    @Test
    void globsMatchAsTheJvmDoes() {
        assertTrue(matches("*", "run"));
        assertTrue(matches("run*", "runPhases"));
        assertTrue(matches("*Stopped", "drainAllStopped"));
        assertTrue(matches("startCycle", "startCycle"));
        assertFalse(matches("*Cycle", "cycle"));
        assertFalse(matches("run*", "prune"));
    }

    /** HotSpot's method patterns: a name, with an optional {@code *} at either end. */
    private static boolean matches(String glob, String name) {
        boolean head = glob.startsWith("*");
        boolean tail = glob.endsWith("*") && glob.length() > 1;
        String core = glob.substring(head ? 1 : 0, glob.length() - (tail ? 1 : 0));
        if (head && tail) {
            return name.contains(core);
        }
        if (head) {
            return name.endsWith(core);
        }
        if (tail) {
            return name.startsWith(core);
        }
        return name.equals(core);
    }

    private static List<Hint> hints() throws IOException {
        List<Hint> out = new ArrayList<>();
        for (String l : Files.readAllLines(HINTS)) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.equals("quiet")) {
                out.add(Hint.parse(t));
            }
        }
        return out;
    }
}
