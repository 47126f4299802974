package org.gort.spi.sched;

import java.util.List;

/**
 * One runtime instance's scheduler, made by a {@link SchedulerStrategy}. The kernel calls it;
 * it never calls the kernel except through the {@link SchedContext} it was made with.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every G passed to {@link #ready} is returned exactly once, by {@link #findRunnable}
 *       or by {@link #drain}. Losing one is a lost goroutine; the conformance kit checks it.</li>
 *   <li>{@link #ready} and {@link #findRunnable} run concurrently on many Ms. {@code p} is the
 *       P the calling M holds, or {@code null} when the caller holds none (a timer firing, an M
 *       back from a syscall, a hot swap re-queue).</li>
 *   <li>{@link #findRunnable} must not block: it may spin briefly and steal, but if it finds
 *       nothing it returns {@code null} and the kernel idles the M's P and parks the M
 *       ({@code stopm}). It returns a G with the M no longer spinning; it may return
 *       {@code null} with the M still spinning ({@link SchedContext#setSpinning}), and the
 *       kernel stops it spinning only once its P is idle, then looks at {@link #hasRunnable()}
 *       once more before parking (Go's order in {@code findRunnable}'s "return P and block").
 *       A strategy that wants an idle M to look again calls {@link SchedContext#startM}.</li>
 *   <li>The sysmon callbacks run on the sysmon thread and only decide; the kernel acts.</li>
 *   <li>An exception from any callback ejects the strategy; the kernel falls back to the
 *       default and keeps every goroutine.</li>
 * </ul>
 */
public interface Scheduler {

    /** Make {@code g} runnable ({@code runqput} / {@code globrunqput} / {@code ready}). */
    void ready(Goroutine g, ReadyReason why, Machine m, Proc p);

    /**
     * Find the next G for {@code m} running on {@code p} ({@code findRunnable}), or {@code null}
     * to park {@code m}.
     */
    Goroutine findRunnable(Machine m, Proc p);

    /**
     * Go's {@code inheritTime}: true if the G that {@link #findRunnable} just returned for
     * {@code p} continues the current time slice rather than starting a new one (a G taken from
     * {@code runnext}). The kernel then leaves {@link Proc#schedtick()} alone, as
     * {@code execute(gp, inheritTime)} does, so sysmon's preemption clock keeps running across
     * the switch. Called by the M holding {@code p}, right after findRunnable returned a G.
     */
    default boolean inheritsTimeSlice(Proc p) {
        return false;
    }

    /**
     * {@code g} has exited on {@code m}/{@code p} ({@code goexit}). Most strategies have nothing
     * to do; Go 1.0 took the global lock here to put the G on the free list.
     */
    default void exited(Goroutine g, Machine m, Proc p) {
    }

    /** True if some G is queued anywhere (used by {@code handoffp} and deadlock detection). */
    boolean hasRunnable();

    /** True if a G is queued that {@code p} should run ({@code handoffp}'s "local work" test). */
    default boolean hasRunnable(Proc p) {
        return hasRunnable();
    }

    /** Length of the global run queue, for {@code schedtrace}; 0 if the strategy has none. */
    int globalQueueLength();

    /** Length of {@code p}'s local run queue, for {@code schedtrace}; 0 if the strategy has none. */
    int localQueueLength(Proc p);

    /** Sysmon: should the G that has been running on {@code p} for {@code ranNanos} be preempted? */
    boolean shouldPreempt(Proc p, Goroutine running, long ranNanos);

    /** What the kernel does with the P when its M enters a blocking syscall. */
    SyscallEntry onSyscallEntry(Proc p);

    /**
     * Sysmon: should the kernel retake {@code p}, whose M has been in a syscall for
     * {@code inSyscallNanos} and which sysmon has now seen in the same syscall
     * {@code ticksSeen} times? If yes, the kernel takes the P and calls
     * {@code handoffp} on it.
     */
    boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen);

    /** Remove and return every queued G (for a hot swap or a fallback). Called with the world stopped. */
    List<Goroutine> drain();

    /** Called once when the strategy is swapped out or the runtime ends. */
    default void detach() {
    }

    /**
     * The longest a runnable G may wait before the kernel's watchdog ejects this strategy;
     * a strategy may lower the kernel's default, never raise it.
     */
    default long watchdogNanos() {
        return Long.MAX_VALUE;
    }

    /**
     * Whether this strategy preempts a goroutine that runs on (its {@link #shouldPreempt}
     * says yes sooner or later). The watchdog judges a strategy by what it promises: when a
     * goroutine has waited past the limit while every P ran one goroutine the whole time, a
     * strategy that preempts yet never asked them to yield is ejected, and one that never
     * preempts by design (Go 1.0's, {@code legacy-gm}) is not: the wait is its documented
     * behaviour. A strategy that makes scheduling decisions meanwhile is judged the same
     * either way. Default: true.
     *
     * @since 1.4
     */
    default boolean preempts() {
        return true;
    }

    /**
     * Where this scheduler looks for goroutines readied by network I/O. {@link NetpollMode#SCHEDULER}
     * is Go 1.1+'s: the strategy promises to call {@link SchedContext#netpoll()} in
     * {@link #findRunnable} before stealing, and the kernel adds sysmon's poll and an idle M
     * blocking in the poller. The default, {@link NetpollMode#POLL_SERVER}, asks nothing of the
     * strategy: Go 1.0's poll-server goroutine does the polling inside a blocking syscall.
     *
     * @since 1.5
     */
    default NetpollMode netpollMode() {
        return NetpollMode.POLL_SERVER;
    }

    /** Strategy-specific counters (steals, Gs stolen, ...), added to the run's metrics. */
    default void reportCounters(java.util.function.ObjLongConsumer<String> sink) {
    }
}
