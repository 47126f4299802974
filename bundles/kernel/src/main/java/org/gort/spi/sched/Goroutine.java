package org.gort.spi.sched;

/**
 * A goroutine as a scheduler strategy sees it: an opaque handle it queues and hands back.
 * The kernel owns its state; a strategy must hand every G it was given back exactly once
 * (from {@link Scheduler#findRunnable} or {@link Scheduler#drain}).
 */
public interface Goroutine {
    /** Go's goroutine id (the main goroutine is 1). */
    long id();

    /** The P this G last ran on, or -1 if it never ran. */
    int lastProc();

    /**
     * One word of per-G storage owned by the scheduler strategy, like Go's {@code g.schedlink}.
     * The kernel never reads it; a strategy may use it for intrusive lists.
     */
    Object schedLink();

    void setSchedLink(Object link);
}
