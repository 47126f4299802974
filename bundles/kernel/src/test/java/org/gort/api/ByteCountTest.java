package org.gort.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's parseByteCount: {@code ^[0-9]+(([KMGT]i)?B)?$}, and the formats that print byte counts. */
class ByteCountTest {
    @Test
    void readsGoSizes() {
        assertEquals(512L << 20, ByteCount.parse("512MiB"));
        assertEquals(1L << 30, ByteCount.parse("1GiB"));
        assertEquals(2L << 40, ByteCount.parse("2TiB"));
        assertEquals(64L << 10, ByteCount.parse("64KiB"));
        assertEquals(1_048_576, ByteCount.parse("1048576"));
        assertEquals(100, ByteCount.parse("100B"));
        assertEquals(3L << 20, ByteCount.parse(" 3MiB "));
    }

    @Test
    void refusesWhatGoRefuses() {
        for (String bad : new String[] {"", "MiB", "512MB", "512mib", "1.5GiB", "-1", "1 GiB", "512M", "0x10", "１０MiB"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteCount.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not a byte count: '" + bad + "'; write a whole number with an optional unit"),
                    e::getMessage);
        }
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> ByteCount.parse("9999999TiB"));
        assertTrue(big.getMessage().startsWith("byte count out of range: '9999999TiB'"), big::getMessage);
        assertThrows(IllegalArgumentException.class, () -> ByteCount.parse("99999999999999999999"));
    }

    @Test
    void printsTheLargestExactUnit() {
        assertEquals("512 MiB", ByteCount.format(512L << 20));
        assertEquals("1536 KiB", ByteCount.format(1536L << 10));
        assertEquals("1000 bytes", ByteCount.format(1000));
        assertEquals("512MiB", ByteCount.formatCompact(512L << 20));
        assertEquals("1000", ByteCount.formatCompact(1000));
        for (long n : new long[] {1, 1000, 4096, 3L << 30, 5L << 40, 12345678}) {
            assertEquals(n, ByteCount.parse(ByteCount.formatCompact(n)));
        }
    }

    @Test
    void theHeapLimitMessageNamesAnOptionThatExists() {
        HeapExhaustedException e = new HeapExhaustedException(64L << 20, 24);
        assertEquals("out of memory: heap limit 64 MiB reached allocating 24 bytes; raise the limit, e.g. --max-heap 128MiB",
                e.getMessage());
        HeapExhaustedException big = new HeapExhaustedException(4L << 20, 10L << 20);
        assertTrue(big.getMessage().endsWith("--max-heap 14MiB"), big::getMessage);
        assertEquals(64L << 20, RuntimeConfig.builder().maxHeapBytes(ByteCount.parse("64MiB")).build().maxHeapBytes());
    }
}
