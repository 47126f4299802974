package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.gort.api.Setting;
import org.junit.jupiter.api.Test;

/** {@code --set}: known keys only, Go durations in a key's unit, comma-separated values to sweep. */
class SettingsTest {
    private static final Map<String, Settings.Owned> KNOWN = Map.of(
            "gmp.forcePreemptNS", new Settings.Owned("scheduler gmp", new Setting("gmp.forcePreemptNS", "10000000", "")),
            "gc.forcePeriodMillis", new Settings.Owned("kernel", new Setting("gc.forcePeriodMillis", "120000", "")),
            "gc.floating", new Settings.Owned("kernel", new Setting("gc.floating", "false", "")));

    @Test
    void anUnknownKeyIsOneLineNamingTheKnownOnes() {
        CommandException e = assertThrows(CommandException.class,
                () -> Settings.parse(List.of("gmp.forcePreempt=1ms"), new java.util.TreeMap<>(KNOWN)));
        assertEquals("unknown setting 'gmp.forcePreempt' for --set; known: gc.floating, gc.forcePeriodMillis, gmp.forcePreemptNS",
                e.getMessage());
    }

    @Test
    void durationsAreConvertedToTheKeysUnitAndValuesSplitForASweep() {
        Map<String, List<String>> s = Settings.parse(List.of("gmp.forcePreemptNS=1ms,10ms,100ms", "gc.forcePeriodMillis=2s",
                "gc.floating=true"), KNOWN);
        assertEquals(List.of("1000000", "10000000", "100000000"), s.get("gmp.forcePreemptNS"));
        assertEquals(List.of("2000"), s.get("gc.forcePeriodMillis"));
        assertEquals(List.of("true"), s.get("gc.floating"));
        assertEquals("250000", Settings.inUnit("gmp.forcePreemptNS", "250us"));
        assertEquals("12345", Settings.inUnit("gmp.forcePreemptNS", "12345"));
    }

    @Test
    void aValueIsRequired() {
        assertThrows(CommandException.class, () -> Settings.parse(List.of("gc.floating="), KNOWN));
        assertThrows(CommandException.class, () -> Settings.parse(List.of("gc.floating"), KNOWN));
    }
}
