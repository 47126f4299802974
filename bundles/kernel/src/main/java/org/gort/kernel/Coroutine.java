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
 * <p>A coroutine is its own continuation and carries its owner (the G), so code running inside
 * it finds its G from the continuation mounted on the carrier ({@link #currentOwner()}), the
 * way Go's {@code getg()} reads a register: no thread identity, no table.
 *
 * <p>Implementation notes: a coroutine must be resumed by at most one thread at a time; the
 * kernel guarantees this because a G is owned by exactly one M from {@code execute} until it
 * suspends. A suspend while a native frame is on the stack is refused by the JVM ("pinned");
 * goroutine code never calls back into the kernel from native code, so that is a kernel bug and
 * reported as such. {@link #currentOwner()} must stay right after the coroutine moved to another
 * carrier, in code C2 compiled with the lookup inlined on both sides of the suspension;
 * {@code CurrentCarrierTest} checks exactly that with two coroutines swapping two carriers.
 */
public final class Coroutine extends Continuation {
    private static final ContinuationScope SCOPE = new ContinuationScope("goroutine");

    private final Object owner;

    /** A coroutine that will run {@code body}; {@code owner} is what {@link #currentOwner()} returns inside it. */
    public Coroutine(Object owner, Runnable body) {
        super(SCOPE, body);
        this.owner = owner;
    }

    /** Runs the coroutine on the calling thread until it suspends or completes. */
    public void resume() {
        run();
    }

    /** Suspends the coroutine that runs on the calling thread; returns when it is resumed. */
    public static void suspend() {
        if (!Continuation.yield(SCOPE)) {
            throw new IllegalStateException("goroutine could not suspend: pinned by a native frame");
        }
    }

    /** The owner of the coroutine running on the calling thread, or null outside any coroutine. */
    public static Object currentOwner() {
        return Continuation.getCurrentContinuation(SCOPE) instanceof Coroutine c ? c.owner : null;
    }

    /** True when the calling code runs inside this coroutine (it is the one mounted on the carrier). */
    public boolean isCurrent() {
        return Continuation.getCurrentContinuation(SCOPE) == this;
    }

    /** True when the calling thread is running inside a coroutine. */
    public static boolean inside() {
        return Continuation.getCurrentContinuation(SCOPE) != null;
    }
}
