package org.gort.spi.alloc;

/** Receives the allocated blocks {@link Allocator#forEachAllocated} enumerates. */
@FunctionalInterface
public interface BlockVisitor {
    /**
     * One allocated block at {@code addr} of {@code size} bytes (the size it occupies, rounded
     * to its size class). A {@code tiny} block packs several small noscan objects from its
     * start; any other block holds one object at {@code addr}.
     */
    void visit(long addr, long size, boolean tiny);
}
