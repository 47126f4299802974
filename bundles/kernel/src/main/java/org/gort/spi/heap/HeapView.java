package org.gort.spi.heap;

import java.util.function.LongConsumer;
import org.gort.spi.alloc.Allocator;

/**
 * One runtime instance's managed heap as a collector sees it: the object model it scans, the
 * mark bitmap, the globals, the allocator it sweeps through, and the hooks it installs.
 *
 * <p>Object model: an object is a header followed by pointer slots and scalar bytes. Only
 * pointer slots hold heap addresses; a collector scans {@code pointerAt(obj, 0 ..
 * pointerSlots(obj) - 1)}. Addresses are never moved (non-moving mark-sweep).
 *
 * <p>The accessors here do no validation and no safepoint poll: they are for a collector that
 * only follows addresses it found in roots or in scanned objects.
 */
public interface HeapView {
    MarkBitmap markBitmap();

    /** The per-runtime global roots. */
    RootSet globals();

    /**
     * The buffers of the runtime's buffered pointer channels: one slot per reachable channel,
     * holding its buffer (a {@code []*} object). Scanned with the globals; stores into a buffer
     * run the write barrier like any heap store.
     */
    RootSet channelBuffers();

    /**
     * Called by the collector as a cycle starts, with the world stopped: drops from
     * {@link #channelBuffers()} the buffers of channels that became unreachable since, so that
     * the root set stays the same for the whole cycle.
     */
    default void dropUnreachableChannelBuffers() {
    }

    /**
     * Called by the collector as a cycle starts, with the world stopped, after
     * {@link #dropUnreachableChannelBuffers()}: the kernel fixes the cycle's
     * {@link #finalizerRoots()}.
     */
    default void startCycle() {
    }

    /**
     * The roots finalizers add (Go's finalizer specials): for each object with a finalizer, the
     * addresses in its pointer slots (not the object itself, or it could never be found
     * unreachable), and each object whose finalizer is queued but has not run. Scanned with the
     * globals; fixed for a cycle by {@link #startCycle()}.
     */
    default RootSet finalizerRoots() {
        return EMPTY_ROOTS;
    }

    /**
     * Called by the collector with the world stopped once marking is complete (and verified),
     * before the sweep starts: each object with a finalizer that is unmarked is marked, so that
     * it and all it reaches survive this cycle, and its finalizer is queued to run.
     */
    default void queueFinalizers() {
    }

    /** A root set with no slots. */
    RootSet EMPTY_ROOTS = new RootSet() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public long get(int i) {
            throw new IndexOutOfBoundsException(i);
        }
    };

    /** The allocator: sweeping, enumeration, statistics. */
    Allocator allocator();

    /** Number of pointer slots of the object at {@code obj} (0 for a noscan object). */
    int pointerSlots(long obj);

    /** The address in pointer slot {@code slot} of {@code obj} (0 is nil). */
    long pointerAt(long obj, int slot);

    /** The object's size in bytes as laid out, header included (not rounded to its block). */
    long objectSize(long obj);

    /**
     * {@link #objectSize} and {@link #pointerSlots} of the object at {@code obj} together, for a
     * marker that needs both of every object it greys and scans: the size in the high 32 bits,
     * the pointer slots in the low 32 bits, or -1 when the size takes more than 31 bits (ask
     * each then). The heap answers from one read of the header.
     */
    default long sizeAndSlots(long obj) {
        long size = objectSize(obj);
        return size < 1L << 31 ? size << 32 | pointerSlots(obj) : -1;
    }

    /** The object's registered type name, e.g. {@code Node}, {@code []byte}, {@code []*}. */
    String typeName(long obj);

    /** Calls {@code action} with every allocated object's address (world stopped). */
    void forEachObject(LongConsumer action);

    /** Go's {@code writeBarrier.enabled}: while true every heap pointer store calls the barrier. */
    boolean writeBarrierEnabled();

    /** Turn the barrier on or off; do it with the world stopped, as Go does. */
    void setWriteBarrierEnabled(boolean enabled);

    void setWriteBarrier(WriteBarrier barrier);

    /** Installs the allocation hook, or removes it with {@code null}. */
    void setAllocationHook(AllocationHook hook);

    void setAllocationFailureHook(AllocationFailureHook hook);

    /** The heap limit in bytes (the reservation). */
    long maxHeapBytes();

    /** Bytes committed so far (arenas taken by the allocator). */
    long committedBytes();
}
