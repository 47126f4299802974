package org.gort.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.gort.kernel.heap.Finalizers;
import org.gort.kernel.heap.ManagedHeap;

/**
 * The finalizer goroutine (Go's {@code fing}, running {@code runfinq}): a system goroutine,
 * started by the first {@code SetFinalizer}, that runs queued finalizers one after another,
 * each with its object rooted in its own stack, and parks ({@code finalizer wait}) when the
 * queue is empty.
 *
 * <p>The collector queues finalizers at mark termination, with the world stopped; the wake-up is
 * posted through the timer thread ({@code Timers}), which readies the goroutine from outside any
 * P once the world runs again, the way a firing timer readies a sleeper. A pending timer counts
 * for the deadlock check, so a run waiting for a finalizer is never declared dead in between.
 *
 * <p>A finalizer that throws ends the run with a panic, as in Go; one that blocks holds up the
 * finalizers queued behind it.
 */
final class Fing {
    private final RuntimeInstance rt;
    private final AtomicBoolean started = new AtomicBoolean();
    /** The finalizer goroutine while it is parked; guarded by the queue's lock. */
    private G waiting;

    Fing(RuntimeInstance rt) {
        this.rt = rt;
    }

    /** {@code SetFinalizer}: sets it on the heap and starts the finalizer goroutine if need be. */
    void setFinalizer(long obj, LongConsumer fn) {
        ManagedHeap heap = rt.heap();
        heap.setFinalizer(obj, fn);
        if (fn != null && started.compareAndSet(false, true)) {
            Finalizers f = heap.finalizers();
            f.onQueued(() -> rt.timers.add(System.nanoTime(), () -> wake(f)));
            rt.startSystemGoroutine(() -> runfinq(f));
        }
    }

    private void wake(Finalizers f) {
        G w;
        f.lock.lock();
        w = waiting;
        waiting = null;
        f.lock.unlock();
        if (w != null) {
            rt.goready(w);
        }
    }

    /** {@code runfinq}. */
    private void runfinq(Finalizers f) {
        G g = Current.g();
        for (;;) {
            f.lock.lock();
            Finalizers.Queued e = f.pollLocked();
            if (e == null) {
                waiting = g;
                rt.gopark(g, "finalizer wait", f.lock.unlocker);
                continue;
            }
            f.lock.unlock();
            // No safepoint since the poll: no cycle can have started without this root.
            int slot = g.roots.push(1);
            g.roots.set(slot, e.obj());
            try {
                e.fn().accept(e.obj());
            } finally {
                g.roots.pop(slot);
            }
        }
    }
}
