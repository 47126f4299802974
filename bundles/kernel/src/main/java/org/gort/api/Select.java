package org.gort.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.gort.kernel.HChan;
import org.gort.kernel.Selects;

/**
 * Go's {@code select} statement, built case by case:
 * <pre>{@code
 * int chosen = Select.create()
 *     .recv(in, (v, ok) -> ...)
 *     .send(out, x, () -> ...)
 *     .orDefault(() -> ...)
 *     .run();
 * }</pre>
 * Among the cases that can proceed, one is chosen uniformly at random, as in Go. Without a
 * default, {@link #run()} blocks until a case can proceed. A case on a nil channel
 * ({@link Chan#nil()}, or null) never proceeds.
 * Returns the index of the case taken (in the order added), or -1 for the default.
 */
public final class Select {
    private final List<HChan<?>> chans = new ArrayList<>();
    private final List<Boolean> sends = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private final List<Object> bodies = new ArrayList<>();
    private Runnable otherwise;

    private Select() {
    }

    public static Select create() {
        return new Select();
    }

    /** {@code case v, ok := <-c:}. */
    @SuppressWarnings("unchecked")
    public <T> Select recv(Chan<T> c, BiConsumer<? super T, Boolean> body) {
        chans.add(c == null ? null : c.h);
        sends.add(false);
        values.add(null);
        bodies.add(body);
        return this;
    }

    /** {@code case c <- v:}. */
    public <T> Select send(Chan<T> c, T v, Runnable body) {
        chans.add(c == null ? null : c.h);
        sends.add(true);
        values.add(v);
        bodies.add(body);
        return this;
    }

    /** {@code default:}. */
    public Select orDefault(Runnable body) {
        this.otherwise = body;
        return this;
    }

    @SuppressWarnings("unchecked")
    public int run() {
        boolean[] send = new boolean[sends.size()];
        for (int i = 0; i < send.length; i++) {
            send[i] = sends.get(i);
        }
        Selects.Result r = Selects.select(chans.toArray(HChan<?>[]::new), send, values.toArray(), otherwise != null);
        int i = r.index();
        if (i < 0) {
            otherwise.run();
            return -1;
        }
        Object body = bodies.get(i);
        if (send[i]) {
            if (body != null) {
                ((Runnable) body).run();
            }
        } else if (body != null) {
            ((BiConsumer<Object, Boolean>) body).accept(r.value(), r.ok());
        }
        return i;
    }
}
