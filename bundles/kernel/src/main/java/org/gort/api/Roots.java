package org.gort.api;

import org.gort.kernel.Current;

/**
 * The calling goroutine's root stack: explicit slots that keep heap objects alive, like a
 * handle scope. {@link #push} a frame of nil slots, keep addresses in them with {@link #set},
 * and {@link #pop} the frame when done; what sits in a slot is live, what sits only in a Java
 * local is not. Stack writes have no write barrier, as in Go. A {@link Mutator} reaches the same
 * stack without finding the goroutine on every call.
 */
public final class Roots {
    private Roots() {
    }

    /** Pushes a frame of {@code n} nil slots; returns the index of its first slot (the frame's base). */
    public static int push(int n) {
        return Current.g().roots.push(n);
    }

    /** Pops the frame whose base is {@code base} (and any frame pushed after it). */
    public static void pop(int base) {
        Current.g().roots.pop(base);
    }

    /** Stores an object address (or 0) in root slot {@code index}. */
    public static void set(int index, long addr) {
        Current.g().setRoot(index, addr);
    }

    /** The address in root slot {@code index}. */
    public static long get(int index) {
        return Current.g().getRoot(index);
    }

    /** Slots in use on the calling goroutine's root stack. */
    public static int size() {
        return Current.g().roots.size();
    }
}
