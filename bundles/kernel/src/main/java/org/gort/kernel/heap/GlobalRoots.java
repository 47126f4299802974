package org.gort.kernel.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.spi.heap.RootSet;

/**
 * A runtime instance's globals: the second root set, Go's data and bss segments. Slots are
 * addressed by index, any goroutine may read or write any slot, and every slot is a root.
 * Unlike root stacks, globals are shared memory: {@link ManagedHeap} runs the write barrier on
 * stores to them, as Go does for global pointer writes.
 *
 * <p>Implementation notes: slots live in fixed chunks that never move, so a store can never be
 * lost to a concurrent growth; only the chunk directory is copied (under a lock) when an index
 * beyond it is first touched. Slot reads and writes are acquire/release.
 */
final class GlobalRoots implements RootSet {
    static final int MAX_GLOBALS = 1 << 20;
    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private volatile long[][] chunks = new long[1][CHUNK];
    private final AtomicInteger size = new AtomicInteger();

    @Override
    public long get(int index) {
        if (index < 0 || index >= MAX_GLOBALS) {
            throw outOfRange(index);
        }
        long[][] c = chunks;
        int ci = index >>> CHUNK_SHIFT;
        return ci < c.length ? (long) SLOT.getAcquire(c[ci], index & (CHUNK - 1)) : 0L;
    }

    void set(int index, long addr) {
        if (index < 0 || index >= MAX_GLOBALS) {
            throw outOfRange(index);
        }
        long[][] c = chunks;
        int ci = index >>> CHUNK_SHIFT;
        if (ci >= c.length) {
            c = growTo(ci);
        }
        SLOT.setRelease(c[ci], index & (CHUNK - 1), addr);
        size.accumulateAndGet(index + 1, Math::max);
    }

    @Override
    public int size() {
        return size.get();
    }

    private synchronized long[][] growTo(int chunkIndex) {
        long[][] c = chunks;
        if (chunkIndex < c.length) {
            return c;
        }
        long[][] n = Arrays.copyOf(c, Math.max(chunkIndex + 1, c.length * 2));
        for (int i = c.length; i < n.length; i++) {
            n[i] = new long[CHUNK];
        }
        chunks = n;
        return n;
    }

    private static IndexOutOfBoundsException outOfRange(int index) {
        return new IndexOutOfBoundsException("global " + index + " out of range [0, " + MAX_GLOBALS + ")");
    }
}
