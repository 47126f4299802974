package org.gort.api;

import java.util.function.Consumer;
import org.gort.kernel.HChan;

/**
 * A Go channel: {@code make(chan T)} or {@code make(chan T, cap)}.
 * Send on a closed channel and close of a closed channel panic, as in Go; receive on a closed,
 * drained channel returns null with {@code ok} false.
 */
public final class Chan<T> {
    final HChan<T> h;

    private Chan(int cap) {
        this.h = new HChan<>(cap);
    }

    /** An unbuffered channel. */
    public static <T> Chan<T> make() {
        return new Chan<>(0);
    }

    /** A channel with a buffer of {@code cap} elements. */
    public static <T> Chan<T> make(int cap) {
        return new Chan<>(cap);
    }

    /** {@code c <- v}. */
    public void send(T v) {
        h.send(v);
    }

    /** {@code <-c}; null when closed and drained. */
    public T recv() {
        return h.recv(new boolean[1]);
    }

    /** {@code v, ok := <-c}. */
    public Recv<T> recv2() {
        boolean[] ok = new boolean[1];
        T v = h.recv(ok);
        return new Recv<>(v, ok[0]);
    }

    /** {@code close(c)}. */
    public void close() {
        h.close();
    }

    /** {@code len(c)}. */
    public int len() {
        return h.len();
    }

    /** {@code cap(c)}. */
    public int cap() {
        return h.cap();
    }

    /** {@code for v := range c}: receive until the channel is closed and drained. */
    public void forEach(Consumer<? super T> body) {
        boolean[] ok = new boolean[1];
        while (true) {
            T v = h.recv(ok);
            if (!ok[0]) {
                return;
            }
            body.accept(v);
        }
    }
}
