package org.gort.api;

import java.util.function.Consumer;
import org.gort.kernel.HChan;
import org.gort.kernel.Kernel;

/**
 * A Go channel: {@code make(chan T)} or {@code make(chan T, cap)}.
 * Send on a closed channel and close of a closed channel panic, as in Go; receive on a closed,
 * drained channel returns null with {@code ok} false.
 *
 * <p>A channel made with {@link #ofPointers} carries heap addresses, as Go's {@code chan *T}
 * does, and keeps every address it holds alive: in its buffer, in a blocked sender, on its way
 * to a receiver. {@code c.send(Heap.alloc(T))} is safe, as storing a fresh object is; what
 * {@link #recv} returns is held only in a Java local, so root it before the next runtime call.
 * Its zero value is 0 (nil): a receive on a closed, drained pointer channel returns 0. A
 * channel of {@code Long}s made with {@link #make} is just numbers to the collector.
 *
 * <p>{@link #nil()} is Go's nil channel ({@code var c chan T}): a send or receive on it blocks
 * for ever (and counts as blocked for the deadlock check), a {@code select} case on it never
 * proceeds, and closing it panics with {@code close of nil channel}.
 *
 * <pre>{@code
 * Chan<Long> work = Chan.ofPointers(16);
 * Go.go(() -> {
 *     int f = Roots.push(1);
 *     for (long n; (n = work.recv()) != 0; ) {
 *         Roots.set(f, n);                 // rooted before the next call
 *         consume(Roots.get(f));
 *     }
 * });
 * work.send(Heap.alloc(NODE));
 * }</pre>
 */
public final class Chan<T> {
    /** The channel; null for a nil channel. */
    final HChan<T> h;

    private Chan(HChan<T> h) {
        this.h = h;
    }

    private Chan(int cap) {
        this.h = new HChan<>(cap);
    }

    private Chan(int cap, boolean pointers) {
        this.h = new HChan<>(cap, pointers);
    }

    /** {@code make(chan *T)}: an unbuffered channel of heap addresses. Call it on a goroutine. */
    public static Chan<Long> ofPointers() {
        return new Chan<>(0, true);
    }

    /**
     * {@code make(chan *T, cap)}: a channel of heap addresses with a buffer of {@code cap}, a
     * {@code []*} on the managed heap (so making one allocates and is a safepoint). Call it on a
     * goroutine.
     */
    public static Chan<Long> ofPointers(int cap) {
        return new Chan<>(cap, true);
    }

    /** An unbuffered channel. */
    public static <T> Chan<T> make() {
        return new Chan<>(0);
    }

    /** A channel with a buffer of {@code cap} elements. */
    public static <T> Chan<T> make(int cap) {
        return new Chan<>(cap);
    }

    /**
     * A nil channel ({@code var c chan T}): send and receive block the calling goroutine for
     * ever, close panics. Useful in a {@code select} to switch a case off.
     */
    public static <T> Chan<T> nil() {
        return new Chan<>((HChan<T>) null);
    }

    /** True for a {@link #nil()} channel ({@code c == nil}). */
    public boolean isNil() {
        return h == null;
    }

    /** {@code c <- v}. */
    public void send(T v) {
        if (h == null) {
            Kernel.parkForever("chan send (nil chan)");
        }
        h.send(v);
    }

    /** {@code <-c}; null when closed and drained. */
    public T recv() {
        if (h == null) {
            Kernel.parkForever("chan receive (nil chan)");
        }
        return h.recv();
    }

    /** {@code v, ok := <-c}. */
    public Recv<T> recv2() {
        if (h == null) {
            Kernel.parkForever("chan receive (nil chan)");
        }
        boolean[] ok = new boolean[1];
        T v = h.recv(ok);
        return new Recv<>(v, ok[0]);
    }

    /** {@code close(c)}. */
    public void close() {
        if (h == null) {
            throw new GoPanic("close of nil channel");
        }
        h.close();
    }

    /** {@code len(c)}: 0 for a nil channel. */
    public int len() {
        return h == null ? 0 : h.len();
    }

    /** {@code cap(c)}: 0 for a nil channel. */
    public int cap() {
        return h == null ? 0 : h.cap();
    }

    /** {@code for v := range c}: receive until the channel is closed and drained. */
    public void forEach(Consumer<? super T> body) {
        if (h == null) {
            Kernel.parkForever("chan receive (nil chan)");
        }
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
