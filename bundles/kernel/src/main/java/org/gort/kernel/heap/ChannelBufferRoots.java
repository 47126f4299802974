package org.gort.kernel.heap;

import java.lang.ref.Cleaner;
import org.gort.api.FatalError;
import org.gort.spi.heap.RootSet;

/**
 * The buffers of a runtime instance's buffered pointer channels ({@code make(chan *T, n)}): the
 * third root set, beside root stacks and globals.
 *
 * <p>In Go a channel is a heap object, kept alive by whoever holds it, and the collector scans
 * its buffer like any other object. Here a channel is a Java object, so the buffer of each
 * buffered pointer channel is a {@code []*} heap object held by one slot of this set for as long
 * as the Java channel is reachable. Once it is not, a {@link Cleaner} queues the slot, and the
 * next cycle empties it as it starts ({@link #clearReleased}, world stopped), so that the set
 * does not change while a cycle marks and gccheckmark re-marks: the buffer and whatever only it
 * held become garbage at that cycle. Emptying the slot needs no barrier: nothing can reach the
 * buffer any more, and every value a receive took out of it was shaded by that receive's barrier.
 *
 * <p>Implementation notes: slots are reused through a free list under this object's monitor
 * (one registration per {@code make}), and only once emptied; the slots themselves are a
 * {@link GlobalRoots}, so reads and writes are acquire/release and a collector may scan them
 * while the program runs. The Cleaner's thread only appends to a lock-free queue.
 */
final class ChannelBufferRoots implements RootSet {
    /** One daemon thread for the JVM, shared by every runtime instance. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final GlobalRoots slots = new GlobalRoots();
    /** Slots whose channel became unreachable, to be emptied when the next cycle starts. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Integer> released = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private int[] free = new int[16]; // guarded by this
    private int freeCount; // guarded by this
    private int next; // guarded by this: slots [0, next) have been handed out

    /** Roots {@code buffer} until {@code channel} is unreachable (and a cycle has started since). */
    void register(Object channel, long buffer) {
        int slot;
        synchronized (this) {
            if (freeCount > 0) {
                slot = free[--freeCount];
            } else if (next < GlobalRoots.MAX_GLOBALS) {
                slot = next++;
            } else {
                throw new FatalError("too many buffered pointer channels: " + GlobalRoots.MAX_GLOBALS
                        + " are reachable at once; let some become unreachable or use unbuffered ones");
            }
        }
        slots.set(slot, buffer);
        CLEANER.register(channel, () -> released.add(slot));
    }

    /** Empties the slots of channels that became unreachable and frees them for reuse. World stopped. */
    void clearReleased() {
        for (Integer slot; (slot = released.poll()) != null; ) {
            slots.set(slot, 0L);
            synchronized (this) {
                if (freeCount == free.length) {
                    free = java.util.Arrays.copyOf(free, freeCount * 2);
                }
                free[freeCount++] = slot;
            }
        }
    }

    @Override
    public int size() {
        return slots.size();
    }

    @Override
    public long get(int i) {
        return slots.get(i);
    }
}
