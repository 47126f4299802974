package org.gort.scheduler.legacygm;

import java.util.List;
import org.gort.spi.sched.GlobalRunQueue;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.Machine;
import org.gort.spi.sched.NetpollMode;
import org.gort.spi.sched.Proc;
import org.gort.spi.sched.ReadyReason;
import org.gort.spi.sched.SchedContext;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SyscallEntry;

/*
 * The Go 1.0 scheduler (runtime/proc.c before Go 1.1), the "before" of Vyukov's 2012
 * "Scalable Go Scheduler Design Doc".
 *
 * Policy, as the design doc describes it:
 *  - One global run queue under one mutex (sched.lock). Every create (newprocreadylocked),
 *    every ready (readylocked), every schedule (nextgandunlock) and every exit (goexit ->
 *    gfput) takes it. Problem 1 of the design doc; sched.lock.* metrics count it.
 *  - New goroutines go to the tail of the global queue, and readylocked's matchmg hands queued
 *    work to another M whenever a CPU slot (here: a P) is free. So a G made by G is often run
 *    by a different M: problem 2, poor locality (sched.migrations counts it).
 *  - No preemption at all: a goroutine in a tight loop keeps its M for ever.
 *  - No sysmon retake: entersyscall gives the CPU slot up at once (mcpu--) and matchmg starts
 *    another M if work is queued; exitsyscall takes a slot back or waits. With many short
 *    syscalls this is the thread block/unblock churn of problem 4 (sched.handoffs,
 *    sched.m.parks, sched.m.wakes).
 *  - The network: Go 1.0's scheduler never polled. The net package's pollServer goroutine
 *    blocked in epoll_wait inside a syscall (so, handing its slot off, it held one M) and
 *    woke each waiting goroutine by a send on its fd.cr/fd.cw channel (net/fd.go):
 *    netpollMode() is POLL_SERVER, and the kernel runs that goroutine.
 * Problem 3 (per-M rather than per-P memory caches) belongs to the allocator, not here.
 *
 * Invariant: every G handed to ready() sits in the global queue until findRunnable or drain
 * returns it; this scheduler keeps no other state.
 */
final class LegacyGmScheduler implements Scheduler {
    private final SchedContext ctx;
    private final GlobalRunQueue runq;
    /** Dead Gs put on Go 1.0's free list ({@code sched.gfree}); guarded by the run queue's lock. */
    private long gfree;

    LegacyGmScheduler(SchedContext ctx) {
        this.ctx = ctx;
        this.runq = new GlobalRunQueue(ctx.newMeteredLock("sched.lock"));
    }

    /** {@code readylocked}: {@code gput} then {@code matchmg}. */
    @Override
    public void ready(Goroutine g, ReadyReason why, Machine m, Proc p) {
        runq.put(g);
        matchmg();
    }

    /** {@code matchmg}: while a CPU slot is free and work is queued, start an M on it. */
    private void matchmg() {
        if (ctx.idleProcs() > 0 && !runq.isEmpty()) {
            ctx.startM(false);
        }
    }

    /** {@code nextgandunlock}: the head of the global queue, under the lock, or park. */
    @Override
    public Goroutine findRunnable(Machine m, Proc p) {
        runq.lock().lock();
        try {
            return runq.getLocked();
        } finally {
            runq.lock().unlock();
        }
    }

    /** {@code goexit} → {@code schedule}: Go 1.0 put the dead G on the free list under sched.lock. */
    @Override
    public void exited(Goroutine g, Machine m, Proc p) {
        runq.lock().lock();
        try {
            gfree++;
        } finally {
            runq.lock().unlock();
        }
    }

    @Override
    public void reportCounters(java.util.function.ObjLongConsumer<String> sink) {
        sink.accept("gm.gfree", gfree);
    }

    @Override
    public boolean hasRunnable() {
        return !runq.isEmpty();
    }

    @Override
    public int globalQueueLength() {
        return runq.size();
    }

    @Override
    public int localQueueLength(Proc p) {
        return 0;
    }

    /** Go 1.0 had no preemption. */
    @Override
    public boolean shouldPreempt(Proc p, Goroutine running, long ranNanos) {
        return false;
    }

    /** By design: a goroutine that runs on keeps its P, and the watchdog does not hold that against us. */
    @Override
    public boolean preempts() {
        return false;
    }

    /** {@code entersyscall}: give the slot up at once; the kernel's handoffp starts an M if work waits. */
    @Override
    public SyscallEntry onSyscallEntry(Proc p) {
        return SyscallEntry.HAND_OFF;
    }

    @Override
    public boolean shouldRetake(Proc p, long inSyscallNanos, int ticksSeen) {
        return false;
    }

    /** Go 1.0: a poll-server goroutine in a blocking syscall, not the scheduler, polls the network. */
    @Override
    public NetpollMode netpollMode() {
        return NetpollMode.POLL_SERVER;
    }

    @Override
    public List<Goroutine> drain() {
        return runq.drain();
    }
}
