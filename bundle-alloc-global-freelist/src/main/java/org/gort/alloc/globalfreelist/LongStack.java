package org.gort.alloc.globalfreelist;

import java.util.Arrays;

/** A growable stack of {@code long}s (free block addresses); not thread-safe. */
final class LongStack {
    private long[] items = new long[64];
    private int size;

    void push(long v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    /** The top element, removed; or 0 when empty (0 is never a block address). */
    long pop() {
        return size == 0 ? 0 : items[--size];
    }

    int size() {
        return size;
    }
}
