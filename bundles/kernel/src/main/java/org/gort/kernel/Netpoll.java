package org.gort.kernel;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.gort.api.Metrics;
import org.gort.spi.sched.NetpollMode;
import org.gort.spi.sched.ReadyReason;

/*
 * The network poller (Go's runtime/netpoll.go over netpoll_epoll.go, and Go 1.0's pollServer
 * in net/fd.go), on a java.nio Selector.
 *
 * A goroutine whose socket operation would block parks in netpollblock ("IO wait") and gives
 * its M back to the scheduler; the socket's readiness is found later by whoever polls the
 * Selector, which readies the goroutine. Each socket has a pollDesc (PollDesc) with two
 * semaphores, rg and wg, for the reader and the writer (Go's states, same transitions):
 *
 *     null     nobody waits and no readiness is latched (pdNil)
 *     READY    readiness arrived with nobody waiting; the next wait returns at once (pdReady)
 *     WAIT     a goroutine is about to park (pdWait)
 *     G        the goroutine parked, waiting (committed by gopark's unlockf)
 *
 *     netpollblock:   null -> WAIT, arm the key, gopark; unlockf: WAIT -> G (netpollblockcommit;
 *                     if a waker got there first, the G is readied at once instead)
 *     netpollunblock: G -> READY (I/O) or null (close, deadline), returning the G to ready;
 *                     WAIT -> READY or null (the committing G then does not sleep)
 *
 * Who polls (the scheduler strategy's Scheduler.netpollMode):
 *   SCHEDULER (Go 1.1+)
 *     - findRunnable calls SchedContext.netpoll(): netpoll(0), a selectNow, before stealing,
 *       only if some goroutine waits and no M is blocked in the poller (sched.lastpoll != 0);
 *     - sysmon: netpoll(0) when nobody has polled for 10 ms (sysmon's lastpoll check);
 *     - an M that found no work and idled its P blocks in netpoll(-1), Selector.select(), as the
 *       one M in epoll_wait (sched.lastpoll.Swap(0)); what it finds it readies on an idle P it
 *       takes (findRunnable's "poll network until next timer") or, with none idle, from outside
 *       any P (injectglist).
 *   POLL_SERVER (Go 1.0)
 *     - one system goroutine, started with the first committed wait (onceStartServer), loops
 *       in a blocking syscall around Selector.select() (pollServer.Run / WaitFD) and readies
 *       the goroutines it finds (WakeFD); the waiters show "chan receive" as Go 1.0's did on
 *       fd.cr. It parks when nobody waits (Go 1.0's stayed in epoll_wait, which would also
 *       keep gort's deadlock check from ever firing), and its select returns every 100 ms so
 *       that a scheduler swap away from Go 1.0's policy ends it.
 *
 * Deadlines (poll_runtime_pollSetDeadline) are kernel timers: when one fires it marks the
 * direction expired (rd/wd = -1) and unblocks the waiter without readiness, which then sees
 * pollErrTimeout (Go 1.0's pollServer kept its own deadline list; the effect is the same).
 *
 * netpollBreak: epoll lets Go register a socket once, edge-triggered, for both directions.
 * A Selector is level-triggered, so interest is armed for one direction when a goroutine is
 * about to wait and cleared when the key is selected (one-shot, as EPOLLONESHOT), and an M
 * blocked in select() only sees newly armed interest when woken: arming wakes it
 * (Selector.wakeup, Go's netpollBreak; counted as net.netpoll.breaks).
 *
 * Implementation notes.
 *  - Only one thread may be in the Selector at a time (Java's select methods lock it), so
 *    `polling` is taken by CAS: the non-blocking polls skip when it is held rather than wait
 *    behind a blocked select, and the blocking ones block only if they get it.
 *  - `waiters` is Go's netpollWaiters: raised by a successful commit, lowered by the
 *    netpollunblock that takes the G; it may be -1 for a moment, which only delays a poll.
 *  - CheckDead treats a positive `waiters` as progress still possible, as Go's checkdead does
 *    through the M it counts as running while it blocks in netpoll: a program whose
 *    goroutines all wait on sockets is not reported as deadlocked. The idle M in the poller
 *    is a waker section (CheckDead.enterWaker) from the moment its select returns keys until
 *    the Gs it took off the waiters are readied.
 *  - Closing a channel registered with a Selector is completed by the Selector's next
 *    select (the JDK defers the socket's kill; a connected socket's output is shut down at
 *    once, so the peer reads EOF). Close therefore flushes the Selector (a selectNow, or a
 *    wakeup of the M inside it), so that a closed listener refuses connections promptly.
 *  - Every socket of the run is in `open` until closed; at the end of the run the kernel
 *    closes what the program left open, then the Selector.
 */
