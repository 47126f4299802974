package org.gort.spi.heap;

/**
 * The collector's write barrier, run by the kernel on every heap pointer store while
 * {@link HeapView#writeBarrierEnabled()} is true, before the store (Go's
 * {@code gcWriteBarrier} / {@code writePointer}). Stores into root stacks have no barrier.
 *
 * <p>{@code obj} is the object written to and {@code slot} the pointer slot index; a store to a
 * global root has {@code obj == 0} and {@code slot} the global's index. A pointer handed straight
 * from one goroutine's stack to another's (a channel's direct send or receive, where Go runs the
 * same barrier) and a new channel buffer's root have {@code obj == 0} and {@code slot == -1}.
 * Runs on the storing goroutine's M; it must not park or stop the world.
 */
@FunctionalInterface
public interface WriteBarrier {
    void onPointerStore(long obj, int slot, long oldValue, long newValue);
}
