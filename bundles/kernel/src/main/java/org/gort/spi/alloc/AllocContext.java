package org.gort.spi.alloc;

import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.sched.MeteredLock;

/** What the kernel gives an allocator: the arena, the mark bitmap, the P count and debug switches. */
public interface AllocContext {
    /** Number of Ps; {@link Allocator#allocate} is called with proc ids {@code 0 .. gomaxprocs-1}. */
    int gomaxprocs();

    /** The heap's reserved address range, committed arena by arena. */
    HeapArena arena();

    /** The kernel's mark bitmap over the arena. */
    MarkBitmap markBitmap();

    /** Go's {@code GODEBUG=clobberfree=1}: poison every freed block with {@link HeapArena#poison}. */
    boolean clobberfree();

    /** A lock whose acquisitions, contention and wait time are counted in the run's metrics. */
    MeteredLock newMeteredLock(String name);
}
