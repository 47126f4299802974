package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CommandHelpTest {
    @Test
    void everyCommandHasAHelpEntryAndEveryEntryACommand() {
        Set<String> methods = Arrays.stream(GortCommands.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(methods, new TreeSet<>(CommandHelp.COMMANDS.keySet()));
    }

    @Test
    void everyOptionACommandTakesSaysWhatItDoes() {
        List<String> missing = new ArrayList<>();
        check("run", Options.RUN_VALUED, Options.RUN_SWITCHES, missing);
        check("compare", Options.COMPARE_VALUED, Options.COMPARE_SWITCHES, missing);
        check("scenario", Options.SCENARIO_VALUED, Options.SCENARIO_SWITCHES, missing);
        check("report", Options.REPORT_VALUED, List.of(), missing);
        assertTrue(missing.isEmpty(), "options without a line in CommandHelp.OPTIONS: " + missing);
    }

    private static void check(String command, Map<String, String> valued, List<String> switches, List<String> missing) {
        valued.keySet().stream().filter(o -> CommandHelp.option(command, o) == null).forEach(o -> missing.add(command + " " + o));
        switches.stream().filter(o -> CommandHelp.option(command, o) == null).forEach(o -> missing.add(command + " " + o));
    }

    @Test
    void helpRunPrintsOneOptionPerLineWithItsMeaningAndDefault() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandHelp.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "run", Options.RUN_VALUED,
                Options.RUN_SWITCHES, key -> key.equals("sched") ? "gmp" : "?");
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("usage: run <workload> [name=value ...] [options] | run <path/Prog.java> [args ...] [-- args ...] [options]",
                lines.get(0));
        int first = lines.indexOf("options:") + 1;
        List<String> options = lines.subList(first, lines.size());
        assertEquals(Options.RUN_VALUED.size() + Options.RUN_SWITCHES.size(), options.size(), String.join("\n", lines));
        assertTrue(options.contains("  --sched S" + " ".repeat(options.get(0).indexOf("the number") - "  --sched S".length())
                + "the scheduler (default gmp)"), String.join("\n", lines));
        assertTrue(options.stream().anyMatch(l -> l.matches("  --trace-limit N +the most trace events kept \\(default 1000000\\)")),
                String.join("\n", lines));
        assertTrue(options.stream().allMatch(l -> l.startsWith("  --")), String.join("\n", lines));
    }
}
