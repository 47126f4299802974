package org.gort.api;

import java.time.Duration;
import org.gort.kernel.Kernel;

/**
 * {@code time.Ticker}: every period the current time ({@code System.nanoTime()}) is offered to
 * {@link #c()}, a channel with a buffer of one. A receiver that falls behind finds one tick
 * waiting and the others dropped, as Go's {@code sendTime} drops them; the ticker's next tick
 * is the next whole period after now, so a late ticker does not fire in bursts.
 *
 * <p>A ticker runs until {@link #stop()} is called. One that is never stopped keeps its timer,
 * and so its channel, alive for the rest of the run, and the run can then never be reported as
 * deadlocked (a pending timer might still wake someone): Go's behaviour before 1.23, and the
 * classic leak of {@code time.Tick} in a loop.
 *
 * <pre>{@code
 * Ticker t = Go.newTicker(Duration.ofMillis(10));   // ticker := time.NewTicker(10 * time.Millisecond)
 * try {                                             // defer ticker.Stop()
 *     for (int i = 0; i < 3; i++) {
 *         t.c().recv();                             // <-ticker.C
 *     }
 * } finally {
 *     t.stop();
 * }
 * }</pre>
 */
public final class Ticker {
    private final Chan<Long> c = Chan.make(1);
    private final Object handle;

    private Ticker(Duration d) {
        this.handle = Kernel.startTicker(d.toNanos(), this::fire);
    }

    /** {@code time.NewTicker(d)}: panics with Go's message if {@code d} is not positive. */
    static Ticker start(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new GoPanic("non-positive interval for NewTicker");
        }
        return new Ticker(d);
    }

    private void fire() {
        // On the timer thread: a non-blocking send, as Go's sendTime (select with default).
        c.h.offerFromTimer(System.nanoTime());
    }

    /** {@code ticker.C}. */
    public Chan<Long> c() {
        return c;
    }

    /**
     * {@code ticker.Stop()}: no more ticks are sent (one already being sent may still arrive).
     * The channel is not closed, as in Go.
     */
    public void stop() {
        Kernel.stopTimer(handle);
    }

    /**
     * {@code ticker.Reset(d)}: stops the ticker and restarts it with period {@code d}, the next
     * tick one period from now. Panics with Go's message if {@code d} is not positive.
     */
    public void reset(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new GoPanic("non-positive interval for Ticker.Reset");
        }
        Kernel.resetTimer(handle, d.toNanos(), d.toNanos());
    }
}
