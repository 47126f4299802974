package org.gort.api;

/**
 * A Go panic raised by the runtime or by {@link Go#panic(Object)}: its message is Go's
 * ("send on closed channel", "close of closed channel", "sync: negative WaitGroup counter").
 * Uncaught, it ends the run with {@code panic: <message>} and the goroutine's stack.
 */
public class GoPanic extends RuntimeException {
    private final Object value;

    public GoPanic(Object value) {
        super(String.valueOf(value));
        this.value = value;
    }

    /** The value passed to {@code panic}. */
    public Object value() {
        return value;
    }
}
