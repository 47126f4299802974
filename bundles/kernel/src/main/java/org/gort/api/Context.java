package org.gort.api;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.gort.kernel.Kernel;
import org.gort.kernel.SpinLock;

/*
 * Go's context package (context.go): a tree of contexts, each carrying a cancellation signal,
 * an optional deadline and values.
 *
 *   background         never cancelled; done() is a nil channel, err() null
 *   withCancel(p)      a cancelCtx: cancelled by its cancel(), or when p is
 *   withDeadline(p, d) a timerCtx: a cancelCtx plus a runtime timer that cancels it with
 *                      DeadlineExceeded at d; cancel() stops the timer (the timer is released)
 *   withValue(p, k, v) a valueCtx: p plus one key/value pair
 *
 * propagateCancel (as Go's): a new cancelCtx registers itself in the children of the nearest
 * cancelCtx above it (skipping valueCtxs); if that one is already cancelled, the child is
 * cancelled at once. Cancelling a context sets its err, closes its done channel, cancels its
 * children with the same err and removes it from its parent's children, so that a cancelled
 * subtree is garbage and its timers are gone.
 *
 * Implementation notes. Each cancelCtx has a runtime spin lock (Go's mu). Go closes the done
 * channel and cancels the children while holding it, with preemption disabled; here closing a
 * channel readies goroutines and may pass safepoints, and a goroutine must never stop for a
 * stop-the-world while another thread spins on a lock it holds. So cancel() takes the lock
 * only to set err and detach the done channel and the children, and closes and recurses after
 * releasing it. Nothing a goroutine can observe changes: err is set first, exactly once, and
 * done() returns the channel that is being closed (or a closed one), so a receive on it
 * completes. A deadline fires on the timer thread, which closes the channel with
 * HChan.closeFromTimer and cancels children the same way (it has no safepoints to pass).
 */

/**
 * {@code context.Context}: a cancellation signal, a deadline and request-scoped values that
 * cross goroutine boundaries.
 *
 * <pre>{@code
 * try (var ctx = Context.withTimeout(Context.background(), Duration.ofMillis(50))) {  // defer cancel()
 *     Select.create()
 *         .recv(ctx.done(), (v, ok) -> Go.println(ctx.err().toString()))  // case <-ctx.Done():
 *         .recv(result, (v, ok) -> use(v))
 *         .run();
 * }
 * }</pre>
 *
 * Contexts are made only by the factories here, as in Go (where a third-party Context is rare
 * and costs a goroutine per child).
 */
public abstract sealed class Context permits Context.Background, Context.ValueCtx, Context.Cancelable {

    /** {@code context.Canceled}: the error of a context whose cancel function was called. */
    public static final Err Canceled = new Err("context canceled");
    /** {@code context.DeadlineExceeded}: the error of a context whose deadline passed. */
    public static final Err DeadlineExceeded = new Err("context deadline exceeded");

    private static final Background BACKGROUND = new Background("context.Background");
    private static final Background TODO = new Background("context.TODO");

    /** Go's {@code closedchan}: what done() returns for a context cancelled before anyone asked. */
    private static final Chan<Void> CLOSED = Chan.make();

    static {
        CLOSED.h.closeFromTimer(); // no goroutine here; nobody waits on it yet
    }

    Context() {
    }

    /** An error value of this package ({@code errors.New}); its {@link #toString()} is Go's text. */
    public static final class Err {
        private final String text;

        private Err(String text) {
            this.text = text;
        }

        /** {@code err.Error()}. */
        public String error() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** {@code context.Background()}: never cancelled, no deadline, no values. */
    public static Context background() {
        return BACKGROUND;
    }

    /** {@code context.TODO()}: as {@link #background()}, for code not yet given a context. */
    public static Context todo() {
        return TODO;
    }

    /**
     * {@code ctx.Done()}: a channel closed when this context is cancelled; a nil channel (never
     * ready) for a context that can never be cancelled. Use it in a {@link Select}.
     */
    public abstract Chan<Void> done();

