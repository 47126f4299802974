package org.gort.api;

import java.time.Duration;
import org.gort.kernel.Kernel;

/**
 * {@code time.Timer}: after its duration, the current time ({@code System.nanoTime()}) is sent
 * on {@link #c()} (a channel with a buffer of one, so firing never blocks, as Go's
 * {@code sendTime} does).
 */
public final class Timer {
    private final Chan<Long> c = Chan.make(1);
    private final Object handle;

    private Timer(Duration d) {
        this.handle = Kernel.startTimer(d.toNanos(), this::fire);
    }

    static Timer start(Duration d) {
        return new Timer(d);
    }

    private void fire() {
        // Runs on the timer thread: a non-blocking send, like Go's sendTime with select/default.
        c.h.offerFromTimer(System.nanoTime());
    }

    public Chan<Long> c() {
        return c;
    }

    /** {@code t.Stop()}: true if the call stopped the timer, false if it had already fired. */
    public boolean stop() {
        return Kernel.stopTimer(handle);
    }

    /**
     * {@code t.Reset(d)}: the timer fires {@code d} from now; true if it had been active (not
     * yet fired nor stopped). As in Go, a value sent before the reset stays in the channel.
     */
    public boolean reset(Duration d) {
        return Kernel.resetTimer(handle, d.toNanos(), 0);
    }
}
