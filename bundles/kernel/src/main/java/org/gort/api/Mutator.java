package org.gort.api;

import org.gort.kernel.Current;
import org.gort.kernel.G;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.kernel.heap.RootStack;

/**
 * The calling goroutine's view of the managed heap: {@link Heap}'s allocation and pointer
 * accesses and {@link Roots}' slots in one object, for code that calls them in a hot loop.
 *
 * <pre>{@code
 * Mutator mu = Mutator.current();         // once per goroutine, or per call chain
 * int f = mu.push(2);
 * mu.set(f, mu.alloc(NODE));
 * mu.set(f + 1, mu.alloc(NODE));
 * mu.storePtr(mu.get(f), 0, mu.get(f + 1));
 * mu.pop(f);
 * }</pre>
 *
 * <p>Each call does what the static call of the same name does, with the same checks, the same
 * safepoints and the same rooting rule; it only skips the lookups. Go's {@code getg()} reads a
 * register; {@code Heap} and {@code Roots} find the goroutine from the continuation mounted on
 * the carrier thread, and the heap from the goroutine, on every call (binary-trees makes five
 * per node). A mutator holds the goroutine, its heap and its root stack; passing it down a call
 * chain is the JVM analogue of Go's {@code g} register, as HotSpot passes its
 * {@code JavaThread*} down instead of reading thread-local storage.
 *
 * <p>A mutator belongs to the goroutine that obtained it. Calls that allocate, store a pointer
 * or touch the root stack check that the caller is that goroutine (one comparison with the
 * mounted continuation: allocation uses its P's cache, and a store's safepoint and the root
 * stack are its own) and panic otherwise; loads and scalar stores need no goroutine and do not
 * check.
 */
public final class Mutator {
    private final G g;
    private final ManagedHeap heap;
    private final RootStack roots;

    private Mutator(G g) {
        this.g = g;
        this.heap = g.heap();
        this.roots = g.roots;
    }

    /** The calling goroutine's mutator; throws a clear error when called outside a goroutine. */
    public static Mutator current() {
        G g = Current.g();
        Mutator m = g.mutator;
        if (m == null) {
            g.mutator = m = new Mutator(g); // written by g only
        }
        return m;
    }

    private void owned() {
        if (!g.runsHere()) {
            throw new GoPanic("runtime error: the Mutator of goroutine " + g.id()
                    + " used by another goroutine: call Mutator.current() on the goroutine that uses it");
        }
    }

    /** {@link Heap#alloc}: a zeroed object of struct type {@code t}. */
    public long alloc(Type t) {
        owned();
        return heap.alloc(g, g.lastProc(), t);
    }

    /** {@link Heap#alloc(Type, long, long)}: {@code &T{p0, p1}}, a new object with pointer slots 0 and 1 set. */
    public long alloc(Type t, long p0, long p1) {
        owned();
        return heap.alloc(g, g.lastProc(), t, p0, p1);
    }

    /** {@link Heap#allocPointers}: an array of {@code length} nil pointers. */
    public long allocPointers(int length) {
        owned();
        return heap.allocPointers(g, g.lastProc(), length);
    }

    /** {@link Heap#allocBytes}: a zeroed byte array. */
    public long allocBytes(int length) {
        owned();
        return heap.allocBytes(g, g.lastProc(), length);
    }

    /** {@link Heap#loadPtr}: pointer slot {@code slot} of {@code obj}. */
    public long loadPtr(long obj, int slot) {
        return heap.loadPtr(obj, slot);
    }

    /** {@link Heap#storePtr}: stores {@code value} into pointer slot {@code slot} of {@code obj}, with the write barrier. */
    public void storePtr(long obj, int slot, long value) {
        owned();
        heap.storePtr(g, obj, slot, value);
    }

    /** {@link Heap#loadLong}: the long at byte offset {@code off} of {@code obj}'s scalars. */
    public long loadLong(long obj, long off) {
        return heap.loadLong(obj, off);
    }

    /** {@link Heap#storeLong}: stores a long at byte offset {@code off} of {@code obj}'s scalars. */
    public void storeLong(long obj, long off, long value) {
        heap.storeLong(obj, off, value);
    }

    /** {@link Roots#push}: pushes a frame of {@code n} nil root slots; returns its base. */
    public int push(int n) {
        owned();
        return roots.push(n);
    }

    /** {@link Roots#pop}: pops the frame whose base is {@code base} (and any frame pushed after it). */
    public void pop(int base) {
        owned();
        roots.pop(base);
    }

    /** {@link Roots#set}: stores an object address (or 0) in root slot {@code index}. */
    public void set(int index, long addr) {
        owned();
        g.setRoot(index, addr);
    }

    /** {@link Roots#get}: the address in root slot {@code index}. */
    public long get(int index) {
        owned();
        return g.getRoot(index);
    }
}
