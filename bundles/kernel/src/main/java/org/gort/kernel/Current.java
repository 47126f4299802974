package org.gort.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Where the calling goroutine finds its G, M, P and runtime instance, the JVM analogue of
 * Go's {@code getg()}.
 *
 * <p>Goroutine code finds its G from the coroutine mounted on its carrier
 * ({@link Coroutine#currentOwner()}), and its M from the G ({@code g.m}, set by {@code execute}
 * before the G runs). Code that is not in a goroutine (an M between goroutines, the timer
 * thread) finds its M from the carrier thread.
 *
 * <p>Implementation notes: a goroutine is a raw continuation, and the thread it runs on
 * changes whenever it is resumed by another M. HotSpot's C2 compiles
 * {@code Thread.currentThread()} as a load that does not change across calls (true for a
 * virtual thread, whose identity never changes), so in goroutine code compiled with the call
 * inlined, the value read before a park can be reused after the goroutine resumed on another
 * M: {@code CurrentCarrierTest} measures over a million stale reads in a few seconds of two
 * coroutines swapping two carriers. The mounted continuation is read from the carrier afresh
 * at each call, and the same test finds it right every time. {@link #carrier()} reads the
 * thread through a method handle held in a non-final field, which C2 cannot inline, for the
 * few callers that need the thread itself. For the same reason no kernel code that runs on
 * goroutines uses {@code ReentrantLock}, {@code Condition} or {@code ThreadLocal}: each of
 * them keys on {@code Thread.currentThread()}.
 */
public final class Current {
    @SuppressWarnings("FieldMayBeFinal") // must stay non-final: see the class comment
    private static MethodHandle currentThread;
    @SuppressWarnings("FieldMayBeFinal") // must stay non-final: see the class comment
    private static MethodHandle interrupted;

    static {
        try {
            currentThread = MethodHandles.lookup()
                    .findStatic(Thread.class, "currentThread", MethodType.methodType(Thread.class));
            interrupted = MethodHandles.lookup()
                    .findStatic(Thread.class, "interrupted", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Current() {
    }

    /** The thread the caller really runs on, even from goroutine code compiled by C2. */
    public static Thread carrier() {
        try {
            return (Thread) currentThread.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Clears the interrupt status of the thread the caller really runs on and says whether it
     * was set: {@code Thread.interrupted()}, safe from goroutine code compiled by C2.
     */
    public static boolean takeCarrierInterrupt() {
        try {
            return (boolean) interrupted.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The M of the calling thread, or null when not called from a gort M. */
    public static M m() {
        if (Coroutine.currentOwner() instanceof G g) {
            return g.m;
        }
        return carrier() instanceof MThread t ? t.m : null;
    }

    /** The running G; throws a clear error when called outside a goroutine. */
    public static G g() {
        if (Coroutine.currentOwner() instanceof G g) {
            return g;
        }
        throw new IllegalStateException("not on a goroutine: call this from code started by Runtime.run or Go.go");
    }

    /** The running G, or null when not called from a goroutine. */
    public static G gOrNull() {
        return Coroutine.currentOwner() instanceof G g ? g : null;
    }

    /** The id of the P the calling goroutine runs on. */
    public static int procId() {
        return g().m.p.id;
    }

    /** The runtime instance the calling goroutine belongs to. */
    public static RuntimeInstance runtime() {
        return g().rt;
    }
}
