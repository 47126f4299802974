package org.gort.kernel;

import org.gort.spi.sched.ProcStatus;
import org.gort.spi.sched.Scheduler;
import org.gort.spi.sched.SyscallEntry;

/*
 * Blocking calls (Go's entersyscall, entersyscallblock, exitsyscall, exitsyscall0).
 *
 *     entersyscall: g goes SYSCALL, m counts in nsyscall; the scheduler chooses
 *         KEEP_P    -> p goes SYSCALL (with a new epoch) and stays m's oldp; sysmon may
 *                      retake it by CAS and hand it off
 *         HAND_OFF  -> p leaves now through handoffp (entersyscallblock)
 *     the M really blocks in the call; g's stack is fixed meanwhile, so a collector may scan it
 *     exitsyscall:
 *         fast path: CAS oldp from SYSCALL (same epoch) back to RUNNING and go on
 *         else take any idle P
 *         else (exitsyscall0) suspend with SYSCALL_NO_P: the M loop readies g and parks m
 *
 * Invariants.
 *  - A P's status and syscall epoch share one word, so the M coming back cannot take a P that
 *    sysmon retook and that has since entered another syscall elsewhere.
 *  - nsyscall counts Ms that may still ready a G when their call returns; the deadlock check
 *    declares nothing while it is non-zero.
 */
final class Syscalls {
    private final RuntimeInstance rt;

    Syscalls(RuntimeInstance rt) {
        this.rt = rt;
    }

    /**
     * {@code entersyscall} ... {@code exitsyscall} around a blocking call. The M really blocks
     * in {@code call}; the scheduler chose whether the P waits for it ({@code KEEP_P}, sysmon
     * may retake it) or is handed off at once.
     */
    <T> T syscall(G g, java.util.concurrent.Callable<T> call) throws Exception {
        rt.mloop.safepoint(g);
        M m = g.m;
        P p = m.p;
        if (rt.traceRecorder != null) {
            rt.traceRecorder.syscallEntered(m);
        }
        rt.counters.syscalls.increment();
        p.syscalltick++;
        p.syscallWhen = System.nanoTime();
        g.status = GStatus.SYSCALL;
        m.syscallG = g;
        rt.nsyscall.incrementAndGet();
        SyscallEntry entry;
        Scheduler s = rt.sched;
        try {
            entry = s.onSyscallEntry(p);
        } catch (RuntimeException | Error e) {
            rt.swaps.threw(s, "onSyscallEntry", e);
            entry = SyscallEntry.KEEP_P; // sysmon may still retake the P
        }
        m.p = null;
        if (entry == SyscallEntry.HAND_OFF) {
            // entersyscallblock: the P leaves now.
            // The P stays RUNNING with no M while handoffp places it, so a concurrent
            // stop-the-world waits for handoffp instead of counting the P twice.
            m.oldp = null;
            p.m = null;
            rt.mloop.handoffp(p);
        } else {
            m.oldp = p;
            m.oldpEpoch = p.enterSyscall();
        }
        // The stack is fixed while the M blocks in the call: a collector may scan it.
        g.releaseStack();
        try {
            return callOutOfLine(call);
        } finally {
            MLoop.acquireStack(g);
            exitsyscall(g, m);
        }
    }

    /**
     * Calls {@code call} through a method handle held in a non-final field, so C2 cannot inline
     * the call into goroutine code. A blocking call is exactly where a user reaches for the
     * JDK's {@code LinkedBlockingQueue}, {@code ReentrantLock} or {@code Condition}, which record
     * {@code Thread.currentThread()}; inlined into a compiled goroutine frame that spans a park,
     * that read can be the M the goroutine ran on before it migrated (see {@link Current}), and
     * a condition wait then records the wrong thread: its signal unparks another M, and the
     * call never returns. Behind this boundary the callee's frame reads the real carrier.
     */
    /**
     * {@code call} behind the same boundary, without entering a syscall: for JDK calls that
     * take a thread-owned lock briefly (a socket channel's read lock) from goroutine code.
     */
    static <T> T outOfLine(java.util.concurrent.Callable<T> call) throws Exception {
        return callOutOfLine(call);
    }

    @SuppressWarnings("unchecked")
    private static <T> T callOutOfLine(java.util.concurrent.Callable<T> call) throws Exception {
        try {
            return (T) outOfLineCall.invokeExact(call);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
    }

    @SuppressWarnings("FieldMayBeFinal") // must stay non-final: see callOutOfLine
    private static java.lang.invoke.MethodHandle outOfLineCall;

    static {
        try {
            outOfLineCall = java.lang.invoke.MethodHandles.publicLookup().findVirtual(java.util.concurrent.Callable.class,
                    "call", java.lang.invoke.MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void exitsyscall(G g, M m) {
        m.syscallG = null;
        P old = m.oldp;
        m.oldp = null;
        // Fast path: the old P is still ours.
        if (old != null && old.casFromSyscall(m.oldpEpoch, ProcStatus.RUNNING)) {
            m.p = old;
            old.m = m;
            if (rt.traceRecorder != null) {
                rt.traceRecorder.sliceBegin(m, old, g, true);
            }
            g.status = GStatus.RUNNING;
            rt.nsyscall.decrementAndGet();
            rt.mloop.safepoint(g);
            return;
        }
        // Any idle P.
        rt.idleLock.lock();
        try {
            P p = rt.gcwaiting || rt.shuttingDown ? null : rt.mloop.pidleget();
            if (p != null) {
                rt.mloop.acquirep(m, p);
                if (rt.traceRecorder != null) {
                    rt.traceRecorder.sliceBegin(m, p, g, true);
                }
                g.status = GStatus.RUNNING;
                rt.nsyscall.decrementAndGet();
                return;
            }
        } finally {
            rt.idleLock.unlock();
        }
        if (rt.shuttingDown) {
            throw new RuntimeInstance.AbortSignal();
        }
        // exitsyscall0: queue the G and park the M (the M loop does both after we suspend).
        g.yield = G.Yield.SYSCALL_NO_P;
        Coroutine.suspend();
        rt.mloop.afterResume(g);
    }
}