    /**
     * {@code ctx.Err()}: null while {@link #done()} is open; {@link #Canceled} or
     * {@link #DeadlineExceeded} after.
     */
    public abstract Err err();

    /** {@code ctx.Deadline()}: when this context will be cancelled by itself, if ever. */
    public abstract Optional<Instant> deadline();

    /** {@code ctx.Value(key)}: the value bound to {@code key} here or above, or null. */
    public abstract Object value(Object key);

    /**
     * {@code context.WithCancel(parent)}: a child cancelled by its {@link Cancelable#cancel()}
     * or when {@code parent} is. Call cancel when done with it (try-with-resources does).
     */
    public static Cancelable withCancel(Context parent) {
        CancelCtx c = new CancelCtx(parent);
        c.propagateCancel();
        return c;
    }

    /** {@code context.WithTimeout(parent, d)}: {@code withDeadline(parent, now + d)}. */
    public static Cancelable withTimeout(Context parent, Duration timeout) {
        return withDeadline(parent, Instant.now().plus(timeout));
    }

    /**
     * {@code context.WithDeadline(parent, d)}: a child cancelled with {@link #DeadlineExceeded}
     * at {@code d}, or earlier by cancel or its parent. Cancel releases its timer.
     */
    public static Cancelable withDeadline(Context parent, Instant d) {
        Optional<Instant> cur = parent.deadline();
        if (cur.isPresent() && cur.get().isBefore(d)) {
            return withCancel(parent); // the parent's deadline comes first
        }
        TimerCtx c = new TimerCtx(parent, d);
        c.propagateCancel();
        long nanos = Duration.between(Instant.now(), d).toNanos();
        if (nanos <= 0) {
            c.cancel(true, DeadlineExceeded); // the deadline has already passed
            return c;
        }
        c.mu.lock();
        try {
            if (c.err == null) {
                c.timer = Kernel.startTimer(nanos, () -> c.cancel(true, DeadlineExceeded));
            }
        } finally {
            c.mu.unlock();
        }
        return c;
    }

    /** {@code context.WithValue(parent, key, val)}; {@code key} must not be null. */
    public static Context withValue(Context parent, Object key, Object val) {
        if (key == null) {
            throw new GoPanic("nil key");
        }
        return new ValueCtx(parent, key, val);
    }

    /**
     * A context with its cancel function, {@code ctx, cancel := context.WithCancel(...)} in one
     * object: pass it on as a {@link Context}, call {@link #cancel()} when done.
     */
    public abstract static sealed class Cancelable extends Context implements AutoCloseable permits CancelCtx {
        Cancelable() {
        }

        /** {@code cancel()}: cancels this context and its children; idempotent. */
        public abstract void cancel();

        /** {@link #cancel()}, so that try-with-resources reads as {@code defer cancel()}. */
        @Override
        public final void close() {
            cancel();
        }
    }

    // ------------------------------------------------------------------ implementations

    static final class Background extends Context {
        private final String name;

        Background(String name) {
            this.name = name;
        }

        @Override
        public Chan<Void> done() {
            return Chan.nil();
        }

        @Override
        public Err err() {
            return null;
        }

        @Override
        public Optional<Instant> deadline() {
            return Optional.empty();
        }

