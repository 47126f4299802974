package org.gort.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.gort.api.RunResult;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;

/**
 * The entry points the public API ({@code org.gort.api}) calls. Everything here runs on the
 * calling goroutine and is a safepoint.
 */
public final class Kernel {
    private Kernel() {
    }

    public static long go(Runnable fn) {
        G g = Current.g();
        g.rt.safepoint(g);
        M m = g.m;
        return g.rt.newproc(fn, m, m.p, g).id;
    }

    public static void gosched() {
        G g = Current.g();
        g.rt.safepoint(g);
        g.rt.gosched(g);
    }

    public static void checkpoint() {
        G g = Current.g(); // a clear error when called outside a goroutine
        g.rt.safepoint(g);
    }

    public static void sleep(long nanos) {
        G g = Current.g();
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        if (nanos <= 0) {
            rt.gosched(g);
            return;
        }
        long when = System.nanoTime() + nanos;
        rt.gopark(g, "sleep", () -> rt.timers.add(when, () -> rt.goready(g)));
    }

    /**
     * Parks the calling goroutine for ever with {@code reason} (a nil channel's send or
     * receive, Go's {@code gopark(nil, nil, waitReasonChanSendNilChan, ...)}): nothing can ready
     * it, so it counts as blocked for the deadlock check, and it ends only with the run.
     */
    public static void parkForever(String reason) {
        G g = Current.g();
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        rt.gopark(g, reason, null);
        throw new IllegalStateException("a goroutine parked for ever (" + reason + ") was woken");
    }

    /** Starts a timer that runs {@code action} on the timer thread after {@code nanos}. */
    public static Object startTimer(long nanos, Runnable action) {
        RuntimeInstance rt = Current.runtime();
        return rt.timers.add(System.nanoTime() + Math.max(0, nanos), action);
    }

    /**
     * Starts a ticker ({@code time.NewTicker}'s runtime timer): {@code action} runs on the timer
     * thread every {@code period} nanoseconds, the first time one period from now, until the
     * ticker is stopped with {@link #stopTimer}.
     */
    public static Object startTicker(long period, Runnable action) {
        RuntimeInstance rt = Current.runtime();
        return rt.timers.add(System.nanoTime() + period, period, action);
    }

    /**
     * Stops a timer from {@link #startTimer} or {@link #startTicker}; true if it had not fired
     * (a ticker: had not been stopped). Any thread may call it.
     */
    public static boolean stopTimer(Object timer) {
        Timers.Timer t = (Timers.Timer) timer;
        return t.owner.remove(t);
    }

    /**
     * Restarts a timer from {@link #startTimer} or {@link #startTicker} to fire {@code nanos}
     * from now, then every {@code period} if above 0; true if it was still pending.
     */
    public static boolean resetTimer(Object timer, long nanos, long period) {
        Timers.Timer t = (Timers.Timer) timer;
        return t.owner.reset(t, System.nanoTime() + Math.max(0, nanos), period);
    }

    public static <T> T syscall(Callable<T> call) throws Exception {
        G g = Current.g();
        return g.rt.syscall(g, call);
    }

    public static int gomaxprocs() {
        return Current.runtime().gomaxprocs;
    }

    /** {@code runtime.GOMAXPROCS(n)}: see {@link ProcResize}. */
    public static int gomaxprocs(int n) {
        G g = Current.g();
        g.rt.safepoint(g);
        return g.rt.procresize.gomaxprocs(n);
    }

    /** {@code runtime.LockOSThread}: see {@link MLoop} (LockOSThread). */
    public static void lockOSThread() {
        G g = Current.g();
        g.rt.safepoint(g);
        if (g.lockedExt++ == 0) { // dolockOSThread; g runs now, on g.m
            M m = g.m;
            m.lockedg = g;
            g.lockedm = m;
        }
    }

    /** {@code runtime.UnlockOSThread}: a no-op when not locked, as in Go. */
    public static void unlockOSThread() {
        G g = Current.g();
        g.rt.safepoint(g);
        if (g.lockedExt == 0) {
            return;
        }
        if (--g.lockedExt == 0) { // dounlockOSThread
            g.m.lockedg = null;
            g.lockedm = null;
        }
    }

    /** {@code syscall.Gettid}: the id of the platform thread (the M) running the caller. */
    public static long gettid() {
        G g = Current.g();
        g.rt.safepoint(g);
        return Current.carrier().threadId();
    }

    public static int numGoroutine() {
        return Current.runtime().numGoroutine();
    }

    public static long goid() {
        return Current.g().id;
    }

    public static void report(String name, double value) {
        Current.runtime().report(name, value);
    }

    /** {@code os.Exit}: ends the run with {@code status}; the calling goroutine never resumes. */
    public static void exit(int status) {
        G g = Current.g();
        g.rt.exit(g, status);
    }

    /** {@code debug.SetMaxThreads}: the previous limit. */
    public static int setMaxThreads(int n) {
        G g = Current.g();
        g.rt.safepoint(g);
        return g.rt.mloop.setMaxThreads(n);
    }

    public static void println(String line) {
        G g = Current.g();
        g.rt.safepoint(g);
        g.rt.println(line);
    }

    /**
     * Runs {@code main} as goroutine 1 of a fresh runtime instance and returns when it ends
     * (or after {@code timeout}, stopping it).
     */
    public static RunResult run(RuntimeConfig config, StrategyCatalog catalog, Runnable main, long timeout, TimeUnit unit) {
        return start(config, catalog, main).await(java.time.Duration.ofNanos(unit.toNanos(timeout)));
    }

    public static org.gort.api.RunHandle start(RuntimeConfig config, StrategyCatalog catalog, Runnable main) {
        GoroutineStdio.install();
        RuntimeInstance rt = new RuntimeInstance(config, catalog);
        rt.start(() -> {
            try {
                main.run();
            } finally {
                GoroutineStdio.flush(rt);
            }
        });
        return new InstanceHandle(rt);
    }

    /**
     * {@code runtime.Goexit}: ends the calling goroutine after running the {@code finally}
     * blocks on its stack. Never returns.
     */
    public static RuntimeException goexit() {
        G g = Current.g();
        g.rt.safepoint(g);
        g.goexited = true;
        throw new RuntimeInstance.GoexitSignal();
    }

    /** {@code runtime.SetFinalizer(obj, fn)}; a null {@code fn} removes it. */
    public static void setFinalizer(long obj, java.util.function.LongConsumer fn) {
        G g = Current.g();
        g.rt.safepoint(g);
        g.rt.fing.setFinalizer(obj, fn);
    }

    /** Go's {@code clearpools}: called by the collector as a cycle starts, world stopped. */
    public static void clearPools(RuntimeInstance rt) {
        rt.pools.cleanup();
    }

    /** The threads of ended runs that could not be stopped and still run (see {@link StrandedThreads}). */
    public static java.util.List<String> strandedThreads() {
        return StrandedThreads.alive();
    }

    /** True when the calling thread runs a goroutine. */
    public static boolean onGoroutine() {
        return Current.gOrNull() != null;
    }

}
