package org.gort.spi.sched;

/**
 * Who polls the network for goroutines whose socket became ready ({@link Scheduler#netpollMode}).
 * Either way a goroutine waiting on a socket parks and holds no M; the modes differ in which M
 * notices the readiness and how many threads that costs.
 *
 * @since 1.5
 */
public enum NetpollMode {
    /**
     * Go 1.1+ ({@code runtime/netpoll.go}): the scheduler polls. {@link Scheduler#findRunnable}
     * calls {@link SchedContext#netpoll()} ({@code netpoll(0)}) before stealing; the kernel's
     * sysmon polls when nobody has for 10 ms, and an M that found no work at all blocks in the
     * poller ({@code netpoll(delay)}) instead of parking, while other Ms may still run.
     */
    SCHEDULER,
    /**
     * Go 1.0 ({@code net/fd.go}'s {@code pollServer}): the scheduler knows nothing of the
     * network. One goroutine, started with the first wait, blocks in the poller inside a
     * system call ({@code epoll_wait} behind {@code entersyscall}, so it costs one M) and
     * readies the waiters it finds, which wait as on a channel receive ({@code <-fd.cr}).
     */
    POLL_SERVER
}
