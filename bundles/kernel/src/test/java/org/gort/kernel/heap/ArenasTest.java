package org.gort.kernel.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.gort.spi.alloc.HeapArena;
import org.junit.jupiter.api.Test;

class ArenasTest {

    @Test
    void growCommits64MiBArenasFromTheFirstPageUpToTheLimit() {
        try (Arena owner = Arena.ofShared()) {
            Arenas a = new Arenas(owner, 200L << 20);
            assertEquals(0, a.committedEnd());
            assertEquals(HeapArena.PAGE_SIZE, a.grow(1), "the first page is never handed out: 0 is nil");
            assertEquals(64L << 20, a.committedEnd());
            assertEquals(1, a.arenasCommitted());
            assertEquals(64L << 20, a.grow(100L << 20), "growth continues where the committed heap ends");
            assertEquals(192L << 20, a.committedEnd());
            assertEquals(3, a.arenasCommitted());
            assertEquals(192L << 20, a.grow(8L << 20), "the last arena is what is left under the limit");
            assertEquals(200L << 20, a.committedEnd());
            assertEquals(0, a.grow(HeapArena.PAGE_SIZE), "nothing beyond the limit");
            assertEquals(4, a.arenasCommitted());
        }
    }

    @Test
    void aHugeReservationCostsNothingUntilTouched() {
        if (!Reservation.lazy()) {
            return; // the portable fallback commits eagerly; nothing to show
        }
        try (Arena owner = Arena.ofShared()) {
            long max = ObjectLayout.MAX_HEAP_BYTES;
            Arenas a = new Arenas(owner, max);
            long addr = a.grow(1);
            a.memory().set(ValueLayout.JAVA_LONG, addr, 42);
            assertEquals(42, a.memory().get(ValueLayout.JAVA_LONG, addr));
            assertEquals(0, a.memory().get(ValueLayout.JAVA_LONG, max - 8), "untouched memory reads as zero");
        }
    }

    @Test
    void aReservationBeyondWhatASlotAddressesIsRefused() {
        try (Arena owner = Arena.ofShared()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Arenas(owner, ObjectLayout.MAX_HEAP_BYTES + (64L << 20)));
            assertTrue(e.getMessage().startsWith("the heap limit must be at most 16 GiB"), e.getMessage());
        }
    }

    @Test
    void poisonWritesDeadbeefWordsAndZeroClearsThem() {
        try (Arena owner = Arena.ofShared()) {
            Arenas a = new Arenas(owner, 64L << 20);
            long addr = a.grow(1);
            a.poison(addr, 10_000);
            for (long off = 0; off < 10_000; off += 4) {
                assertEquals(0xdeadbeef, a.memory().get(ValueLayout.JAVA_INT, addr + off));
            }
            assertEquals(0, a.memory().get(ValueLayout.JAVA_INT, addr + 10_000));
            a.zero(addr, 10_000);
            assertEquals(0, a.memory().get(ValueLayout.JAVA_INT, addr + 9996));
        }
    }

    @Test
    void zeroSpanningSeveralChunksClearsExactlyItsRange() {
        try (Arena owner = Arena.ofShared()) {
            Arenas a = new Arenas(owner, 64L << 20);
            long addr = a.grow(1);
            a.poison(addr, 300_000);
            a.zero(addr + 4, 200_004); // three zero chunks and a partial one
            assertEquals(0xdeadbeef, a.memory().get(ValueLayout.JAVA_INT, addr));
            for (long off = 4; off < 200_008; off += 4) {
                assertEquals(0, a.memory().get(ValueLayout.JAVA_INT, addr + off), "offset " + off);
            }
            assertEquals(0xdeadbeef, a.memory().get(ValueLayout.JAVA_INT, addr + 200_008));
            a.poison(addr, 300_000);
            a.zero(addr + 8, 8); // one word inside
            assertEquals(0xdeadbeef, a.memory().get(ValueLayout.JAVA_INT, addr + 4));
            assertEquals(0L, a.memory().get(ValueLayout.JAVA_LONG, addr + 8));
            assertEquals(0xdeadbeef, a.memory().get(ValueLayout.JAVA_INT, addr + 16));
        }
    }

    @Test
    void smallBlocksAlignedOrNotAreZeroedExactly() {
        try (Arena owner = Arena.ofShared()) {
            Arenas a = new Arenas(owner, 64L << 20);
            long addr = a.grow(1);
            // {offset, length}: 8-byte aligned blocks up to and past the long-store limit, and
            // 4-byte aligned ones (noscan objects), which take the bulk path
            long[][] blocks = {{8, 8}, {16, 24}, {64, 64}, {128, 72}, {260, 12}, {512, 20}, {1024, 60}};
            for (long[] b : blocks) {
                a.poison(addr, 4096);
                a.zero(addr + b[0], b[1]);
                for (long off = 0; off < 4096; off += 4) {
                    int want = off >= b[0] && off < b[0] + b[1] ? 0 : 0xdeadbeef;
                    assertEquals(want, a.memory().get(ValueLayout.JAVA_INT, addr + off),
                            "block " + b[0] + "+" + b[1] + ", offset " + off);
                }
            }
        }
    }

    @Test
    void aLimitBelowTwoPagesIsRefused() {
        try (Arena owner = Arena.ofShared()) {
            assertThrows(IllegalArgumentException.class, () -> new Arenas(owner, 12_000));
        }
    }
}
