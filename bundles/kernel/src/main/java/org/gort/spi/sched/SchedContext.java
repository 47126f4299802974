package org.gort.spi.sched;

/** The kernel services a scheduler strategy may call. Safe to call from any M. */
public interface SchedContext {
    int gomaxprocs();

    Proc proc(int id);

    /** Monotonic time in nanoseconds, the clock every metric uses. */
    long nanoTime();

    /** Number of idle Ps ({@code sched.npidle}). */
    int idleProcs();

    /** Number of spinning Ms ({@code sched.nmspinning}). */
    int spinningMs();

    /** Marks {@code m} (the calling M) as spinning or not; the kernel keeps the count. */
    void setSpinning(Machine m, boolean spinning);

    /**
     * Atomically moves the spinning count from 0 to 1 if it is 0: the {@code wakep} guard
     * "start a spinning M only if none spins".
     */
    boolean tryStartSpinning();

    /** Undo a successful {@link #tryStartSpinning()} that found nothing to wake. */
    void cancelSpinning();

    /**
     * {@code startm}: take an idle P and give it to an idle or new M. If {@code spinning},
     * the M starts as a spinning M (the caller already counted it with
     * {@link #tryStartSpinning()}). Returns false if no P is idle.
     */
    boolean startM(boolean spinning);

    /**
     * Go's {@code sched.gcwaiting}: a stop of the world is pending. A strategy that loops looking
     * for work (stealing) gives up when it sees it, as Go's {@code stealWork} does before each
     * victim, so that the stop does not wait for the loop.
     */
    default boolean stopPending() {
        return false;
    }

    /** A lock whose acquisitions, contention and wait time are counted in the run's metrics. */
    MeteredLock newMeteredLock(String name);

    /** Counters the kernel keeps on behalf of strategies. */
    void countSteal(int goroutinesStolen);

    /**
     * Go's {@code forcePreemptNS}-style knob a strategy may want from the run's configuration,
     * as it is now: a setting the strategy declares {@linkplain org.gort.api.Setting#live live}
     * may change while the run goes on, so read it where it is used.
     */
    long configLong(String key, long defaultValue);

    /**
     * An on/off knob from the run's configuration ({@code true} or {@code false}, any case);
     * anything else is an {@link IllegalArgumentException} naming the key.
     *
     * @since 1.4
     */
    boolean configBoolean(String key, boolean defaultValue);

    /**
     * Go's {@code netpoll(0)} as {@code findRunnable} calls it: a non-blocking poll of the
     * network, made only when some goroutine waits on a socket and no M is blocked in the
     * poller already ({@code netpollAnyWaiters() && sched.lastpoll != 0}). Returns the goroutines
     * whose socket became ready, already runnable: the caller owns them exactly as if they had
     * been passed to {@link Scheduler#ready} ({@code READIED}), typically running the first and
     * queueing the rest ({@code injectglist}). Empty when there is nothing, or the network was
     * never used.
     *
     * @since 1.5
     */
    default java.util.List<Goroutine> netpoll() {
        return java.util.List.of();
    }
}
