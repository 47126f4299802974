package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gort.api.RuntimeConfig;
import org.junit.jupiter.api.Test;

/** {@code --max-heap SIZE} on run, compare and scenario, with Go's sizes. */
class MaxHeapOptionTest {
    private static Words runWords(Object... words) {
        return Words.parse("run", words, Options.RUN_VALUED, Options.RUN_SWITCHES);
    }

    @Test
    void takesGoSizes() {
        assertEquals(512L << 20, Options.maxHeap(runWords("binary-trees", "--max-heap", "512MiB")));
        assertEquals(2L << 30, Options.maxHeap(runWords("binary-trees", "--max-heap=2GiB")));
        assertEquals(RuntimeConfig.DEFAULT_MAX_HEAP_BYTES, Options.maxHeap(runWords("binary-trees")));
    }

    @Test
    void aBadSizeIsOneLine() {
        CommandException unit = assertThrows(CommandException.class, () -> Options.maxHeap(runWords("x", "--max-heap", "512MB")));
        assertTrue(unit.getMessage().startsWith("--max-heap: not a byte count: '512MB'; write a whole number with an optional unit B, KiB, MiB, GiB or TiB"),
                unit::getMessage);
        CommandException small = assertThrows(CommandException.class, () -> Options.maxHeap(runWords("x", "--max-heap", "64KiB")));
        assertEquals("--max-heap 64KiB is out of range (at least 1MiB, at most 16GiB)", small.getMessage());
        CommandException large = assertThrows(CommandException.class, () -> Options.maxHeap(runWords("x", "--max-heap", "32GiB")));
        assertEquals("--max-heap 32GiB is out of range (at least 1MiB, at most 16GiB)", large.getMessage());
    }

    @Test
    void compareAndScenarioTakeItToo() throws Exception {
        for (String command : List.of("run", "compare", "scenario")) {
            java.lang.reflect.Method m = java.util.Arrays.stream(GortCommands.class.getMethods())
                    .filter(x -> x.getName().equals(command)).findFirst().orElseThrow();
            String usage = m.getAnnotation(org.apache.felix.service.command.Descriptor.class).value();
            assertTrue(usage.contains("[--max-heap SIZE]"), command + ": " + usage);
        }
    }
}
