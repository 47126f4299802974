package org.gort.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/*
 * sync.Map, after Go's sync/map.go (the read/dirty design of Go 1.9 to 1.23).
 *
 * Two maps: `read`, an immutable map published atomically and read without a lock, and
 * `dirty`, a mutable map under `mu` that holds every live key. Both map a key to the same
 * entry, whose value pointer is swapped atomically, so that loads, and stores to keys already
 * in `read`, take no lock. A load that misses `read` while `dirty` has more keys (`amended`)
 * takes the lock and counts a miss; after as many misses as `dirty` has keys, `dirty` is
 * promoted to `read` wholesale and the next new key copies `read` into a fresh `dirty`.
 *
 * An entry's pointer is a Val (a box, so that a stored null differs from a deleted entry),
 * null (deleted, but still in dirty if dirty exists), or EXPUNGED (deleted and left out of
 * dirty: it must be un-expunged, under mu, before a store can revive it).
 *
 * The map is built for two patterns (Go's words): keys written once and read many times, and
 * goroutines working on disjoint sets of keys. Otherwise a plain map under a Mutex does better.
 */

/**
 * {@code sync.Map}: a map safe for concurrent use by many goroutines, with lock-free loads.
 *
 * <pre>{@code
 * SyncMap<String, Integer> m = new SyncMap<>();
 * m.store("a", 1);                                 // m.Store("a", 1)
 * Integer v = m.load("a");                         // v, ok := m.Load("a") (null: absent)
 * m.range((k, val) -> { Go.println(k); return true; });
 * }</pre>
 */
public final class SyncMap<K, V> {
    private static final Object EXPUNGED = new Object();

    private record Val(Object v) {
    }

    private static final class Entry {
        final AtomicReference<Object> p;

        Entry(Object value) {
            p = new AtomicReference<>(new Val(value));
        }

        /** The value, or {@link #EXPUNGED} standing for "absent". */
        Object load() {
            Object x = p.get();
            return x instanceof Val v ? v.v : EXPUNGED;
        }

        /** {@code tryCompareAndSwap}. */
        boolean tryCompareAndSwap(Object old, Object next) {
            Object x = p.get();
            for (;;) {
                if (!(x instanceof Val v) || !Objects.equals(v.v, old)) {
                    return false;
                }
                if (p.compareAndSet(x, new Val(next))) {
                    return true;
                }
                x = p.get();
            }
        }

        /** {@code unexpungeLocked}: true if it was expunged (then it must be put back in dirty). */
        boolean unexpungeLocked() {
            return p.compareAndSet(EXPUNGED, null);
        }

        /** {@code trySwap}: the previous pointer, or EXPUNGED if it was expunged (not swapped). */
        Object trySwap(Val i) {
            for (;;) {
                Object x = p.get();
                if (x == EXPUNGED) {
                    return EXPUNGED;
                }
                if (p.compareAndSet(x, i)) {
                    return x;
                }
            }
        }

        /** {@code tryLoadOrStore}: [actual, loaded] or null if expunged. */
        Object[] tryLoadOrStore(Object value) {
            Object x = p.get();
            if (x == EXPUNGED) {
                return null;
            }
            if (x instanceof Val v) {
                return new Object[] {v.v, true};
            }
            Val ic = new Val(value);
            for (;;) {
                if (p.compareAndSet(null, ic)) {
                    return new Object[] {value, false};
                }
                x = p.get();
                if (x == EXPUNGED) {
                    return null;
                }
                if (x instanceof Val v) {
                    return new Object[] {v.v, true};
                }
            }
        }

        /** {@code delete}: the value it had, or EXPUNGED if none. */
        Object delete() {
            for (;;) {
                Object x = p.get();
                if (!(x instanceof Val v)) {
                    return EXPUNGED;
                }
                if (p.compareAndSet(x, null)) {
                    return v.v;
                }
            }
        }

        /** {@code tryExpungeLocked}. */
        boolean tryExpungeLocked() {
            Object x = p.get();
            while (x == null) {
                if (p.compareAndSet(null, EXPUNGED)) {
                    return true;
                }
                x = p.get();
            }
            return x == EXPUNGED;
        }
    }

    private record ReadOnly(Map<Object, Entry> m, boolean amended) {
    }

    private final Mutex mu = new Mutex();
    private volatile ReadOnly read = new ReadOnly(Map.of(), false);
    // guarded by mu
    private HashMap<Object, Entry> dirty;
    private int misses;

    /** {@code m.Load(key)}: the value, or null if absent (see {@link #containsKey} for a stored null). */
    @SuppressWarnings("unchecked")
    public V load(K key) {
        Object v = loadRaw(key);
        return v == EXPUNGED ? null : (V) v;
    }

    /** {@code _, ok := m.Load(key)}. */
    public boolean containsKey(K key) {
        return loadRaw(key) != EXPUNGED;
    }

