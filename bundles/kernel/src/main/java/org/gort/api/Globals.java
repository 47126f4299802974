package org.gort.api;

import org.gort.kernel.Current;

/**
 * The program's global pointer variables (Go's package-level variables): numbered slots shared
 * by every goroutine of the runtime instance, each a root. Stores run the write barrier.
 */
public final class Globals {
    private Globals() {
    }

    /** Stores an object address (or 0) in global {@code index} (0 .. 2^20-1). */
    public static void set(int index, long addr) {
        Current.runtime().heap().storeGlobal(index, addr);
    }

    public static long get(int index) {
        return Current.runtime().heap().loadGlobal(index);
    }
}
