package org.gort.kernel;

/**
 * 128 bytes in front of the fields of an object that one thread writes on every schedule while
 * another thread writes its sibling (a {@link P}, an {@link M}): no two Ps or Ms share a cache
 * line, nor the adjacent line that x86's spatial prefetcher pulls with it.
 *
 * <p>Go's {@code p} and {@code m} are large structs (a P holds its 256-slot run queue inline),
 * so siblings never share a line. Here they are small objects that the JVM's collector copies
 * next to each other (the {@code allp} array's elements one after the other): without the
 * padding the {@code execute} bookkeeping of one M ({@code schedtick}, {@code pickedAt},
 * {@code curg}, its counters) would take the line from the M running beside it. HotSpot lays
 * a superclass's fields out before its subclass's; the leading {@code int} fills the hole after
 * the object header, where the subclass's first field would otherwise go.
 */
abstract class CacheLinePadding {
    @SuppressWarnings("unused") int pad0;
    @SuppressWarnings("unused") long pad1, pad2, pad3, pad4, pad5, pad6, pad7, pad8;
    @SuppressWarnings("unused") long pad9, pad10, pad11, pad12, pad13, pad14, pad15, pad16;
}
