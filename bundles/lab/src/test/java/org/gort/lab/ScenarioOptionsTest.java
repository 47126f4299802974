package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scenario's options carry --set's properties into every selection it runs. */
class ScenarioOptionsTest {
    @Test
    void propertiesReachEverySelection() {
        ScenarioOptions o = ScenarioOptions.small().withProperty("gmp.forcePreemptNS", "1000000").withGogc(50);
        Selection s = o.applyTo(Selection.defaults().withProperty("gc.floating", "true"));
        assertEquals(Map.of("gmp.forcePreemptNS", "1000000", "gc.floating", "true"), s.properties());
        assertEquals(50, s.gogc());
        assertEquals(Map.of(), ScenarioOptions.full().properties());
    }
}
