package org.gort.example.fifo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SyscallEntry;

/*
 * A FIFO scheduler: the simplest policy that is fair.
 *
 * Policy:
 *  - One global run queue shared by every P: a Michael-Scott lock-free queue
 *    (ConcurrentLinkedQueue), so ready() and findRunnable() contend on two CAS words (head and
 *    tail) instead of a lock. Every G, new or readied, goes to the tail; every M takes the head.
 *    There is no runnext and no per-P queue, so a G readied by a G usually runs on another M
 *    (poor locality, like Go 1.0) but nothing waits behind a lock holder.
 *  - Round-robin: sysmon preempts a G that has run for longer than the time slice (10 ms, Go's
 *    forcePreemptNS), so a CPU-bound G goes to the back of the queue.
 *  - Work is handed out like Go 1.0's matchmg: when a G is queued and a P is idle, start an M
 *    on it.
 *  - Syscalls keep the P; sysmon retakes it after 20 µs if work is queued (Go 1.1's retake).
 *
 * Invariant (the SPI's contract): every G passed to ready() is in the queue until exactly one
 * findRunnable() or drain() takes it out; the queue's poll() hands each element to one caller.
 * `queued` counts the queue's length for schedtrace without ConcurrentLinkedQueue's O(n) size().
 */
final class FifoScheduler implements Scheduler {
    /** Go's forcePreemptNS: the time slice after which sysmon preempts a running G. */
    static final long TIME_SLICE_NANOS = 10_000_000L;
    /** The run property that changes the time slice. */
    static final String TIME_SLICE_KEY = "fifo.timeSliceNS";
    /** Go's retake: a P in a syscall longer than this is handed off when work is waiting. */
    static final long SYSCALL_RETAKE_NANOS = 20_000L;

    private final SchedContext ctx;
    private final ConcurrentLinkedQueue<Goroutine> runq = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final long timeSlice;

    FifoScheduler(SchedContext ctx) {
        this.ctx = ctx;
        this.timeSlice = ctx.configLong(TIME_SLICE_KEY, TIME_SLICE_NANOS);
    }

    @Override
    public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
        runq.offer(g);
        queued.incrementAndGet();
        if (ctx.idleProcs() > 0) {
            ctx.startM(false);
        }
    }

    @Override
    public Goroutine findRunnable(Machine m, Proc p) {
        Goroutine g = runq.poll();
        if (g != null) {
            queued.decrementAndGet();
        }
        return g;
    }

    @Override
    public boolean hasRunnable() {
        return !runq.isEmpty();
    }

    @Override
    public int globalQueueLength() {
        return Math.max(0, queued.get());
    }

    @Override
    public int localQueueLength(Proc p) {
        return 0;
    }

    @Override
    public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
        return ranNanos > timeSlice;
    }

    @Override
    public SyscallEntry onSyscallEntry(Proc p) {
        return SyscallEntry.KEEP_P;
    }

    @Override
    public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
        return inSyscallNanos > SYSCALL_RETAKE_NANOS && hasRunnable();
    }

    @Override
    public List<Goroutine> drain() {
        List<Goroutine> all = new ArrayList<>();
        for (Goroutine g; (g = runq.poll()) != null; ) {
            all.add(g);
        }
        queued.addAndGet(-all.size());
        return all;
    }
}
