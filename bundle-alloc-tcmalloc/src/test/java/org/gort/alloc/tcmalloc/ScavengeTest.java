package org.gort.alloc.tcmalloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.HeapArena;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Go's scavenger in the page heap: free pages go back to the OS, highest first, and come back on reuse. */
class ScavengeTest {
    private static final long PAGE = HeapArena.PAGE_SIZE;
    private static final long LARGE = 64 << 10; // 8 pages, a large object of its own span

    @Test
    void scavengedRunsMergeSplitAndReportTheirHighestGap() {
        ScavengedPages s = new ScavengedPages();
        s.add(10, 5);                       // [10,15)
        s.add(15, 5);                       // merges: [10,20)
        s.add(5, 5);                        // merges: [5,20)
        assertEquals(15, s.pages());
        assertArrayEquals(new long[] {20, 30}, s.highestGap(0, 30));
        assertArrayEquals(new long[] {0, 5}, s.highestGap(0, 20));
        assertNull(s.highestGap(5, 20));
        assertEquals(4, s.take(8, 4));      // [5,8) and [12,20) left
        assertEquals(11, s.pages());
        assertArrayEquals(new long[] {8, 12}, s.highestGap(5, 20));
        assertEquals(3, s.take(0, 9));      // only [5,8) was in [0,9)
        assertEquals(8, s.pages());
        assertEquals(0, s.take(30, 10));
    }

    @Test
    void freePagesAreReleasedHighestFirstAndTakenBackOnReuse() {
        try (ManagedHeap heap = new ManagedHeap(new TcmallocStrategy(), new ManagedHeap.Options(256L << 20, 1))) {
            Allocator a = heap.allocator();
            long[] objs = new long[100];
            for (int i = 0; i < objs.length; i++) {
                objs[i] = a.allocate(LARGE, true, 0);
                heap.arena().memory().asSlice(objs[i], LARGE).fill((byte) 0x5a);
            }
            long untouched = a.releasedBytes();
            assertEquals(heap.arena().committedEnd() - PAGE - objs.length * LARGE, untouched,
                    "the arena's untouched pages count as released from the start (Go's pageAlloc.grow)");
            a.sweepNow(); // nothing is marked: every span goes back to the page heap
            long highest = objs[objs.length - 1];

            long one = a.scavenge(LARGE);
            assertEquals(LARGE, one, "a 64 KiB request releases 64 KiB");
            assertEquals(untouched + LARGE, a.releasedBytes());
            assertEquals(0, heap.arena().memory().get(ValueLayout.JAVA_LONG, highest),
                    "the highest dirty free pages went first, and read as zero");
            assertEquals(0x5a5a5a5a5a5a5a5aL, heap.arena().memory().get(ValueLayout.JAVA_LONG, objs[0]),
                    "the lowest are still resident");

            long all = a.scavenge(Long.MAX_VALUE);
            assertEquals((objs.length - 1) * LARGE, all, "every other freed page");
            assertEquals(0, a.scavenge(Long.MAX_VALUE), "nothing free is left unreleased");
            assertEquals(0, heap.arena().memory().get(ValueLayout.JAVA_LONG, highest), "released memory reads zero");
            long released = a.releasedBytes();

            for (int i = 0; i < 10; i++) {
                long o = a.allocate(LARGE, true, 0);
                assertEquals(0, heap.arena().memory().get(ValueLayout.JAVA_LONG, o), "reused memory is zero");
            }
            assertEquals(released - 10 * LARGE, a.releasedBytes(), "reused pages are no longer counted as released");
        }
    }

    @Test
    void theRetainedFigureIsCommittedLessReleasedAtEveryQuietPoint() {
        try (ManagedHeap heap = new ManagedHeap(new TcmallocStrategy(), new ManagedHeap.Options(256L << 20, 1))) {
            Allocator a = heap.allocator();
            Runnable check = () -> {
                long committed = heap.arena().committedEnd();
                assertEquals(committed - a.releasedBytes(), a.retainedBytes(committed), "retained = committed - released");
            };
            assertEquals(0, a.retainedBytes(0), "an arena that has not grown holds nothing");
            long[] objs = new long[100];
            for (int i = 0; i < objs.length; i++) {
                objs[i] = a.allocate(i % 2 == 0 ? LARGE : 48, true, 0);
            }
            check.run();
            a.sweepNow();
            check.run();
            a.scavenge(10 * LARGE);
            check.run();
            for (int i = 0; i < 20; i++) {
                a.allocate(LARGE, true, 0);
            }
            check.run();
            a.scavenge(Long.MAX_VALUE);
            check.run();
        }
    }

    /**
     * The retained figure is read without the page heap's lock (by sysmon, for the memory
     * limit and the scavenger), while another thread grows the heap arena by arena. It must
     * never count a new arena's untouched pages: read first, it is at most the pages in spans
     * read after it, plus the one allocation that may be between its two counters.
     */
    @RepeatedTest(10)
    void aReaderWithoutTheLockNeverSeesANewArenaAsRetained() throws Exception {
        try (ManagedHeap heap = new ManagedHeap(new TcmallocStrategy(), new ManagedHeap.Options(1L << 30, 1))) {
            Allocator a = heap.allocator();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong worst = new AtomicLong(Long.MIN_VALUE);
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    long retained = a.retainedBytes(heap.arena().committedEnd());
                    long inSpans = a.pagesInUse() * PAGE;
                    worst.accumulateAndGet(retained - PAGE - inSpans, Math::max);
                }
            });
            reader.start();
            try {
                // 4 MiB at a time over 900 MiB: every 64 MiB arena is committed while the reader reads.
                for (int i = 0; i < 225; i++) {
                    assertNotEquals(0, a.allocate(4L << 20, true, 0));
                }
            } finally {
                done.set(true);
                reader.join();
            }
            assertTrue(worst.get() <= 4L << 20, "retained exceeded the pages in spans by " + worst.get() + " bytes");
        }
    }

    @Test
    void clobberfreeKeepsItsPoisonAndDoesNotScavenge() {
        try (ManagedHeap heap = new ManagedHeap(new TcmallocStrategy(), new ManagedHeap.Options(64L << 20, 1, true, false))) {
            Allocator a = heap.allocator();
            a.allocate(LARGE, true, 0);
            a.sweepNow();
            long before = a.releasedBytes();
            assertEquals(0, a.scavenge(Long.MAX_VALUE));
            assertEquals(before, a.releasedBytes());
        }
    }
}
