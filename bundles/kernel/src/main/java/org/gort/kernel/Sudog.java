package org.gort.kernel;

/**
 * A G waiting on a channel (Go's {@code sudog}): one per channel a goroutine waits on, so a
 * select waits with several. A plain send or receive reuses its G's own sudog
 * ({@link G#plainSudog}), as Go takes one from the P's sudog cache instead of allocating: once
 * a waker has dequeued it and readied the G, nothing else refers to it.
 */
final class Sudog {
    final G g;
    HChan<?> c;
    /** The value to send, or the received value once woken. */
    Object elem;
    /** True if woken by a completed communication, false if woken by close. */
    boolean success;
    final boolean isSelect;
    /** For a select: the index of the case this sudog stands for. */
    final int caseIndex;
    /**
     * On a pointer channel, the slot of {@code g}'s root stack that holds the value to send or
     * receives the value (Go's {@code elem}, which points into the goroutine's stack); else -1.
     */
    int rootSlot;
    Sudog next;
    Sudog prev;

    Sudog(G g, HChan<?> c, Object elem, boolean isSelect, int caseIndex) {
        this(g, c, elem, isSelect, caseIndex, -1);
    }

    /** This G's plain (not select) sudog, set up for a wait on {@code c}. */
    Sudog reuse(HChan<?> c, Object elem, int rootSlot) {
        this.c = c;
        this.elem = elem;
        this.success = false;
        this.rootSlot = rootSlot;
        return this;
    }

    Sudog(G g, HChan<?> c, Object elem, boolean isSelect, int caseIndex, int rootSlot) {
        this.g = g;
        this.c = c;
        this.elem = elem;
        this.isSelect = isSelect;
        this.caseIndex = caseIndex;
        this.rootSlot = rootSlot;
    }
}
