package org.gort.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Every live goroutine, by slot (Go's {@code allgs} and {@code allglen}): what the collector
 * indexes to find its stack roots without walking a map.
 *
 * <p>A G takes a slot when it is created and gives it back when it dies; a later G reuses it
 * (last freed, first reused), so the slots in use stay as few as the most goroutines ever alive
 * at once. {@link #length()} is that high-water mark, read in O(1): every live G is in a slot
 * below it, and a G keeps its slot from creation until it dies. Go keeps dead Gs in
 * {@code allgs} and reuses the G itself; here the G is not reused, its slot is.
 *
 * <p>Cost on the {@code go} statement: {@link #add} and {@link #remove} take no lock and
 * allocate nothing (a CAS on the free list's head, or an increment of the length, and one
 * release store), except when the slots outgrow their chunks (then one chunk of
 * {@value #CHUNK} slots under a lock). A G is often born on one M and dies on another, so
 * with one shared free list its head's cache line would move between the cores twice per
 * goroutine; each P therefore keeps its own free slots ({@link Cache}, Go's {@code p.gFree}),
 * and moves {@value #BATCH} at a time to and from the shared list when it runs out or holds
 * {@value #CACHE_MAX} ({@code gfget}, {@code gfput}).
 *
 * <p>For the same reason a G that dies on a P leaves its slot as it is: the slot is free once
 * the G's {@code allgIndex} no longer names it, and keeps the dead G until a new G takes it or
 * a reader passes ({@link #at} empties it). Clearing it at once made the slot's line move to
 * the M the G died on and back to the M that fills it, once per goroutine (spawn at
 * GOMAXPROCS=2: 515 -> 370 ns, eight alternating rounds). Go's allgs keeps every dead G for
 * good; here a dead G stays until its slot is next read (the watchdog reads them all, a slice
 * per sysmon round, and the collector every cycle), and the goroutine-leak analysis reads them
 * all ({@link #clearFreed}) before the JVM's collection decides what is reachable, so a dead
 * G's function cannot keep a leaked goroutine's channel alive.
 *
 * <p>Implementation notes. Slots live in fixed chunks that never move, so a store into a slot
 * is never lost to a concurrent growth (only the directory of chunks is copied). Free slots
 * form a lock-free stack linked through {@code links}; its head packs a tag with the top slot
 * (tag in the high 32 bits, slot + 1 in the low ones, 0 for empty), and every push and pop
 * changes the tag, so a stale pop cannot succeed (ABA).
 */
final class AllGs {
    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    /** A P's cache spills to the shared list at this many free slots (Go's gfput: 64)... */
    static final int CACHE_MAX = 64;
    /** ...down to this many, and refills up to this many when empty (Go's gfget: 32). */
    static final int BATCH = 32;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(G[].class);
    private static final VarHandle INDEX;

    static {
        try {
            INDEX = MethodHandles.lookup().findVarHandle(G.class, "allgIndex", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Chunk k holds slots [k * CHUNK, (k + 1) * CHUNK); replaced (copied) only to grow. */
    private volatile G[][] chunks = {new G[CHUNK]};
    /** Free-list links, parallel to {@code chunks}: the next free slot, or -1. */
    private volatile int[][] links = {new int[CHUNK]};
    /** {@code allglen}: slots ever taken. */
    private final AtomicInteger length = new AtomicInteger();
    private final AtomicLong freeHead = new AtomicLong();
    private final Object growLock = new Object();

    /**
     * A P's free slots (Go's {@code p.gFree}): used only by the thread holding the P, or with
     * the world stopped.
     */
    static final class Cache {
        private final int[] slots = new int[CACHE_MAX];
        private int n;
    }

    /** Gives {@code g} a slot (recorded in {@code g.allgIndex}) and returns it. */
    int add(G g) {
        return add(g, null);
    }

    /** {@link #add(G)} by the holder of the P whose free slots are {@code cache} (null: none). */
    int add(G g, Cache cache) {
        int i = cache != null ? takeCached(cache) : popFree();
        if (i < 0) {
            i = length.getAndIncrement();
            ensureChunk(i >>> CHUNK_SHIFT);
        }
        g.allgIndex = i; // published by the release store of the slot
        SLOT.setRelease(chunks[i >>> CHUNK_SHIFT], i & (CHUNK - 1), g);
        return i;
    }

    /** Frees {@code g}'s slot (g is dead); a later {@link #add} may reuse it. */
    void remove(G g) {
        remove(g, null);
    }

    /** {@link #remove(G)} by the holder of the P whose free slots are {@code cache} (null: none). */
    void remove(G g, Cache cache) {
        int i = g.allgIndex;
        if (i < 0) {
            return; // removed already
        }
        INDEX.setRelease(g, -1);
        if (cache == null) {
            SLOT.setRelease(chunks[i >>> CHUNK_SHIFT], i & (CHUNK - 1), (G) null);
            pushFree(i);
            return;
        }
        // The slot keeps the dead G until it is reused or a reader passes (see at): the line
        // stays with the Ms that fill slots instead of moving to the one the G died on.
        cache.slots[cache.n++] = i;
        if (cache.n == CACHE_MAX) {
            pushFreeBatch(cache, BATCH); // gfput: keep BATCH, the rest to the shared list
        }
    }

    /** Go's {@code gfpurge}: a destroyed P's free slots go back to the shared list. */
    void flush(Cache cache) {
        if (cache.n > 0) {
            pushFreeBatch(cache, 0);
        }
    }

    /** gfget: a slot from the P's cache, refilled from the shared list when empty; -1 if none is free. */
    private int takeCached(Cache cache) {
        if (cache.n == 0 && !popFreeBatch(cache)) {
            return -1;
        }
        return cache.slots[--cache.n];
    }

    /** Empties every freed slot still holding its dead G (see the class comment). */
    void clearFreed() {
        for (int i = 0, n = length(); i < n; i++) {
            at(i);
        }
    }

    /** {@code allglen}: every live G is in a slot below this. */
    int length() {
        return length.get();
    }

    /** The goroutines in their slots now (O(length): for reports, not for hot paths). */
    int count() {
        int[] n = new int[1];
        forEach(g -> n[0]++);
        return n[0];
    }

    /** The G in slot {@code i}, or null if the slot is free (or not yet filled). */
    G at(int i) {
        G[][] cs = chunks;
        int k = i >>> CHUNK_SHIFT;
        if (i < 0 || k >= cs.length || cs[k] == null) {
            return null;
        }
        G g = (G) SLOT.getAcquire(cs[k], i & (CHUNK - 1));
        if (g == null || (int) INDEX.getAcquire(g) == i) {
            return g;
        }
        // A freed slot still holding its last G. A dead G is never added again, so clearing
        // the slot cannot clear a G put back in it (a leak candidate is re-added, but is not dead).
        if (g.status == GStatus.DEAD) {
            SLOT.compareAndSet(cs[k], i & (CHUNK - 1), g, (G) null);
        }
        return null;
    }

    /** Calls {@code action} with every G in a slot (weakly consistent, as a concurrent map's view). */
    void forEach(Consumer<G> action) {
        int n = length();
        for (int i = 0; i < n; i++) {
            G g = at(i);
            if (g != null) {
                action.accept(g);
            }
        }
    }

    /** A live, weakly consistent view of the goroutines in their slots. */
    java.util.Collection<G> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<G> iterator() {
                return new Iterator<>() {
                    private final int n = length();
                    private int i;
                    private G next = advance();

                    private G advance() {
                        while (i < n) {
                            G g = at(i++);
                            if (g != null) {
                                return g;
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public G next() {
                        G g = next;
                        if (g == null) {
                            throw new NoSuchElementException();
                        }
                        next = advance();
                        return g;
                    }
                };
            }

            @Override
            public int size() {
                return count();
            }
        };
    }

    private int popFree() {
        while (true) {
            long h = freeHead.get();
            int top = (int) h - 1;
            if (top < 0) {
                return -1;
            }
            int next = links[top >>> CHUNK_SHIFT][top & (CHUNK - 1)];
            if (freeHead.compareAndSet(h, (((h >>> 32) + 1) << 32) | (next + 1L))) {
                return top;
            }
        }
    }

    /**
     * Moves up to {@link #BATCH} slots from the shared list into an empty {@code cache} with one
     * CAS; false if the list is empty. The walk down the links may read a stale chain, but then
     * the head's tag has changed and the CAS fails: a slot is re-linked only after a pop.
     */
    private boolean popFreeBatch(Cache cache) {
        int[] got = cache.slots;
        while (true) {
            long h = freeHead.get();
            int cur = (int) h - 1;
            int k = 0;
            while (cur >= 0 && k < BATCH) {
                got[k++] = cur;
                cur = links[cur >>> CHUNK_SHIFT][cur & (CHUNK - 1)];
            }
            if (k == 0) {
                return false;
            }
            if (freeHead.compareAndSet(h, (((h >>> 32) + 1) << 32) | (cur + 1L))) {
                cache.n = k;
                return true;
            }
        }
    }

    /** Pushes the cache's slots above index {@code keep} onto the shared list with one CAS. */
    private void pushFreeBatch(Cache cache, int keep) {
        int[] s = cache.slots;
        // chain them: s[n-1] -> s[n-2] -> ... -> s[keep] -> the old head
        for (int j = cache.n - 1; j > keep; j--) {
            links[s[j] >>> CHUNK_SHIFT][s[j] & (CHUNK - 1)] = s[j - 1];
        }
        int bottom = s[keep];
        int top = s[cache.n - 1];
        int[] bottomLinks = links[bottom >>> CHUNK_SHIFT];
        while (true) {
            long h = freeHead.get();
            bottomLinks[bottom & (CHUNK - 1)] = (int) h - 1;
            if (freeHead.compareAndSet(h, (((h >>> 32) + 1) << 32) | (top + 1L))) {
                cache.n = keep;
                return;
            }
        }
    }

    private void pushFree(int i) {
        int[] chunk = links[i >>> CHUNK_SHIFT];
        while (true) {
            long h = freeHead.get();
            chunk[i & (CHUNK - 1)] = (int) h - 1;
            if (freeHead.compareAndSet(h, (((h >>> 32) + 1) << 32) | (i + 1L))) {
                return;
            }
        }
    }

    private void ensureChunk(int k) {
        if (k < chunks.length) {
            return;
        }
        synchronized (growLock) {
            G[][] cs = chunks;
            if (k < cs.length) {
                return;
            }
            int n = Math.max(cs.length * 2, k + 1);
            G[][] grown = java.util.Arrays.copyOf(cs, n);
            int[][] ls = java.util.Arrays.copyOf(links, n);
            for (int j = cs.length; j < n; j++) {
                grown[j] = new G[CHUNK];
                ls[j] = new int[CHUNK];
            }
            links = ls;
            chunks = grown;
        }
    }
}
