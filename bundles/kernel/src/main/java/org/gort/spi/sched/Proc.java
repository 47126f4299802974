package org.gort.spi.sched;

/**
 * A P: the right to run Go code. There are exactly GOMAXPROCS of them, numbered from 0;
 * strategies keep their per-P state in arrays indexed by {@link #id()}.
 */
public interface Proc {
    int id();

    /**
     * Go's {@code p.schedtick}: incremented on every schedule on this P that starts a new time
     * slice (not when the G inherits the slice, see {@link Scheduler#inheritsTimeSlice}).
     */
    long schedtick();

    /** Go's {@code p.syscalltick}: incremented on every syscall made on this P. */
    long syscalltick();

    ProcStatus status();
}
