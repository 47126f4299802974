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
 *
 * <p>A barrier that must see the store done (since 1.3) answers {@link #runsAfterStore()} with
 * true; the kernel then also calls {@link #afterPointerStore} after each store into a heap object,
 * with a full fence between the store and the call. Steele's barrier (1975) is the example: it
 * re-greys the object written to if it is already marked, which is only safe once the new value
 * is in the slot, since a marker that marks the object after the barrier looked must then read it.
 */
@FunctionalInterface
public interface WriteBarrier {
    void onPointerStore(long obj, int slot, long oldValue, long newValue);

    /** Whether {@link #afterPointerStore} runs too; read once, when the barrier is installed. */
    default boolean runsAfterStore() {
        return false;
    }

    /**
     * After {@code obj}'s {@code slot} was set to {@code newValue} (heap objects only, not
     * globals nor hand-overs), with a full fence between the store and this call.
     */
    default void afterPointerStore(long obj, int slot, long newValue) {
    }
}
