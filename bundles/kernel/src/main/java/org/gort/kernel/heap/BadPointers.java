package org.gort.kernel.heap;

import org.gort.api.BadPointerException;
import org.gort.spi.alloc.HeapArena;

/**
 * What a bad heap address says: the one-line errors {@link ManagedHeap}'s checks raise, in Go's
 * words where Go has them ("invalid memory address or nil pointer dereference", "bad pointer").
 * Cold code, kept out of the heap's access paths.
 */
final class BadPointers {
    private static final long PAGE = HeapArena.PAGE_SIZE;

    private BadPointers() {
    }

    /** {@code addr} is nil, outside the heap {@code [PAGE, limit)}, or misaligned; {@code limit == PAGE} once the heap is closed. */
    static BadPointerException badAddress(long addr, String op, long limit) {
        if (limit == PAGE) {
            return new BadPointerException(addr, String.format(
                    "runtime error: %s of 0x%x after its heap was closed (the run has ended)", op, addr));
        }
        if (addr == 0) {
            return new BadPointerException(0, "runtime error: invalid memory address or nil pointer dereference ("
                    + op + " of nil)");
        }
        if (Long.compareUnsigned(addr - PAGE, limit - PAGE) >= 0) {
            return new BadPointerException(addr, String.format(
                    "runtime error: bad pointer 0x%x in %s: outside the heap [0x%x, 0x%x)", addr, op, PAGE, limit));
        }
        return new BadPointerException(addr, String.format(
                "runtime error: bad pointer 0x%x in %s: not 4-byte aligned, so not an object start", addr, op));
    }

    /** {@code addr} is in the heap but {@code word} there is no object header (freed, uncommitted, or inside an object). */
    static BadPointerException notAnObject(long addr, int word, String op, long committedEnd) {
        if (word == ObjectLayout.POISON) {
            return new BadPointerException(addr, String.format(
                    "runtime error: use of freed object 0x%x in %s (clobberfree found its memory poisoned)", addr, op));
        }
        if (addr >= committedEnd) {
            return new BadPointerException(addr, String.format(
                    "runtime error: bad pointer 0x%x in %s: beyond the committed heap (ends at 0x%x)",
                    addr, op, committedEnd));
        }
        return new BadPointerException(addr, String.format(
                "runtime error: bad pointer 0x%x in %s: not the start of an allocated object (word there: 0x%08x)",
                addr, op, word));
    }
}
