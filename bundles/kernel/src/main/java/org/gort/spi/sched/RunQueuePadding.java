package org.gort.spi.sched;

/**
 * 128 bytes in front of a {@link LocalRunQueue}'s fields, so that no two Ps' queues share a
 * cache line (nor the adjacent line that x86's spatial prefetcher pulls with it).
 *
 * <p>Go's {@code p} holds its {@code runq [256]guintptr} inline, so one P's {@code runqhead},
 * {@code runqtail} and {@code runnext} are kilobytes away from another's. Here the queue is a
 * small object of its own, and the JVM's collector copies the objects of the {@code runqs} array
 * next to each other: without the padding every {@code runnext} CAS on one P would take the
 * cache line from the M running the other (false sharing; it cost the sieve at GOMAXPROCS=2
 * most of its second core). HotSpot lays a superclass's fields out before its subclass's; the
 * leading {@code int} fills the hole after the object header, where the subclass's first field
 * would otherwise go. The object after a queue is either its owner's ring array or another
 * padded object.
 */
abstract class RunQueuePadding {
    @SuppressWarnings("unused") int pad0;
    @SuppressWarnings("unused") long pad1, pad2, pad3, pad4, pad5, pad6, pad7, pad8;
    @SuppressWarnings("unused") long pad9, pad10, pad11, pad12, pad13, pad14, pad15, pad16;
}
