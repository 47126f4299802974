package org.gort.api;

import java.util.function.Supplier;
import org.gort.kernel.SyncPools;

/**
 * {@code sync.Pool}: a set of temporary objects to reuse instead of allocating anew. Each P
 * has its own part (no lock on the fast path); a Get finds an object put on its own P first,
 * then steals from other Ps. As in Go 1.13+, the pool is emptied into a victim cache at the
 * start of every GC cycle and the victim cache dropped at the next: an object not taken back
 * within two cycles is gone, and {@link #get()} calls {@code newFn} (or returns null).
 *
 * <pre>{@code
 * Pool<StringBuilder> bufs = new Pool<>(StringBuilder::new);   // sync.Pool{New: ...}
 * StringBuilder b = bufs.get();
 * b.setLength(0);
 * ...
 * bufs.put(b);
 * }</pre>
 *
 * Pools hold Java objects; a heap address kept in one does not keep its object alive.
 */
public final class Pool<T> {
    private final SyncPools.Pool impl;

    /** A pool whose {@link #get()} returns null when empty. */
    public Pool() {
        this(null);
    }

    /** {@code sync.Pool{New: newFn}}. */
    public Pool(Supplier<? extends T> newFn) {
        this.impl = new SyncPools.Pool(newFn);
    }

    /** {@code p.Get()}: an object from the pool, else {@code newFn}'s, else null. */
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) impl.get();
    }

    /** {@code p.Put(x)}: adds {@code x} to the pool; a null is ignored. */
    public void put(T x) {
        impl.put(x);
    }
}
