package org.gort.api;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.gort.kernel.Kernel;

/**
 * The goroutine API: what Go spells as the {@code go} statement and the {@code runtime} and
 * {@code time} packages. Every method must be called from a goroutine (code started by
 * {@link Runtime#run} or {@link #go}) and is a safepoint: the place where a goroutine can be
 * preempted or stopped for a stop-the-world.
 */
public final class Go {
    private Go() {
    }

    /** {@code go fn()}: start a goroutine; returns its id. */
    public static long go(Runnable fn) {
        return Kernel.go(fn);
    }

    /** {@code runtime.Gosched()}: yield the processor, stay runnable. */
    public static void gosched() {
        Kernel.gosched();
    }

    /**
     * An explicit safepoint, standing for the preemption check Go compiles into every function
     * prologue: a CPU-bound loop that calls it can be preempted; one that does not, cannot
     * (as in Go before 1.14).
     */
    public static void checkpoint() {
        Kernel.checkpoint();
    }

    /** {@code time.Sleep(d)}: park for at least {@code d} without holding a P. */
    public static void sleep(Duration d) {
        Kernel.sleep(d.toNanos());
    }

    public static void sleepNanos(long nanos) {
        Kernel.sleep(nanos);
    }

    /**
     * A blocking system call: the M really blocks in {@code call} while the scheduler decides
     * what happens to its P (hand-off, retake). Exceptions from {@code call} propagate.
     */
    public static <T> T syscall(Callable<T> call) {
        try {
            return Kernel.syscall(call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new GoPanic(e);
        }
    }

    /** A blocking system call with no result. */
    public static void syscall(Runnable call) {
        syscall(() -> {
            call.run();
            return null;
        });
    }

    /** {@code time.After(d)}: a channel that receives the fire time (nanoTime) once after {@code d}. */
    public static Chan<Long> after(Duration d) {
        return Timer.start(d).c();
    }

    /** {@code time.NewTimer(d)}. */
    public static Timer newTimer(Duration d) {
        return Timer.start(d);
    }

    /**
     * {@code time.NewTicker(d)}: a {@link Ticker} that offers the time every {@code d} on a
     * channel with a buffer of one; stop it when done. Panics if {@code d} is not positive.
     */
    public static Ticker newTicker(Duration d) {
        return Ticker.start(d);
    }

    /**
     * {@code time.Tick(d)}: the channel of a ticker that can never be stopped (it runs until the
     * run ends), or a nil channel if {@code d} is not positive, as in Go.
     */
    public static Chan<Long> tick(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return Chan.nil();
        }
        return Ticker.start(d).c();
    }

    /** {@code runtime.GOMAXPROCS(0)}. */
    public static int gomaxprocs() {
        return Kernel.gomaxprocs();
    }

    /**
     * {@code runtime.GOMAXPROCS(n)}: sets the number of Ps to {@code n} while the program runs
     * and returns the previous setting; {@code n < 1} changes nothing. Done with the world
     * stopped, as Go's {@code procresize}: Ps are added or destroyed, the goroutines queued on
     * a destroyed P move to the others, its allocator cache is flushed. {@code n} is capped at
     * the run's maximum (the starting GOMAXPROCS or the machine's cores, whichever is more,
     * unless the {@code maxprocs} property raises it).
     */
    public static int gomaxprocs(int n) {
        return Kernel.gomaxprocs(n);
    }

    /**
     * {@code runtime.LockOSThread()}: wires the calling goroutine to the thread (M) it runs on.
     * Until as many {@link #unlockOSThread()} calls undo it, the goroutine runs only on that
     * thread, across every park, sleep, yield, preemption and syscall, and that thread runs no
     * other goroutine (while the goroutine waits, the thread hands its P to another thread and
     * sleeps, so other goroutines keep running). If the goroutine exits while locked, the thread
     * ends with it, as in Go. Use it for code that keeps state on its thread ({@code ThreadLocal},
     * a native library that must be called from one thread).
     */
    public static void lockOSThread() {
        Kernel.lockOSThread();
    }

    /**
     * {@code runtime.UnlockOSThread()}: undoes one {@link #lockOSThread()}; the last one lets the
     * goroutine run on any thread again. Without a pending lock it does nothing.
     */
    public static void unlockOSThread() {
        Kernel.unlockOSThread();
    }

    /**
     * {@code syscall.Gettid()}: the id of the thread (M) running the caller now (its
     * {@link Thread#threadId()}). Read it rather than {@code Thread.currentThread()}, which the
     * JIT may read once for a goroutine that moves between threads.
     */
    public static long gettid() {
        return Kernel.gettid();
    }

    /** {@code runtime.NumGoroutine()}. */
    public static int numGoroutine() {
        return Kernel.numGoroutine();
    }

    /** The calling goroutine's id. */
    public static long goid() {
        return Kernel.goid();
    }

    /**
     * {@code runtime.Goexit()}: ends the calling goroutine. Its {@code finally} blocks run (Go's
     * deferred calls); it is not a panic, so {@code catch (GoPanic p)} (Go's recover) does not
     * see it; do not catch {@code Throwable} or {@code Error} around it. Called from main, the
     * program goes on with its other goroutines; when they have all ended it fails with
     * {@code fatal error: no goroutines (main called runtime.Goexit) - deadlock!}. Declared to
     * return an exception so that {@code throw Go.goexit();} ends a branch; it never returns.
     */
    public static RuntimeException goexit() {
        return Kernel.goexit();
    }

    /**
     * {@code os.Exit(status)}: ends the program at once with {@code status}. No other goroutine
     * runs on, and, as Go runs no deferred calls, the caller never returns from here: its
     * pending {@code finally} blocks do not run. Status 0 ends the run {@link RunStatus#OK};
     * any other ends it {@link RunStatus#EXIT} with {@link RunResult#exitCode()} = {@code status}
     * and the failure text {@code exit status <status>}, as {@code go run} prints it. Only the
     * run ends, never the JVM or the shell; {@code System.exit} in program code is rewritten to
     * this call when gort loads the code ({@link ProgramExit}).
     */
    public static void exit(int status) {
        Kernel.exit(status);
    }

    /**
     * {@code runtime/debug.SetMaxThreads(n)}: the most Ms (worker threads) the program may make,
     * 10 000 unless {@link RuntimeConfig.Builder#maxThreads} said otherwise; returns the previous
     * limit. An M is made for each goroutine blocked in a {@link #syscall} whose P was handed
     * off; a program that needs more than the limit ends with Go's {@code fatal error: thread
     * exhaustion}, and so does lowering the limit below the Ms that already exist.
     */
    public static int setMaxThreads(int n) {
        return Kernel.setMaxThreads(n);
    }

    /** {@code panic(v)}. */
    public static RuntimeException panic(Object v) {
        throw new GoPanic(v);
    }

    /**
     * Reports a measurement the program made itself (a latency percentile, a checksum); it
     * appears in the run's {@link Metrics} as {@code workload.<name>}.
     */
    public static void report(String name, double value) {
        Kernel.report(name, value);
    }

    /** Prints a line of the program's output (collected in the {@link RunResult}). */
    public static void println(String line) {
        Kernel.println(line);
    }
}