final class Netpoll {
    /** pdReady and pdWait. */
    static final Object PD_READY = new Object() {
        @Override
        public String toString() {
            return "pdReady";
        }
    };
    static final Object PD_WAIT = new Object() {
        @Override
        public String toString() {
            return "pdWait";
        }
    };
    /** Go's pollNoError, pollErrClosing, pollErrTimeout. */
    static final int POLL_NO_ERROR = 0;
    static final int POLL_ERR_CLOSING = 1;
    static final int POLL_ERR_TIMEOUT = 2;
    /** sysmon: "poll network if not polled for more than 10ms". */
    static final long SYSMON_POLL_NANOS = 10_000_000L;
    /** The poll server's longest select, so that a swap away from its policy ends it. */
    static final long SERVER_SELECT_MILLIS = 100;

    private static final VarHandle RG;
    private static final VarHandle WG;
    private static final VarHandle SERVER_PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RG = l.findVarHandle(PollDesc.class, "rg", Object.class);
            WG = l.findVarHandle(PollDesc.class, "wg", Object.class);
            SERVER_PARKED = l.findVarHandle(Netpoll.class, "serverParked", G.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's pollDesc: one per socket. */
    static final class PollDesc {
        final SelectableChannel ch;
        final SelectionKey key;
        @SuppressWarnings("unused") // through RG
        volatile Object rg;
        @SuppressWarnings("unused") // through WG
        volatile Object wg;
        volatile boolean closing;
        /** A connect in progress: the write direction waits for OP_CONNECT. */
        volatile boolean connecting;
        /** Deadlines in nanoTime: 0 none, -1 expired (Go's rd, wd). */
        volatile long rd;
        volatile long wd;
        /** Guards the deadline timers and their sequence numbers (Go's pd.lock). */
        final SpinLock lock = new SpinLock();
        Timers.Timer rt;
        Timers.Timer wt;
        int rseq;
        int wseq;

        PollDesc(SelectableChannel ch, SelectionKey key) {
            this.ch = ch;
            this.key = key;
        }
    }

    /** The setting {@value #SETTING}: sockets wait in the poller (true) or in blocking syscalls. */
    static final String SETTING = "net.poller";

    private final RuntimeInstance rt;
    /** {@value #SETTING}: false makes every socket operation a blocking syscall (see NetFD). */
    final boolean enabled;
    /** The Selector, made by the first socket (netpollGenericInit); null before. */
    private volatile Selector selector;
    private final AtomicBoolean polling = new AtomicBoolean();
    /** A thread is blocked in select(): arming must wake it. */
    private volatile boolean inSelect;
    /** Go's sched.lastpoll: when the network was last polled; 0 while an M blocks in netpoll. */
    private volatile long lastpoll = System.nanoTime();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile boolean closed;
    /** Every open socket of the run. */
    final Set<NetFD> open = ConcurrentHashMap.newKeySet();
    /** Go 1.0's onceStartServer, and the server while it is parked for want of waiters. */
    private final AtomicBoolean serverRunning = new AtomicBoolean();
    @SuppressWarnings("unused") // through SERVER_PARKED
    private volatile G serverParked;

    final LongAdder socketsOpened = new LongAdder();
    /** Sockets the kernel closed for the program at the end of the run (NetFD.closeAtExit). */
    final LongAdder closedAtExit = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private final LongAdder blockingPolls = new LongAdder();
    private final LongAdder readied = new LongAdder();
    private final LongAdder breaks = new LongAdder();
    private final LongAdder sysmonPolls = new LongAdder();
    private final LongAdder ioWaits = new LongAdder();

    Netpoll(RuntimeInstance rt) {
        this.rt = rt;
        String v = rt.config.properties().getOrDefault(SETTING, "true").trim();
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(SETTING + " must be true or false, got '" + v + "'");
        }
        this.enabled = Boolean.parseBoolean(v);
    }

