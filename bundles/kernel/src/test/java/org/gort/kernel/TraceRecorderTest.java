package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gort.spi.gc.Phase;
import org.junit.jupiter.api.Test;

/** The trace file's number and string formatting, which JSON and Perfetto read exactly. */
class TraceRecorderTest {
    @Test
    void nanosecondsBecomeMicrosecondsWithThreeExactDecimals() {
        assertEquals("0.000", TraceRecorder.micros(0));
        assertEquals("0.005", TraceRecorder.micros(5));
        assertEquals("0.050", TraceRecorder.micros(50));
        assertEquals("1234.567", TraceRecorder.micros(1_234_567));
        assertEquals("9223372036854775.807", TraceRecorder.micros(Long.MAX_VALUE));
        assertEquals("0.000", TraceRecorder.micros(-3), "a clock read before the start clamps to it");
    }

    @Test
    void stringsAreEscapedForJson() {
        assertEquals("\"chan receive\"", TraceRecorder.quote("chan receive"));
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", TraceRecorder.quote("a\"b\\c\nd\u0001"));
    }

    @Test
    void everyPhaseHasATrackName() {
        for (Phase p : Phase.values()) {
            String name = TraceRecorder.phaseName(p);
            assertEquals(p.stopsTheWorld() && (p == Phase.STW_MARK || p == Phase.STW_SWEEP), name.endsWith("(world stopped)"), name);
        }
    }
}
