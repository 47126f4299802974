package org.gort.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.RunStatus;

/*
 * The deadlock check (Go's checkdead).
 *
 * "Nothing can progress" is: every P is idle, no M is in a syscall, no timer is pending, no
 * kernel thread is in a section that may make a goroutine runnable (a ready() from outside a
 * P, sysmon's collector tick, a collection requested from outside the program), no ejection is
 * pending, no goroutine waits on a socket (Go's checkdead counts the M blocked in netpoll as
 * running, so network waits are never a deadlock), the world is not stopping and the run is
 * not ending. Every path that can make the last of these true runs the check, as Go's
 * checkdead runs from mput, exitsyscall and the timer paths:
 *
 *     a P goes idle                       MLoop.releasePAndPark, MLoop.handoffp (under idleLock)
 *     an M back from a syscall, no P      MLoop.execute (SYSCALL_NO_P)           -> checkIfIdle
 *     a timer has fired or was removed    Timers (its pending count reached 0)   -> checkIfIdle
 *     a kernel thread's waker section ends  exitWaker (SchedulerSwaps.exitOutsideReady, Sysmon,
 *                                         GcHooks.gcFromOutside)             -> checkIfIdle
 *     the world restarts                  StopTheWorld.start (after a swap, an ejection)
 *     the last socket waiter is woken     it is runnable then; its P idles later and checks
 *
 * When nothing can progress:
 *  - no user goroutine left: nothing to say (main's exit ends the run elsewhere);
 *  - the scheduler has something queued: nothing to say (an M will look again);
 *  - a goroutine is RUNNABLE and on no M although the scheduler has nothing queued: the
 *    scheduler lost it (Go throws "checkdead: runnable g"). The kernel knows every G's status,
 *    so the strategy is ejected with a line naming it and the lost goroutines, and the swap
 *    to the default re-readies them: the run goes on;
 *  - otherwise every goroutine waits for ever: "fatal error: all goroutines are asleep -
 *    deadlock!" and every goroutine's traceback in Go's shape (Traceback): nothing can run, so
 *    every stack can be read.
 *
 * Invariants.
 *  - check() runs under idleLock, so npidle cannot change under it.
 *  - nsyscall, Timers.pending() and the outside-ready count each cover the whole time during
 *    which their M, timer or caller may still make a G runnable; each is lowered before the
 *    check runs again, so a check that skipped because of it is always followed by another.
 *  - checkIfIdle reads npidle after its caller lowered its count: a P going idle meanwhile
 *    wrote npidle before it read the counts (both volatile), so one of the two sees "dead".
 *  - Waker sections (a kernel thread holding no P that may make a G runnable: the timer-less
 *    outside readies, sysmon deciding to start a cycle and starting its coordinator) are
 *    counted as two monotonic counts, entered and exited. Go needs no such thing: its checkdead
 *    holds sched.lock, which every injection of a G from outside a P takes. Here a check could
 *    otherwise read "no ready in flight", then see the G that a section entered just after made
 *    RUNNABLE but has not queued yet, and call it lost; or decide "deadlock" after sysmon
 *    marked a cycle requested (goroutines wait for it to start) and before it started the
 *    coordinator. So the check reads entered, then requires exited to equal it (none in
 *    flight), and before it acts requires entered to be unchanged (none began meanwhile). A
 *    check that skips for either reason is followed by another: the section's exitWaker
 *    increments exited and then reads npidle, after this check's P went idle (Dekker's
 *    argument over the volatile counts and npidle).
 */
final class CheckDead {
    private final RuntimeInstance rt;
    /** Waker sections begun and ended (see the invariants); equal when none is in flight. */
    private final AtomicLong wakersEntered = new AtomicLong();
    private final AtomicLong wakersExited = new AtomicLong();

    CheckDead(RuntimeInstance rt) {
        this.rt = rt;
    }

    /**
     * A kernel thread holding no P begins something that may make a goroutine runnable: until
     * {@link #exitWaker}, nothing is declared dead or lost. Sections may nest and overlap.
     */
    void enterWaker() {
        wakersEntered.incrementAndGet();
    }

    /** Ends a section begun by {@link #enterWaker}, then runs the check it may have held back. */
    void exitWaker() {
        wakersExited.incrementAndGet();
        checkIfIdle();
    }

    /** Runs the check if every P is idle; cheap otherwise. Call without idleLock. */
    void checkIfIdle() {
        if (rt.npidle != rt.gomaxprocs || rt.shuttingDown) {
            return;
        }
        rt.idleLock.lock();
        try {
            check();
        } finally {
            rt.idleLock.unlock();
        }
    }

    /** {@code checkdead}. Caller holds idleLock. */
    void check() {
        long wakers = wakersEntered.get();
        if (wakersExited.get() != wakers) {
            return; // a waker section is in flight: its exitWaker checks again
        }
        if (rt.npidle != rt.gomaxprocs || rt.nsyscall.get() != 0 || rt.timers.pending() != 0 || rt.shuttingDown || rt.gcwaiting
                || rt.swaps.ejectionPending() || rt.netpoll.anyWaiters()) {
            return;
        }
        if (rt.mloop.hasRunnableSafely() || rt.goroutines.nUserG.get() == 0) {
            return;
        }
        List<G> lost = new ArrayList<>();
        for (G g : rt.allgs.values()) {
            if (g.status == GStatus.RUNNABLE && g.m == null) {
                lost.add(g);
            }
        }
        if (wakersEntered.get() != wakers) {
            return; // a waker section began meanwhile: what was seen may be its doing; its exit checks again
        }
        if (!lost.isEmpty()) {
            lost.sort(Comparator.comparingLong(g -> g.id));
            rt.swaps.eject(rt.sched, "it lost " + names(lost) + ": runnable, but it has nothing to run (checkdead: runnable g)", null);
            return;
        }
        // A fatal error prints every goroutine from GOTRACEBACK=single up (Go's throw), none at none.
        StringBuilder sb = new StringBuilder("fatal error: all goroutines are asleep - deadlock!\n");
        Traceback.Level level = Traceback.Level.of(rt.config().traceback());
        String dump = Traceback.all(rt, level, rt.coarseNanos);
        if (!dump.isEmpty()) {
            sb.append('\n').append(dump.stripTrailing());
        }
        rt.finish(RunStatus.DEADLOCK, sb.toString());
    }

    /** {@code goroutine 7}, {@code goroutines 7, 9, 12}, at most ten ids then a count. */
    private static String names(List<G> gs) {
        StringBuilder sb = new StringBuilder(gs.size() == 1 ? "goroutine " : "goroutines ");
        for (int i = 0; i < gs.size() && i < 10; i++) {
            sb.append(i == 0 ? "" : ", ").append(gs.get(i).id);
        }
        if (gs.size() > 10) {
            sb.append(" and ").append(gs.size() - 10).append(" more");
        }
        return sb.toString();
    }
}
