package org.gort.kernel.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArenaMarkBitsTest {
    private final Arena owner = Arena.ofShared();
    private final ArenaMarkBits bits = new ArenaMarkBits(owner, 64L << 20);

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void markIsTrueOnlyForTheCallThatSetsTheBit() {
        assertFalse(bits.isMarked(0x2000));
        assertTrue(bits.mark(0x2000));
        assertFalse(bits.mark(0x2000));
        assertTrue(bits.isMarked(0x2000));
        assertFalse(bits.isMarked(0x2004), "one bit per 4-byte granule");
        assertFalse(bits.isMarked(0x1ffc));
    }

    @Test
    void anyMarkedAndCountSeeExactlyTheirRange() {
        bits.mark(0x4008);
        assertTrue(bits.anyMarked(0x4000, 16), "a tiny block is live if any granule in it is marked");
        assertFalse(bits.anyMarked(0x4000, 8));
        assertFalse(bits.anyMarked(0x400c, 4));
        assertTrue(bits.anyMarked(0x4008, 4));
        for (long a = 0x8000; a < 0x8000 + 4096; a += 12) {
            bits.mark(a);
        }
        assertEquals((4096 + 11) / 12, bits.countMarked(0x8000, 4096));
        assertEquals(1, bits.countMarked(0x4000, 0x4000));
    }

    @Test
    void clearRemovesOnlyItsRangeIncludingPartialWords() {
        for (long a = 0x10000; a < 0x10000 + 2048; a += 4) {
            bits.mark(a);
        }
        // [0x10004, 0x1030c): starts and ends inside 64-granule words
        bits.clear(0x10004, 0x308);
        assertTrue(bits.isMarked(0x10000));
        assertFalse(bits.isMarked(0x10004));
        assertFalse(bits.isMarked(0x10308));
        assertTrue(bits.isMarked(0x1030c));
        assertEquals(512 - 0x308 / 4, bits.countMarked(0x10000, 2048));
        bits.clear(0x10000, 8192);
        assertEquals(0, bits.countMarked(0, 64L << 20));
    }

    @Test
    void clearOfALargeSpanSpansSeveralZeroChunks() {
        long from = 1L << 20;
        long len = 300L << 10; // the bits of 300 KiB: more than two chunks of zeroes
        for (long a = from - 256; a < from + len + 256; a += 4) {
            bits.mark(a);
        }
        bits.clear(from, len);
        assertEquals(0, bits.countMarked(from, len));
        assertEquals(64, bits.countMarked(from - 256, 256), "the word below is kept");
        assertEquals(64, bits.countMarked(from + len, 256), "the word above is kept");
    }

    @Test
    void concurrentMarkersSetEachBitExactlyOnce() throws Exception {
        int threads = 8;
        long objects = 200_000;
        AtomicLong wins = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < objects; i++) {
                    if (bits.mark(0x2000 + i * 4)) {
                        wins.incrementAndGet();
                    }
                }
            });
            ts.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(objects, wins.get(), "every granule is newly marked by exactly one thread");
        assertEquals(objects, bits.countMarked(0x2000, objects * 4));
    }

    @Test
    void addressesOutsideTheHeapAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> bits.mark(0));
        assertThrows(IllegalArgumentException.class, () -> bits.mark(64L << 20));
        assertThrows(IllegalArgumentException.class, () -> bits.anyMarked((64L << 20) - 8, 16));
        assertThrows(IllegalArgumentException.class, () -> bits.countMarked(-16, 32));
        assertThrows(IllegalArgumentException.class, () -> bits.clear(1L << 40, 4096));
        assertThrows(IllegalArgumentException.class, () -> bits.clear(0x2000, -1));
        assertEquals(0, bits.countMarked(0, 64L << 20), "the whole heap is a valid range");
    }

    @Test
    void releasedBitsStayMappedAndReadAsZero() {
        bits.mark(0x2000);
        bits.mark((64L << 20) - 4);
        bits.release();
        assertFalse(bits.isMarked(0x2000));
        assertFalse(bits.isMarked((64L << 20) - 4));
        assertTrue(bits.mark(0x2000), "a late marker touches a fresh zero page, not an unmapped one");
    }
}
