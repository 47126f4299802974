package org.gort.spi.gc;

/**
 * What a barrier beyond {@code shade} may ask of the marking toolkit (since 1.5): whether an
 * object is marked this cycle, and re-greying an object that is. Go's collectors need neither;
 * they are here for incremental-update barriers that re-scan the object written to instead of
 * shading the value stored (Steele 1975), which a barrier can only do after the store
 * ({@link org.gort.spi.heap.WriteBarrier#runsAfterStore()}).
 */
public interface MarkState {
    /** True if {@code obj}'s mark bit is set in the current cycle (grey or black). */
    boolean isMarked(long obj);

    /**
     * Queue an already marked object to be scanned again, on the calling P's work buffer, so
     * that a slot stored into it after it was scanned is scanned too. Does nothing for nil, an
     * unmarked object (it will be scanned when it is marked), an object without pointer slots,
     * or outside marking. Safe from any goroutine, concurrently with marking.
     */
    void regrey(long obj);
}
