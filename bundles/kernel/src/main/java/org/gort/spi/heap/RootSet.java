package org.gort.spi.heap;

import java.util.function.LongConsumer;

/**
 * A set of root slots holding heap addresses: a goroutine's root stack or the globals.
 * Reading one is only safe while its owner is stopped (at a safepoint, or the world stopped);
 * the collector takes care of that.
 */
public interface RootSet {
    /** Number of slots in use; slot indices run from 0 to {@code size() - 1}. */
    int size();

    /** The address in slot {@code i} (0 is nil). */
    long get(int i);

    /** Calls {@code action} with every non-nil address, in slot order. */
    default void forEachPointer(LongConsumer action) {
        int n = size();
        for (int i = 0; i < n; i++) {
            long v = get(i);
            if (v != 0) {
                action.accept(v);
            }
        }
    }
}
