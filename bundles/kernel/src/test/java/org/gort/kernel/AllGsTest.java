package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The goroutine registry the collector indexes (Go's allgs): slots, reuse, density, concurrency. */
class AllGsTest {

    private static G newG(long id) {
        return new G(id, null, () -> { }, false); // never run: only its slot matters here
    }

    /** One thread's part of a concurrent test. */
    private interface Part {
        void run(int id) throws Exception;
    }

    /** Runs {@code part} on {@code threads} threads released at once; rethrows the first failure. */
    private static void runConcurrently(int threads, Part part) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    part.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void slotsAreTakenInOrderAndFreedSlotsAreReused() {
        AllGs all = new AllGs();
        List<G> gs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) { // more than two chunks
            G g = newG(i);
            assertEquals(i, all.add(g));
            gs.add(g);
        }
        assertEquals(3000, all.length());
        for (int i = 0; i < 3000; i++) {
            assertSame(gs.get(i), all.at(i));
        }
        assertNull(all.at(3000));
        assertNull(all.at(1 << 20));
        all.remove(gs.get(5));
        all.remove(gs.get(2500));
        assertNull(all.at(5));
        assertNull(all.at(2500));
        assertEquals(2998, all.count());
        // the last slot freed is the first reused; the length does not grow while slots are free
        G a = newG(10_000);
        G b = newG(10_001);
        G c = newG(10_002);
        assertEquals(2500, all.add(a));
        assertEquals(5, all.add(b));
        assertEquals(3000, all.add(c));
        assertEquals(3001, all.length());
        assertSame(a, all.at(2500));
        // a dead G removed twice does not free the slot its successor holds
        all.remove(gs.get(5));
        assertSame(b, all.at(5));
        Set<G> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        all.forEach(seen::add);
        assertEquals(3001, seen.size());
        assertEquals(3001, new ArrayList<>(all.values()).size());
    }

    /**
     * A G that dies on a P leaves its slot untouched (see AllGs): the slot reads as free at
     * once, a new G takes it, and once the slots are read the dead G is no longer reachable
     * from them (the leak analysis's collection depends on that).
     */
    @Test
    void aSlotFreedOnAPReadsFreeAndLetsGoOfItsDeadG() {
        AllGs all = new AllGs();
        AllGs.Cache cache = new AllGs.Cache();
        G live = newG(1);
        G dying = newG(2);
        all.add(live, cache);
        int slot = all.add(dying, cache);
        dying.status = GStatus.DEAD;
        all.remove(dying, cache);
        assertNull(all.at(slot));
        assertEquals(1, all.count());
        all.remove(dying, cache); // a second remove frees nothing
        G next = newG(3);
        assertEquals(slot, all.add(next, cache));
        assertSame(next, all.at(slot));

        G dead = newG(4);
        int deadSlot = all.add(dead, cache);
        dead.status = GStatus.DEAD;
        all.remove(dead, cache);
        java.lang.ref.WeakReference<G> ref = new java.lang.ref.WeakReference<>(dead);
        dead = null;
        all.clearFreed();
        System.gc();
        assertNull(ref.get(), "a dead G kept reachable by its freed slot " + deadSlot);
        assertSame(live, all.at(live.allgIndex));
        assertEquals(2, all.count());
    }

    /**
     * Threads create and kill goroutines at once: every live G is in exactly one slot below the
     * length, no two live Gs share a slot, and the slots stay dense (the length never exceeds
     * the most goroutines alive at once).
     */
    @Test
    void concurrentAddAndRemoveKeepEveryLiveGInItsOwnSlotAndTheSlotsDense() throws Exception {
        AllGs all = new AllGs();
        int threads = 4;
        int perThread = 500;   // alive at once per thread, at most
        int rounds = 200;
        List<List<G>> live = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            live.add(new ArrayList<>());
        }
        runConcurrently(threads, id -> {
            List<G> mine = live.get(id);
            java.util.Random r = new java.util.Random(id);
            long next = (long) id << 40;
            for (int round = 0; round < rounds; round++) {
                while (mine.size() < perThread) {
                    G g = newG(next++);
                    int slot = all.add(g);
                    if (all.at(slot) != g) {
                        throw new AssertionError("slot " + slot + " does not hold the G just added");
                    }
                    mine.add(g);
                }
                for (int k = r.nextInt(perThread); k > 0; k--) {
                    G g = mine.remove(r.nextInt(mine.size()));
                    all.remove(g);
                }
            }
        });
        int alive = live.stream().mapToInt(List::size).sum();
        assertTrue(all.length() <= threads * perThread,
                () -> "slots not reused: length " + all.length() + " with at most " + threads * perThread + " alive");
        Set<G> inSlots = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Integer> slots = new java.util.HashSet<>();
        for (int i = 0; i < all.length(); i++) {
            G g = all.at(i);
            if (g != null) {
                assertTrue(inSlots.add(g), "a G in two slots");
                assertEquals(i, g.allgIndex);
                slots.add(i);
            }
        }
        assertEquals(alive, inSlots.size(), "every live G is in a slot, and only those");
        for (List<G> mine : live) {
            for (G g : mine) {
                assertTrue(inSlots.contains(g));
            }
        }
        // every free slot is on the free list: taking as many as are free never grows the length
        int free = all.length() - alive;
        int before = all.length();
        for (int i = 0; i < free; i++) {
            int slot = all.add(newG(-1 - i));
            assertTrue(!slots.contains(slot) && slot < before, "slot " + slot + " was not free");
            slots.add(slot);
        }
        assertEquals(before, all.length());
    }

    /**
     * Gs born on one P die on another (each thread plays an M with its own P's cache): every live
     * G stays in its own slot; the slots stay dense up to what the caches hold; and once the
     * caches are flushed (Go's gfpurge) every free slot is back on the shared list, none lost.
     * A dead G stays in its slot until the slot is reused or read, and one more thread reads
     * every slot all along (as the collector does), emptying them while others fill them again.
     */
    @RepeatedTest(20)
    void slotsCachedPerPAreNeverLostOrShared() throws Exception {
        AllGs all = new AllGs();
        int threads = 4;
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (running.get()) {
                all.clearFreed();
            }
        });
        reader.start();
        int perThread = 300;
        int rounds = 300;
        java.util.concurrent.ConcurrentLinkedQueue<G> handedOver = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger alive = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxAlive = new java.util.concurrent.atomic.AtomicInteger();
        List<AllGs.Cache> caches = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            caches.add(new AllGs.Cache());
        }
        runConcurrently(threads, id -> {
            AllGs.Cache cache = caches.get(id);
            java.util.Random r = new java.util.Random(id);
            long next = (long) id << 40;
            for (int round = 0; round < rounds; round++) {
                for (int k = r.nextInt(perThread); k > 0; k--) {
                    G g = newG(next++);
                    int slot = all.add(g, cache);
                    if (all.at(slot) != g) {
                        throw new AssertionError("slot " + slot + " does not hold the G just added");
                    }
                    maxAlive.accumulateAndGet(alive.incrementAndGet(), Math::max);
                    handedOver.add(g);
                }
                for (int k = r.nextInt(perThread); k > 0; k--) {
                    G g = handedOver.poll(); // most likely born on another thread
                    if (g == null) {
                        break;
                    }
                    if (all.at(g.allgIndex) != g) {
                        throw new AssertionError("G " + g.id + " lost its slot " + g.allgIndex);
                    }
                    alive.decrementAndGet();
                    g.status = GStatus.DEAD; // as goexit0 leaves it
                    all.remove(g, cache);
                }
            }
        });
        running.set(false);
        reader.join();
        assertTrue(all.length() <= maxAlive.get() + threads * AllGs.CACHE_MAX,
                () -> "slots not reused: length " + all.length() + " with at most " + maxAlive.get() + " alive");
        Set<Integer> slots = new java.util.HashSet<>();
        for (G g; (g = handedOver.poll()) != null; ) {
            assertSame(g, all.at(g.allgIndex));
            assertTrue(slots.add(g.allgIndex), "two live Gs in one slot");
            all.remove(g);
        }
        for (AllGs.Cache c : caches) {
            all.flush(c);
        }
        assertEquals(0, all.count());
        int length = all.length();
        Set<Integer> taken = new java.util.HashSet<>();
        for (int i = 0; i < length; i++) {
            int slot = all.add(newG(-1 - i));
            assertTrue(slot < length && taken.add(slot), "slot " + slot + " was not free, or given twice");
        }
        assertEquals(length, all.length(), "every free slot was on the shared list");
    }
}
