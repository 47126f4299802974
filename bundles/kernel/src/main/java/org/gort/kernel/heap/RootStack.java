package org.gort.kernel.heap;

import java.util.Arrays;
import org.gort.api.FatalError;
import org.gort.spi.heap.RootSet;

/**
 * A goroutine's root stack: the explicit, growable array of {@code long} slots in which
 * goroutine code keeps the heap addresses it is using, like a handle scope. Whatever a slot
 * below {@link #size()} holds is live; an address held only in a Java local is not, and may be
 * freed at the goroutine's next safepoint (an allocation, a pointer store, a channel op).
 *
 * <p>Frames: {@link #push(int)} reserves {@code n} nil slots and returns the index of the first
 * (the frame's base); {@link #pop(int)} with that base discards the frame and every frame
 * pushed after it. Writes have no barrier, as Go's stack writes have none.
 *
 * <p>Owned by one G: only that goroutine writes it, and a collector reads it only while the G
 * is stopped at a safepoint, whose hand-off publishes the slots.
 */
public final class RootStack implements RootSet {
    /** Go's default maximum stack size on 64-bit: 1 GB, here counted in 8-byte slots. */
    public static final int MAX_SLOTS = 1_000_000_000 / 8;

    /** Shared by every stack that never pushed a frame (most short-lived goroutines). */
    private static final long[] NONE = new long[0];
    private static final int FIRST_CAPACITY = 16;

    private long[] slots = NONE;
    private int top;
    /**
     * Under {@code --check-roots}, the goroutine's fresh set (see RootCheck): an address that
     * leaves a slot (overwritten, or its frame popped) was rooted at the last safepoint or
     * fresh since, so it stays valid until the next one, as the value a function returns after
     * popping the frame that rooted it. Null when the check is off.
     */
    private RootCheck.LongSet released;

    public RootStack() {
    }

    /** Under {@code --check-roots}: addresses that leave a slot join {@code fresh} (see {@link #released}). */
    public void trackReleases(RootCheck.LongSet fresh) {
        released = fresh;
    }

    /** Pushes a frame of {@code n} nil slots; returns its base index. */
    public int push(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("frame size must be >= 0, got " + n);
        }
        int base = top;
        int newTop = base + n;
        if (newTop > slots.length || newTop < 0) {
            grow(newTop);
        }
        // A frame is a few slots: a plain loop, not Arrays.fill's range checks and call
        long[] s = slots;
        for (int i = base; i < newTop; i++) {
            s[i] = 0L;
        }
        top = newTop;
        return base;
    }

    /** Pops the frame that starts at {@code base} and every frame above it. */
    public void pop(int base) {
        if (base < 0 || base > top) {
            throw new IllegalStateException("pop of frame base " + base + " but the root stack holds " + top
                    + " slots: pop the frame bases push returned, innermost first");
        }
        RootCheck.LongSet r = released;
        if (r != null) {
            for (int i = base; i < top; i++) {
                r.add(slots[i]);
            }
        }
        top = base;
    }

    @Override
    public int size() {
        return top;
    }

    @Override
    public long get(int i) {
        if (i < 0 || i >= top) {
            throw outOfRange(i);
        }
        return slots[i];
    }

    public void set(int i, long addr) {
        if (i < 0 || i >= top) {
            throw outOfRange(i);
        }
        RootCheck.LongSet r = released;
        if (r != null) {
            r.add(slots[i]);
        }
        slots[i] = addr;
    }

    /** Empties the stack (the goroutine exited). */
    public void clear() {
        Arrays.fill(slots, 0, top, 0L);
        top = 0;
    }

    private IndexOutOfBoundsException outOfRange(int i) {
        return new IndexOutOfBoundsException("root slot " + i + " is outside the root stack (" + top
                + " slots in use): push a frame first");
    }

    private void grow(int needed) {
        if (needed < 0 || needed > MAX_SLOTS) {
            throw new FatalError("stack overflow: root stack exceeds " + MAX_SLOTS
                    + " slots (1 GB); pop frames that are no longer needed");
        }
        int cap = Math.max(slots.length, FIRST_CAPACITY);
        while (cap < needed) {
            cap = (int) Math.min(MAX_SLOTS, cap * 2L);
        }
        slots = Arrays.copyOf(slots, cap);
    }
}
