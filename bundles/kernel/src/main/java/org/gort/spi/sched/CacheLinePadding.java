package org.gort.spi.sched;

/**
 * 128 bytes in front of the fields of a per-P (or per-M) object that its owner writes on every
 * operation while the other Ms write their own: no two such objects share a cache line, nor the
 * adjacent line that x86's spatial prefetcher pulls with it, and neither do they share one with
 * the array that holds them.
 *
 * <p>Go's {@code p} and {@code m} are large structs that hold their per-P state inline (a P's
 * 256-slot run queue, its {@code mcache} pointer beside them), so siblings never share a line.
 * Here a P, an M, a run queue, an allocator's per-P cache are small objects of their own, and
 * the JVM puts objects allocated or copied one after the other side by side: an {@code allp}
 * array and its Ps, a run queue after another, an allocator's {@code mcaches} array and the
 * first cache. Without the padding one M's bookkeeping takes the line from the M that reads or
 * writes the sibling, and whether two objects landed on one line changes from run to run:
 * tcmalloc's per-P caches (three counters written per allocation) beside the array every
 * allocation reads made a cold binary-trees run 15-20% slower in about one run in three, a run
 * queue's {@code runnext} CAS beside its sibling cost the sieve at GOMAXPROCS=2 most of its
 * second core.
 *
 * <p>HotSpot lays a superclass's fields out before its subclass's; the leading {@code int} fills
 * the hole after the object header, where the subclass's first field would otherwise go. The
 * object after a padded one is its own array, another padded object, or one nobody writes.
 */
public abstract class CacheLinePadding {
    @SuppressWarnings("unused") private int pad0;
    @SuppressWarnings("unused") private long pad1, pad2, pad3, pad4, pad5, pad6, pad7, pad8;
    @SuppressWarnings("unused") private long pad9, pad10, pad11, pad12, pad13, pad14, pad15, pad16;

    /** For subclasses only. */
    protected CacheLinePadding() {
    }
}
