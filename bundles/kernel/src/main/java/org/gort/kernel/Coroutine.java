package org.gort.kernel;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The one class in gort that touches {@code jdk.internal.vm.Continuation}.
 *
 * <p>A goroutine's code runs inside a coroutine; an M thread {@linkplain #resume() resumes} it
 * and gets control back when the goroutine {@linkplain #suspend() suspends} (parks, yields, is
 * preempted at a safepoint) or finishes. This is the JVM analogue of Go's {@code gogo} /
 * {@code mcall}: the goroutine's frames are saved on the Java heap and may be resumed later on
 * any M.
 *
 * <p>Implementation notes: a coroutine must be resumed by at most one thread at a time; the
 * kernel guarantees this because a G is owned by exactly one M from {@code execute} until it
 * suspends. A suspend while a native frame is on the stack is refused by the JVM ("pinned");
 * goroutine code never calls back into the kernel from native code, so that is a kernel bug and
 * reported as such.
 */
public final class Coroutine {
    private static final ContinuationScope SCOPE = new ContinuationScope("goroutine");

    private final Continuation continuation;

    public Coroutine(Runnable body) {
        this.continuation = new Continuation(SCOPE, body);
    }

    /** Runs the coroutine on the calling thread until it suspends or completes. */
    public void resume() {
        continuation.run();
    }

    /** Suspends the coroutine that runs on the calling thread; returns when it is resumed. */
    public static void suspend() {
        if (!Continuation.yield(SCOPE)) {
            throw new IllegalStateException("goroutine could not suspend: pinned by a native frame");
        }
    }

    /** True when the calling thread is running inside a coroutine. */
    public static boolean inside() {
        return Continuation.getCurrentContinuation(SCOPE) != null;
    }

    public boolean isDone() {
        return continuation.isDone();
    }
}
