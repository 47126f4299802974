package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gort.api.RuntimeConfig;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;
import org.junit.jupiter.api.Test;

/** {@code --max-threads N} on run, compare and scenario: every run they make gets the limit. */
class MaxThreadsOptionTest {
    private static Words words(String command, Object... words) {
        return Options.parse(command, words);
    }

    @Test
    void compareGivesEverySelectionTheLimit() {
        RegistryCatalog catalog = new RegistryCatalog();
        List<Selection> selections = Options.compareSelections(
                words("compare", "relay", "--gogc", "50,200", "--max-threads", "8"), catalog, new RunManager(catalog));
        assertEquals(2, selections.size());
        for (Selection s : selections) {
            assertEquals(8, s.maxThreads(), s.toString());
            assertEquals(8, s.applyTo(RuntimeConfig.builder()).build().maxThreads(), "the run's configuration");
        }
        List<Selection> unset = Options.compareSelections(words("compare", "relay", "--gogc", "50,200"), catalog,
                new RunManager(catalog));
        assertTrue(unset.stream().allMatch(s -> s.maxThreads() == RuntimeConfig.DEFAULT_MAX_THREADS), unset::toString);
    }

    @Test
    void scenarioGivesEverySelectionTheLimit() {
        RegistryCatalog catalog = new RegistryCatalog();
        ScenarioOptions o = Options.scenarioOptions(words("scenario", "syscall-handoff", "--max-threads=16"), catalog);
        assertEquals(16, o.maxThreads());
        Selection s = o.applyTo(Selection.parse("sched=legacy-gm procs=2"));
        assertEquals(16, s.applyTo(RuntimeConfig.builder()).build().maxThreads());
        ScenarioOptions unset = Options.scenarioOptions(words("scenario", "syscall-handoff"), catalog);
        assertEquals(0, unset.maxThreads(), "0: the scenario's own choice");
        assertEquals(RuntimeConfig.DEFAULT_MAX_THREADS, unset.applyTo(Selection.defaults()).maxThreads());
    }

    @Test
    void aBadValueIsOneLineAsOnRun() {
        for (String command : List.of("run", "compare", "scenario")) {
            CommandException zero = assertThrows(CommandException.class, () -> Options.maxThreads(words(command, "x", "--max-threads", "0")));
            assertEquals("--max-threads is out of range (at least 1), got '0'", zero.getMessage());
            CommandException large = assertThrows(CommandException.class,
                    () -> Options.maxThreads(words(command, "x", "--max-threads", "1000001")));
            assertEquals("--max-threads is out of range (at most 1000000), got '1000001'", large.getMessage());
            CommandException word = assertThrows(CommandException.class, () -> Options.maxThreads(words(command, "x", "--max-threads", "many")));
            assertEquals("--max-threads must be a whole number from 1 to 1000000, got 'many'", word.getMessage());
        }
        RegistryCatalog catalog = new RegistryCatalog();
        CommandException compare = assertThrows(CommandException.class, () -> Options.compareSelections(
                words("compare", "relay", "--gogc", "50,200", "--max-threads", "-3"), catalog, new RunManager(catalog)));
        assertEquals("--max-threads is out of range (at least 1), got '-3'", compare.getMessage());
        CommandException scenario = assertThrows(CommandException.class,
                () -> Options.scenarioOptions(words("scenario", "syscall-handoff", "--max-threads", "1e3"), catalog));
        assertEquals("--max-threads must be a whole number from 1 to 1000000, got '1e3'", scenario.getMessage());
    }

    @Test
    void compareAndScenarioTakeItToo() throws Exception {
        for (String command : List.of("run", "compare", "scenario")) {
            assertEquals("N", Options.valued(command).get("--max-threads"), command);
            java.lang.reflect.Method m = java.util.Arrays.stream(GortCommands.class.getMethods())
                    .filter(x -> x.getName().equals(command)).findFirst().orElseThrow();
            String usage = m.getAnnotation(org.apache.felix.service.command.Descriptor.class).value();
            assertTrue(usage.contains("[--max-threads N]"), command + ": " + usage);
        }
    }
}