        @Override
        public Object value(Object key) {
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class ValueCtx extends Context {
        private final Context parent;
        private final Object key;
        private final Object val;

        ValueCtx(Context parent, Object key, Object val) {
            this.parent = parent;
            this.key = key;
            this.val = val;
        }

        @Override
        public Chan<Void> done() {
            return parent.done();
        }

        @Override
        public Err err() {
            return parent.err();
        }

        @Override
        public Optional<Instant> deadline() {
            return parent.deadline();
        }

        @Override
        public Object value(Object k) {
            Context c = this;
            while (c instanceof ValueCtx v) { // Go's value(): a loop, not recursion
                if (v.key.equals(k)) {
                    return v.val;
                }
                c = v.parent;
            }
            return c.value(k);
        }

        @Override
        public String toString() {
            return parent + ".WithValue(" + key + ", " + val + ")";
        }
    }

    /** {@code cancelCtx}. */
    static sealed class CancelCtx extends Cancelable permits TimerCtx {
        final Context parent;
        final SpinLock mu = new SpinLock();
        // guarded by mu
        private Chan<Void> doneChan;
        private Set<CancelCtx> children = new LinkedHashSet<>();
        Err err;

        CancelCtx(Context parent) {
            if (parent == null) {
                throw new GoPanic("cannot create context from nil parent");
            }
            this.parent = parent;
        }

        /** Go's {@code propagateCancel}: hang this context under its nearest cancellable ancestor. */
        final void propagateCancel() {
            CancelCtx p = parentCancelCtx(parent);
            if (p == null) {
                return; // background above: never cancelled
            }
            Err perr;
            p.mu.lock();
            try {
                perr = p.err;
                if (perr == null) {
                    p.children.add(this);
                }
            } finally {
                p.mu.unlock();
            }
            if (perr != null) {
                cancel(false, perr); // the parent is already cancelled
            }
        }

        private static CancelCtx parentCancelCtx(Context c) {
            while (c instanceof ValueCtx v) {
                c = v.parent;
            }
            return c instanceof CancelCtx cc ? cc : null;
        }

        @Override
        public Chan<Void> done() {
            mu.lock();
            try {
                if (doneChan == null) {
                    doneChan = err == null ? Chan.make() : CLOSED;
                }
                return doneChan;
            } finally {
                mu.unlock();
            }
        }

        @Override
        public Err err() {
            mu.lock();
            try {
                return err;
            } finally {
                mu.unlock();
            }
        }

        @Override
        public Optional<Instant> deadline() {
            return parent.deadline();
        }

        @Override
        public Object value(Object key) {
            return parent.value(key);
        }

        @Override
        public void cancel() {
            cancel(true, Canceled);
        }

        /**
         * Go's {@code cancelCtx.cancel}: set err, close done, cancel the children, and with
         * {@code removeFromParent} leave the parent's children. Runs on a goroutine or on the
         * timer thread.
         */
        void cancel(boolean removeFromParent, Err e) {
            Chan<Void> d;
            Set<CancelCtx> kids;
            mu.lock();
            try {
                if (err != null) {
                    return; // already cancelled
                }
                err = e;
                d = doneChan;
                if (d == null) {
                    doneChan = CLOSED;
                }
                kids = children;
                children = null;
            } finally {
                mu.unlock();
            }
            stopTimer();
            if (d != null) {
                if (Kernel.onGoroutine()) {
                    d.close();
                } else {
                    d.h.closeFromTimer();
                }
            }
            for (CancelCtx child : kids) {
                child.cancel(false, e); // the children set is detached: nothing to remove from
            }
            if (removeFromParent) {
                CancelCtx p = parentCancelCtx(parent);
                if (p != null) {
                    p.mu.lock();
                    try {
                        if (p.children != null) {
                            p.children.remove(this);
                        }
                    } finally {
                        p.mu.unlock();
                    }
                }
            }
        }

        /** A timerCtx's: release the deadline timer. */
        void stopTimer() {
        }

        @Override
        public String toString() {
            return parent + ".WithCancel";
        }
    }

    /** {@code timerCtx}: a cancelCtx with a deadline. */
    static final class TimerCtx extends CancelCtx {
        private final Instant deadline;
        /** The runtime timer that cancels at the deadline; guarded by mu, null once released. */
        Object timer;

        TimerCtx(Context parent, Instant deadline) {
            super(parent);
            this.deadline = deadline;
        }

        @Override
        public Optional<Instant> deadline() {
            return Optional.of(deadline);
        }

        @Override
        void stopTimer() {
            Object t;
            mu.lock();
            try {
                t = timer;
                timer = null;
            } finally {
                mu.unlock();
            }
            if (t != null) {
                Kernel.stopTimer(t);
            }
        }

        @Override
        public String toString() {
            Duration left = Duration.between(Instant.now(), deadline);
            return parent + ".WithDeadline(" + deadline + " [" + left + "])";
        }
    }
}
