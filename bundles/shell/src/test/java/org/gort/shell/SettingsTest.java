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
    void onlyALiveSettingChangesWhileRunningAndItsValueIsChecked() {
        Map<String, Settings.Owned> known = new java.util.TreeMap<>(KNOWN);
        known.put("gmp.forcePreemptNS", new Settings.Owned("scheduler gmp",
                new Setting("gmp.forcePreemptNS", "10000000", "").whileRunning()));
        assertEquals("1000000", Settings.live("gmp.forcePreemptNS", "1ms", known));
        assertEquals("gc.floating is read when the run starts (give it to the next run: --set gc.floating=true); "
                + "settable while running: gmp.forcePreemptNS",
                assertThrows(CommandException.class, () -> Settings.live("gc.floating", "true", known)).getMessage());
        assertEquals("unknown setting 'nosuch'; settable while running: gmp.forcePreemptNS",
                assertThrows(CommandException.class, () -> Settings.live("nosuch", "1", known)).getMessage());
        assertEquals("gmp.forcePreemptNS takes a duration of at least 1ns (10ms, 250us, or a number of nanoseconds), got 'soon'",
                assertThrows(CommandException.class, () -> Settings.live("gmp.forcePreemptNS", "soon", known)).getMessage());
        assertThrows(CommandException.class, () -> Settings.live("gmp.forcePreemptNS", "0", known));
        assertEquals("unknown setting 'nosuch'; none of the installed strategies' settings can change while a run goes on",
                assertThrows(CommandException.class, () -> Settings.live("nosuch", "1", KNOWN)).getMessage());
    }

    @Test
    void sweepLabelsShowDurationsAsGoPrintsThem() {
        assertEquals("1ms", Settings.label("gmp.forcePreemptNS", Settings.inUnit("gmp.forcePreemptNS", "1ms")));
        assertEquals("1ms", Settings.label("gmp.forcePreemptNS", "1000000"));
        assertEquals("2s", Settings.label("gc.forcePeriodMillis", "2000"));
        assertEquals("true", Settings.label("gc.floating", "true"));
        // time.Duration.String
        assertEquals("0s", Settings.goDuration(0));
        assertEquals("999ns", Settings.goDuration(999));
        assertEquals("1.5µs", Settings.goDuration(1_500));
        assertEquals("250µs", Settings.goDuration(250_000));
        assertEquals("1.25ms", Settings.goDuration(1_250_000));
        assertEquals("1.5s", Settings.goDuration(1_500_000_000L));
        assertEquals("1m30s", Settings.goDuration(90_000_000_000L));
        assertEquals("2h0m0s", Settings.goDuration(7_200_000_000_000L));
        assertEquals("1h2m3.004s", Settings.goDuration(3_723_004_000_000L));
        assertEquals("-10ms", Settings.goDuration(-10_000_000));
    }

    @Test
    void aValueIsRequired() {
        assertThrows(CommandException.class, () -> Settings.parse(List.of("gc.floating="), KNOWN));
        assertThrows(CommandException.class, () -> Settings.parse(List.of("gc.floating"), KNOWN));
    }
}
