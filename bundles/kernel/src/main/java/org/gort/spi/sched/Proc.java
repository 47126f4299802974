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

    /**
     * The pause a thief makes before it steals this P's {@code runnext} (Go's {@code usleep(3)}
     * in {@code runqgrab}), on the thief's thread. Returns false if a stop of the world is
     * pending when the pause ends: the thief then takes nothing, as {@code stealWork} gives up
     * at its next check of {@code sched.gcwaiting}. The kernel ends the pause early when a stop
     * begins, so that the stop does not wait out a sleep whose point (letting this P run its
     * {@code runnext} itself) is gone once this P is stopped.
     *
     * @since 1.7
     */
    default boolean runnextStealPause(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        return true;
    }
}