    // ------------------------------------------------------------------ sockets

    /** {@code netpollopen}: registers a non-blocking channel (no interest yet). */
    PollDesc open(SelectableChannel ch) throws IOException {
        Selector sel = selector();
        SelectionKey key = jdk(() -> {
            ch.configureBlocking(false);
            return ch.register(sel, 0);
        });
        PollDesc pd = new PollDesc(ch, key);
        key.attach(pd);
        return pd;
    }

    /**
     * A JDK call from goroutine code, behind {@link Syscalls#outOfLine}: selectors and channels
     * take thread-owned locks, which compiled goroutine code spanning a park could key on the
     * wrong carrier (see {@link Current}).
     */
    static <T> T jdk(java.util.concurrent.Callable<T> call) throws IOException {
        try {
            return Syscalls.outOfLine(call);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private Selector selector() throws IOException {
        Selector sel = selector;
        if (sel == null) {
            synchronized (this) {
                sel = selector;
                if (sel == null) {
                    if (closed) {
                        throw new IOException("the run has ended");
                    }
                    sel = Selector.open();
                    selector = sel;
                }
            }
        }
        return sel;
    }

    /**
     * {@code poll_runtime_pollUnblock} then the close: marks {@code pd} closing, wakes its
     * waiters (they see pollErrClosing), stops its deadline timers, and flushes the Selector
     * after the channel is closed.
     */
    void evict(PollDesc pd) {
        G r;
        G w;
        pd.lock.lock();
        try {
            pd.closing = true;
            pd.rseq++;
            pd.wseq++;
            r = netpollunblock(pd, RG, false);
            w = netpollunblock(pd, WG, false);
            stopTimers(pd);
        } finally {
            pd.lock.unlock();
        }
        readyFromGoroutine(r);
        readyFromGoroutine(w);
    }

    private void stopTimers(PollDesc pd) {
        if (pd.rt != null) {
            rt.timers.remove(pd.rt);
            pd.rt = null;
        }
        if (pd.wt != null) {
            rt.timers.remove(pd.wt);
            pd.wt = null;
        }
    }

    /** Completes the close of deregistered channels now rather than at the next poll (see the notes). */
    void flush() {
        Selector sel = selector;
        if (sel == null) {
            return;
        }
        if (inSelect) {
            sel.wakeup();
            return;
        }
        if (polling.compareAndSet(false, true)) {
            List<G> ready;
            try {
                ready = jdk(() -> selectLocked(sel, 0));
            } catch (IOException e) {
                ready = List.of();
            } finally {
                polling.set(false);
            }
            for (G g : ready) {
                readyFromGoroutine(g);
            }
        }
    }

    // ------------------------------------------------------------------ waiting

    /**
     * {@code poll_runtime_pollWait}: waits until {@code pd} is ready for reading
     * ({@code read}) or writing; returns pollNoError, pollErrClosing or pollErrTimeout.
     */
    int pollWait(PollDesc pd, boolean read) {
        int err = netpollcheckerr(pd, read);
        if (err != POLL_NO_ERROR) {
            return err;
        }
        while (!netpollblock(pd, read)) {
            err = netpollcheckerr(pd, read);
            if (err != POLL_NO_ERROR) {
                return err;
            }
        }
        return POLL_NO_ERROR;
    }

    /** {@code netpollcheckerr}. */
    static int netpollcheckerr(PollDesc pd, boolean read) {
        if (pd.closing) {
            return POLL_ERR_CLOSING;
        }
        if ((read ? pd.rd : pd.wd) < 0) {
            return POLL_ERR_TIMEOUT;
        }
        return POLL_NO_ERROR;
    }

    /**
     * {@code netpollblock}: true if I/O is ready, false if the wait ended otherwise (close,
     * deadline). Parks the calling goroutine until then.
     */
    private boolean netpollblock(PollDesc pd, boolean read) {
        VarHandle gpp = read ? RG : WG;
        // set the gpp semaphore to pdWait
        for (;;) {
            Object old = gpp.getVolatile(pd);
            if (old == PD_READY) {
                if (gpp.compareAndSet(pd, PD_READY, null)) {
                    return true;
                }
                continue;
            }
            if (old != null) {
                throw new IllegalStateException("runtime: double wait");
            }
            if (gpp.compareAndSet(pd, null, PD_WAIT)) {
                break;
            }
        }
        // need to recheck error states after setting gpp to pdWait: runtime_pollUnblock,
        // runtime_pollSetDeadline and deadlineimpl do the opposite (store, then load gpp)
        if (netpollcheckerr(pd, read) == POLL_NO_ERROR) {
            G g = Current.g();
            boolean server = mode() == NetpollMode.POLL_SERVER;
            arm(pd, read);
            ioWaits.increment();
            rt.gopark(g, server ? "chan receive" : "IO wait", () -> {
                // netpollblockcommit
                if (gpp.compareAndSet(pd, PD_WAIT, g)) {
                    waiters.incrementAndGet();
                    if (server) {
                        wakeServer();
                    }
                } else {
                    rt.goready(g); // readied before it slept: it does not sleep (gopark's unlockf said no)
                }
            });
        }
        Object old = gpp.getAndSet(pd, null);
        if (old != null && old != PD_READY) {
            throw new IllegalStateException("runtime: corrupted polldesc");
        }
        return old == PD_READY;
    }

    /** Interest in one direction, one-shot; wakes an M blocked in select() to see it (netpollBreak). */
    private void arm(PollDesc pd, boolean read) {
        int ops = read ? pd.ch.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)
                : pd.connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        try {
            jdk(() -> {
                pd.key.interestOpsOr(ops);
                if (inSelect) {
                    Selector sel = selector;
                    if (sel != null) {
                        breaks.increment();
                        sel.wakeup();
                    }
                }
                return null;
            });
        } catch (CancelledKeyException | IOException e) {
            // closed underfoot: evict unblocks the waiter
        }
    }

    /**
     * {@code netpollunblock}: the G to ready, or null. With {@code ioready} the semaphore is
     * left READY for a waiter to come; otherwise (close, deadline) it is cleared.
     */
    private G netpollunblock(PollDesc pd, VarHandle gpp, boolean ioready) {
        for (;;) {
            Object old = gpp.getVolatile(pd);
            if (old == PD_READY) {
                return null;
            }
            if (old == null && !ioready) {
                // Only set pdReady for ioready. runtime_pollWait will check for timeout/cancel
                // before trying to call netpollblock again.
                return null;
            }
            Object next = ioready ? PD_READY : null;
            if (gpp.compareAndSet(pd, old, next)) {
                if (old instanceof G g) {
                    waiters.decrementAndGet();
                    return g;
                }
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ deadlines

    /**
     * {@code poll_runtime_pollSetDeadline}: {@code when} in nanoTime, 0 for none; for the read
     * side, the write side, or both. A deadline in the past expires at once.
     */
    void setDeadline(PollDesc pd, long when, boolean read, boolean write) {
        G r = null;
        G w = null;
        pd.lock.lock();
        try {
            if (pd.closing) {
                return;
            }
            long now = System.nanoTime();
            long d = when == 0 ? 0 : when <= now ? -1 : when;
            if (read) {
                pd.rseq++;
                if (pd.rt != null) {
                    rt.timers.remove(pd.rt);
                    pd.rt = null;
                }
                pd.rd = d;
                if (d > 0) {
                    int seq = pd.rseq;
                    pd.rt = rt.timers.add(d, () -> deadlineFired(pd, true, seq));
                }
            }
            if (write) {
                pd.wseq++;
                if (pd.wt != null) {
                    rt.timers.remove(pd.wt);
                    pd.wt = null;
                }
                pd.wd = d;
                if (d > 0) {
                    int seq = pd.wseq;
                    pd.wt = rt.timers.add(d, () -> deadlineFired(pd, false, seq));
                }
            }
            // If we set the new deadline in the past, unblock currently pending IO if any.
            if (pd.rd < 0) {
                r = netpollunblock(pd, RG, false);
            }
            if (pd.wd < 0) {
                w = netpollunblock(pd, WG, false);
            }
        } finally {
            pd.lock.unlock();
        }
        readyFromGoroutine(r);
        readyFromGoroutine(w);
    }

    /** {@code netpolldeadlineimpl}, on the timer thread. */
    private void deadlineFired(PollDesc pd, boolean read, int seq) {
        G g;
        pd.lock.lock();
        try {
            if ((read ? pd.rseq : pd.wseq) != seq || pd.closing) {
                return; // the descriptor was reused or the deadline reset (Go's stale-timer check)
            }
            if (read) {
                pd.rd = -1;
                pd.rt = null;
                g = netpollunblock(pd, RG, false);
            } else {
                pd.wd = -1;
                pd.wt = null;
                g = netpollunblock(pd, WG, false);
            }
        } finally {
            pd.lock.unlock();
        }
        if (g != null) {
            rt.goready(g);
        }
    }

    private void readyFromGoroutine(G g) {
        if (g != null) {
            G self = Current.gOrNull();
            if (self != null && self.rt == rt) {
                rt.goready(g, self);
            } else {
                rt.goready(g);
            }
        }
    }

    // ------------------------------------------------------------------ polling

    /** The scheduler's choice; Go 1.0's poll server if it throws (and the strategy is ejected). */
    NetpollMode mode() {
        org.gort.spi.sched.Scheduler s = rt.sched;
        try {
            NetpollMode m = s.netpollMode();
            return m == null ? NetpollMode.POLL_SERVER : m;
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "netpollMode", e);
            return NetpollMode.POLL_SERVER;
        }
    }

    /** Go's {@code netpollAnyWaiters}. */
    boolean anyWaiters() {
        return waiters.get() > 0;
    }

    /**
     * {@code netpoll(delay)}: the goroutines whose sockets are ready, still waiting (the
     * caller readies them). {@code delay} below 0 blocks until something is ready or the
     * poller is woken, 0 does not block, above 0 blocks at most that many nanoseconds. A
     * non-blocking poll returns nothing if another thread is in the Selector.
     */
    List<G> netpoll(long delay) {
        Selector sel = selector;
        if (sel == null || closed) {
            return List.of();
        }
        if (!polling.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            return selectLocked(sel, delay);
        } finally {
            polling.set(false);
        }
    }

    /** The body of netpoll; the caller holds {@code polling}. */
    private List<G> selectLocked(Selector sel, long delay) {
        return selectLocked(sel, delay, null);
    }

    /** {@link #selectLocked(Selector, long)}, running {@code beforeUnblock} once keys were selected, before any waiter is taken. */
    private List<G> selectLocked(Selector sel, long delay, Runnable beforeUnblock) {
        List<G> list = new ArrayList<>();
        try {
            int n;
            if (delay == 0) {
                polls.increment();
                n = sel.selectNow();
            } else {
                blockingPolls.increment();
                inSelect = true;
                try {
                    n = delay < 0 ? sel.select() : sel.select(Math.max(1, delay / 1_000_000));
                } finally {
                    inSelect = false;
                }
            }
            if (n == 0) {
                return list;
            }
            if (beforeUnblock != null) {
                beforeUnblock.run();
            }
            Set<SelectionKey> keys = sel.selectedKeys();
            for (SelectionKey key : keys) {
                PollDesc pd = (PollDesc) key.attachment();
                int ready;
                try {
                    ready = key.readyOps();
                    key.interestOpsAnd(~ready); // one-shot
                } catch (CancelledKeyException e) {
                    continue; // closed: evict woke its waiters
                }
                if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                    add(list, netpollunblock(pd, RG, true));
                }
                if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                    add(list, netpollunblock(pd, WG, true));
                }
            }
            keys.clear();
        } catch (IOException | ClosedSelectorException e) {
            // the run is ending (the Selector was closed under us)
        }
        readied.add(list.size());
        return list;
    }

    private static void add(List<G> list, G g) {
        if (g != null) {
            list.add(g);
        }
    }

    /** SchedContext.netpoll: findRunnable's {@code netpoll(0)}; the Gs come back runnable. */
    List<org.gort.spi.sched.Goroutine> pollForScheduler() {
        if (selector == null || !anyWaiters() || lastpoll == 0) {
            return List.of();
        }
        List<G> list = netpoll(0);
        if (list.isEmpty()) {
            return List.of();
        }
        for (G g : list) {
            rt.mloop.markRunnable(g);
        }
        return List.copyOf(list);
    }

    /**
     * sysmon's share: under Go 1.1+'s policy, poll the network if nobody has for 10 ms and
     * ready what it finds from outside any P ({@code injectglist}); under Go 1.0's, make sure
     * the poll server runs while goroutines wait (it ended after a swap, say).
     */
    void sysmonTick(long now) {
        if (selector == null || !anyWaiters()) {
            return;
        }
        if (mode() == NetpollMode.POLL_SERVER) {
            if (!serverRunning.get()) {
                startServer();
            }
            return;
        }
        long lp = lastpoll;
        if (lp != 0 && lp + SYSMON_POLL_NANOS < now) {
            lastpoll = now;
            List<G> list = netpoll(0);
            if (!list.isEmpty()) {
                sysmonPolls.increment();
                for (G g : list) {
                    rt.mloop.ready(g, ReadyReason.READIED, null, null);
                }
            }
        }
    }

    /**
     * findRunnable's last resort under Go 1.1+'s policy, called by an M that has just idled
     * its P: if goroutines wait on sockets and no M blocks in the poller, block in
     * {@code netpoll(-1)} until some are ready. Returns true if the M took an idle P back and
     * queued them on it (it looks for work again); false if it should park (stopm) — what it
     * found, if anything, was readied from outside any P.
     */
    boolean blockIdle(M m) {
        if (selector == null || closed || rt.shuttingDown || !anyWaiters() || mode() != NetpollMode.SCHEDULER) {
            return false;
        }
        long lp = lastpoll;
        if (lp == 0 || !polling.compareAndSet(false, true)) {
            return false;
        }
        // Go's checkdead counts this M as running until it has handed the goroutines it found
        // to the scheduler. Taking them off the waiters lowers netpollWaiters before they are
        // runnable, so from the moment keys are selected until they are readied this M is a
        // waker section (CheckDead.enterWaker): no deadlock is declared in between.
        int[] waking = {0};
        Runnable enter = () -> {
            rt.deadlock.enterWaker();
            waking[0]++;
        };
        List<G> list;
        lastpoll = 0; // sched.lastpoll.Swap(0): this M is the one in the poller
        try {
            do {
                list = selectLocked(selector, -1, enter);
                if (list.isEmpty() && waking[0] > 0) {
                    waking[0]--;
                    rt.deadlock.exitWaker(); // keys, but no waiter to wake
                }
                // An empty return is a netpollBreak for newly armed interest: select again.
            } while (list.isEmpty() && !closed && !rt.shuttingDown && !rt.gcwaiting && anyWaiters()
                    && mode() == NetpollMode.SCHEDULER);
        } finally {
            lastpoll = System.nanoTime();
            polling.set(false);
        }
        if (list.isEmpty()) {
            return false;
        }
        try {
            P p;
            rt.idleLock.lock();
            try {
                p = rt.gcwaiting || rt.shuttingDown ? null : rt.mloop.pidleget();
                if (p != null) {
                    rt.mloop.acquirep(m, p);
                }
            } finally {
                rt.idleLock.unlock();
            }
            for (G g : list) {
                rt.mloop.ready(g, ReadyReason.READIED, p == null ? null : m, p);
            }
            return p != null;
        } finally {
            rt.deadlock.exitWaker();
        }
    }

    // ------------------------------------------------------------------ Go 1.0's poll server

    private void wakeServer() {
        if (!serverRunning.get()) {
            startServer();
            return;
        }
        G s = (G) SERVER_PARKED.getAndSet(this, (G) null);
        if (s != null) {
            rt.goready(s);
        }
    }

    /** {@code onceStartServer.Do(startServer)}. */
    private void startServer() {
        if (serverRunning.compareAndSet(false, true)) {
            rt.startSystemGoroutine(this::pollServer);
        }
    }

    /** {@code pollServer.Run}: wait in a syscall for ready sockets, wake their goroutines. */
    private void pollServer() {
        G self = Current.g();
        try {
            while (!closed && mode() == NetpollMode.POLL_SERVER) {
                if (!anyWaiters()) {
                    rt.gopark(self, "IO wait", () -> {
                        SERVER_PARKED.setVolatile(this, self);
                        // a waiter that committed before this store did not see us parked
                        if (anyWaiters() && SERVER_PARKED.compareAndSet(this, self, null)) {
                            rt.goready(self);
                        }
                    });
                    continue;
                }
                List<G> ready;
                try {
                    ready = rt.syscall(self, () -> {
                        while (!polling.compareAndSet(false, true)) {
                            // a close's flush holds it for one selectNow; an M left blocked in
                            // the poller by a swap from a SCHEDULER strategy is woken to leave
                            Selector s = selector;
                            if (inSelect && s != null) {
                                s.wakeup();
                            }
                            Thread.yield();
                        }
                        try {
                            return selectLocked(selector, SERVER_SELECT_MILLIS * 1_000_000);
                        } finally {
                            polling.set(false);
                        }
                    });
                } catch (RuntimeInstance.AbortSignal e) {
                    throw e;
                } catch (Exception e) {
                    return;
                }
                for (G g : ready) {
                    rt.goready(g, self); // WakeFD: fd.cr <- true
                }
            }
        } finally {
            serverRunning.set(false);
        }
    }

    // ------------------------------------------------------------------ the end of the run

    /** Closes every socket the program left open, then the Selector (waking any M inside it). */
    void close() {
        closed = true;
        for (NetFD fd : open) {
            fd.closeAtExit();
        }
        Selector sel;
        synchronized (this) {
            sel = selector;
        }
        if (sel != null) {
            try {
                sel.close();
            } catch (IOException | RuntimeException e) {
                // nothing more to release
            }
        }
    }

    void report(Metrics m) {
        m.put("net.sockets.opened", socketsOpened.sum());
        m.put("net.sockets.closed.atexit", closedAtExit.sum());
        m.put("net.netpoll.polls", polls.sum());
        m.put("net.netpoll.blocking", blockingPolls.sum());
        m.put("net.netpoll.readied", readied.sum());
        m.put("net.netpoll.breaks", breaks.sum());
        m.put("net.netpoll.sysmon", sysmonPolls.sum());
        m.put("net.iowaits", ioWaits.sum());
    }
}
