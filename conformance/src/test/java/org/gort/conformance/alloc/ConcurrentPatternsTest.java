package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.gort.conformance.alloc.AllocKit.Block;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real threads act as Ps (proc ids 0..n-1) and allocate at the same time, each writing a pattern
 * unique to the object into every byte of it; afterwards every pattern must read back intact
 * and no two objects may overlap. The second phase marks half the objects, starts a sweep
 * cycle, and lets the Ps allocate while a separate thread sweeps lazily: the survivors and the
 * new objects must all read back intact (no allocation into an unswept span, no double use).
 */
class ConcurrentPatternsTest {
    private static final int OBJECTS_PER_P = 6000;
    private static final long TIMEOUT_SECONDS = 120;

    static Stream<Arguments> cases() {
        return AllocKit.allocators().flatMap(a -> Stream.of(2, 4, 8).map(n -> Arguments.of(a, n)));
    }

    /** One object: where, how big, and the seed of its pattern. */
    record Obj(long addr, long size, boolean noscan, long seed) {
    }

    @ParameterizedTest(name = "under {0} at GOMAXPROCS={1}")
    @MethodSource("cases")
    void patternsWrittenConcurrentlyByAllPsReadBackIntact(String allocator, int procs) throws Exception {
        try (ManagedHeap heap = AllocKit.heap(allocator, 2L << 30, procs)) {
            Allocator a = heap.allocator();
            MemorySegment mem = heap.arena().memory();
            List<List<Obj>> perP = runPs(procs, p -> allocateMany(a, mem, p, 1, OBJECTS_PER_P));
            List<Obj> all = perP.stream().flatMap(List::stream).toList();
            verifyPatterns(mem, all);
            verifyNoOverlap(heap, all);

            AllocStats s = heap.stats();
            assertEquals((long) procs * OBJECTS_PER_P, s.objectsAllocated());
            assertEquals(all.stream().mapToLong(Obj::size).sum(), s.bytesRequested());

            // Phase 2: keep every other object, sweep lazily while all Ps allocate.
            List<Obj> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i += 2) {
                kept.add(all.get(i));
                heap.markBitmap().mark(all.get(i).addr());
            }
            a.startSweepCycle();
            CountDownLatch sweeperDone = new CountDownLatch(1);
            AtomicReference<Throwable> sweeperFailure = new AtomicReference<>();
            Thread sweeper = new Thread(() -> {
                try {
                    while (a.sweepOne() >= 0) {
                        // background sweeper: Go's bgsweep
                    }
                } catch (Throwable t) {
                    sweeperFailure.set(t);
                } finally {
                    sweeperDone.countDown();
                }
            }, "sweeper");
            sweeper.start();
            List<List<Obj>> fresh = runPs(procs, p -> allocateMany(a, mem, p, 2, OBJECTS_PER_P));
            assertTrue(sweeperDone.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the sweeper did not finish");
            assertNull(sweeperFailure.get(), () -> "sweeper failed: " + sweeperFailure.get());
            a.finishSweep();
            assertTrue(a.sweepDone());

            List<Obj> live = new ArrayList<>(kept);
            fresh.forEach(live::addAll);
            verifyPatterns(mem, live);
            verifyNoOverlap(heap, live);
            for (Obj o : live) {
                if (!a.isAllocated(o.addr())) {
                    fail(String.format("live object of %d bytes at 0x%x is not allocated after the sweep", o.size(),
                            o.addr()));
                }
            }
            assertEquals(0, heap.markBitmap().countMarked(0, heap.arena().committedEnd()),
                    "sweeping must leave the mark bitmap clear");
        }
    }

    interface PWork {
        List<Obj> run(int procId);
    }

    /** Runs {@code work} on {@code procs} threads at once, thread i acting as P i. */
    static List<List<Obj>> runPs(int procs, PWork work) throws Exception {
        List<List<Obj>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < procs; p++) {
            results.add(null);
        }
        for (int p = 0; p < procs; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    List<Obj> r = work.run(id);
                    synchronized (results) {
                        results.set(id, r);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "P" + p);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError("a P thread failed: " + failure.get(), failure.get());
        }
        synchronized (results) {
            return new ArrayList<>(results);
        }
    }

    /** A mix of sizes like a Go program's: mostly small, some medium, a few large. */
    static long pickSize(SplittableRandom r) {
        int k = r.nextInt(1000);
        if (k < 600) {
            return 1 + r.nextInt(64);
        }
        if (k < 900) {
            return 65 + r.nextInt(4096 - 64);
        }
        if (k < 995) {
            return 4097 + r.nextInt(32 * 1024 - 4096);
        }
        return 32 * 1024 + 1 + r.nextInt(224 * 1024);
    }

    static List<Obj> allocateMany(Allocator a, MemorySegment mem, int procId, int phase, int n) {
        SplittableRandom r = new SplittableRandom(procId * 1_000_003L + phase);
        List<Obj> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long size = pickSize(r);
            boolean noscan = r.nextBoolean();
            long addr = a.allocate(size, noscan, procId);
            assertNotEquals(0, addr, "allocation failed");
            long seed = ((long) phase << 56) ^ ((long) procId << 40) ^ ((long) i << 8);
            fill(mem, addr, size, seed);
            out.add(new Obj(addr, size, noscan, seed));
        }
        return out;
    }

    /** Byte k of an object is a mix of its seed and k: unique per object, different per byte. */
    static byte patternByte(long seed, long k) {
        long x = seed + k * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        return (byte) (x ^ (x >>> 17));
    }

    static void fill(MemorySegment mem, long addr, long size, long seed) {
        for (long k = 0; k < size; k++) {
            mem.set(ValueLayout.JAVA_BYTE, addr + k, patternByte(seed, k));
        }
    }

    static void verifyPatterns(MemorySegment mem, List<Obj> objs) {
        for (Obj o : objs) {
            for (long k = 0; k < o.size(); k++) {
                byte b = mem.get(ValueLayout.JAVA_BYTE, o.addr() + k);
                if (b != patternByte(o.seed(), k)) {
                    fail(String.format("object of %d bytes at 0x%x (seed %x) is corrupt at byte %d", o.size(), o.addr(),
                            o.seed(), k));
                }
            }
        }
    }

    static void verifyNoOverlap(ManagedHeap heap, List<Obj> objs) {
        List<Block> blocks = new ArrayList<>();
        for (Obj o : objs) {
            blocks.add(new Block(o.addr(), o.size(), false));
        }
        blocks.sort((x, y) -> Long.compare(x.addr(), y.addr()));
        assertNull(AllocKit.overlapOrOutside(blocks, heap.arena().committedEnd()));
        assertNull(AllocKit.overlapOrOutside(AllocKit.blocks(heap), heap.arena().committedEnd()));
    }
}
