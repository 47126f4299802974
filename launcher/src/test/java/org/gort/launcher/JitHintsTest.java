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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code launcher/jit-hints} names methods by pattern, and the JVM ignores a pattern that
 * matches nothing: a renamed method would silently lose its hint. Every line here must name a
 * class on the class path and match at least one of the methods it declares.
 */
class JitHintsTest {
    private static final Path HINTS = Path.of("jit-hints");

    @Test
    void everyHintNamesAMethodThatExists() throws IOException {
        List<String> lines = hints();
        assertFalse(lines.isEmpty(), "no hints read from " + HINTS.toAbsolutePath());
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("[ ,]+");
            String pattern = parts.length > 1 ? parts[1] : "";
            int sep = pattern.indexOf("::");
            assertTrue(sep > 0, "not a Class::method pattern: " + line);
            String className = pattern.substring(0, sep);
            String methodGlob = pattern.substring(sep + 2);
            assertFalse(className.contains("*"), "name a class, not a pattern, so that this test can check it: " + line);
            Class<?> c;
            try {
                c = Class.forName(className, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(line + " (no class " + className + ")");
                continue;
            }
            if (Arrays.stream(c.getDeclaredMethods()).map(Method::getName).noneMatch(n -> matches(methodGlob, n))) {
                missing.add(line + " (no method of " + className + " matches " + methodGlob + ")");
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
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        List<String> twice = new ArrayList<>();
        for (String line : hints()) {
            String[] parts = line.split("[ ,]+");
            String pattern = parts[1];
            String option = parts[0];
            int sep = pattern.indexOf("::");
            Class<?> c;
            try {
                c = Class.forName(pattern.substring(0, sep), false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                continue; // everyHintNamesAMethodThatExists reports it
            }
            String glob = pattern.substring(sep + 2);
            for (String name : Arrays.stream(c.getDeclaredMethods()).map(Method::getName).distinct().toList()) {
                if (matches(glob, name)) {
                    String earlier = seen.putIfAbsent(option + " " + c.getName() + "::" + name, line);
                    if (earlier != null && !earlier.equals(line)) {
                        twice.add(c.getName() + "::" + name + ": '" + earlier + "' and '" + line + "'");
                    }
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

    private static List<String> hints() throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(HINTS)) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.equals("quiet")) {
                out.add(t);
            }
        }
        return out;
    }
}