    private Object loadRaw(Object key) {
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e == null && r.amended) {
            mu.lock();
            try {
                r = read;
                e = r.m.get(key);
                if (e == null && r.amended) {
                    e = dirty.get(key);
                    missLocked(); // a miss whatever the result: the key is only in dirty
                }
            } finally {
                mu.unlock();
            }
        }
        return e == null ? EXPUNGED : e.load();
    }

    /** {@code m.Store(key, value)}. */
    public void store(K key, V value) {
        swap(key, value);
    }

    /** {@code m.Swap(key, value)}: the previous value, or null if there was none. */
    @SuppressWarnings("unchecked")
    public V swap(K key, V value) {
        Val box = new Val(value);
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e != null) {
            Object prev = e.trySwap(box);
            if (prev != EXPUNGED) {
                return prev instanceof Val v ? (V) v.v : null;
            }
        }
        mu.lock();
        try {
            r = read;
            e = r.m.get(key);
            Object prev = null;
            if (e != null) {
                if (e.unexpungeLocked()) {
                    dirty.put(key, e); // it was expunged: dirty exists and lacks it
                }
                prev = e.p.getAndSet(box);
            } else if ((e = dirty == null ? null : dirty.get(key)) != null) {
                prev = e.p.getAndSet(box);
            } else {
                if (!r.amended) {
                    dirtyLocked(); // the first new key since dirty was promoted
                    read = new ReadOnly(r.m, true);
                }
                dirty.put(key, new Entry(value));
            }
            return prev instanceof Val v ? (V) v.v : null;
        } finally {
            mu.unlock();
        }
    }

    /**
     * {@code m.LoadOrStore(key, value)}: the existing value if the key is present, else stores
     * and returns {@code value}. {@link #loadOrStoreLoaded} tells which.
     */
    @SuppressWarnings("unchecked")
    public V loadOrStore(K key, V value) {
        return (V) loadOrStore0(key, value)[0];
    }

    /** {@code _, loaded := m.LoadOrStore(key, value)}: true if the key was present. */
    public boolean loadOrStoreLoaded(K key, V value) {
        return (Boolean) loadOrStore0(key, value)[1];
    }

    private Object[] loadOrStore0(Object key, Object value) {
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e != null) {
            Object[] res = e.tryLoadOrStore(value);
            if (res != null) {
                return res;
            }
        }
        mu.lock();
        try {
            r = read;
            e = r.m.get(key);
            if (e != null) {
                if (e.unexpungeLocked()) {
                    dirty.put(key, e);
                }
                return e.tryLoadOrStore(value);
            } else if ((e = dirty == null ? null : dirty.get(key)) != null) {
                Object[] res = e.tryLoadOrStore(value);
                missLocked();
                return res;
            } else {
                if (!r.amended) {
                    dirtyLocked();
                    read = new ReadOnly(r.m, true);
                }
                dirty.put(key, new Entry(value));
                return new Object[] {value, false};
            }
        } finally {
            mu.unlock();
        }
    }

    /** {@code m.LoadAndDelete(key)}: the value the key had, or null. */
    @SuppressWarnings("unchecked")
    public V loadAndDelete(K key) {
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e == null && r.amended) {
            mu.lock();
            try {
                r = read;
                e = r.m.get(key);
                if (e == null && r.amended) {
                    e = dirty.remove(key);
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        if (e == null) {
            return null;
        }
        Object v = e.delete();
        return v == EXPUNGED ? null : (V) v;
    }

    /** {@code m.Delete(key)}. */
    public void delete(K key) {
        loadAndDelete(key);
    }

    /** {@code m.CompareAndSwap(key, old, new)}: true if the value was {@code old} (by equals) and is now {@code next}. */
    public boolean compareAndSwap(K key, V old, V next) {
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e != null) {
            return e.tryCompareAndSwap(old, next);
        } else if (!r.amended) {
            return false;
        }
        mu.lock();
        try {
            r = read;
            e = r.m.get(key);
            if (e != null) {
                return e.tryCompareAndSwap(old, next);
            } else if ((e = dirty == null ? null : dirty.get(key)) != null) {
                boolean swapped = e.tryCompareAndSwap(old, next);
                missLocked();
                return swapped;
            }
            return false;
        } finally {
            mu.unlock();
        }
    }

    /** {@code m.CompareAndDelete(key, old)}: true if the value was {@code old} and is now deleted. */
    public boolean compareAndDelete(K key, V old) {
        ReadOnly r = read;
        Entry e = r.m.get(key);
        if (e == null && r.amended) {
            mu.lock();
            try {
                r = read;
                e = r.m.get(key);
                if (e == null && r.amended) {
                    e = dirty.get(key);
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        while (e != null) {
            Object x = e.p.get();
            if (!(x instanceof Val v) || !Objects.equals(v.v, old)) {
                return false;
            }
            if (e.p.compareAndSet(x, null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code m.Range(f)}: calls {@code f} for each key and value until it returns false. Sees no
     * consistent snapshot: a key stored or deleted during the range may or may not be visited,
     * but no key is visited twice.
     */
    @SuppressWarnings("unchecked")
    public void range(BiPredicate<? super K, ? super V> f) {
        ReadOnly r = read;
        if (r.amended) {
            // dirty holds keys read lacks: promote it now (a Range is as costly as a copy anyway).
            mu.lock();
            try {
                r = read;
                if (r.amended) {
                    r = new ReadOnly(dirty, false);
                    read = r;
                    dirty = null;
                    misses = 0;
                }
            } finally {
                mu.unlock();
            }
        }
        for (Map.Entry<Object, Entry> me : r.m.entrySet()) {
            Object v = me.getValue().load();
            if (v == EXPUNGED) {
                continue;
            }
            if (!f.test((K) me.getKey(), (V) v)) {
                break;
            }
        }
    }

    private void missLocked() {
        misses++;
        if (misses < dirty.size()) {
            return;
        }
        read = new ReadOnly(dirty, false);
        dirty = null;
        misses = 0;
    }

    private void dirtyLocked() {
        if (dirty != null) {
            return;
        }
        ReadOnly r = read;
        dirty = new HashMap<>(Math.max(16, r.m.size() * 2));
        for (Map.Entry<Object, Entry> me : r.m.entrySet()) {
            if (!me.getValue().tryExpungeLocked()) {
                dirty.put(me.getKey(), me.getValue());
            }
        }
    }
}
