package org.gort.api;

import org.gort.kernel.Current;
import org.gort.kernel.G;
import org.gort.kernel.heap.ManagedHeap;

/**
 * The managed heap, for goroutine code: allocate objects of registered {@link Type}s, load and
 * store their pointer slots and scalars. Addresses are {@code long}s, 0 is nil. Objects never
 * move. An address kept only in a Java local is not a root: put what you allocate into a
 * {@link Roots} slot, or store it into an object reachable from one (or from a {@link Globals}
 * slot), before any other runtime call, or the collector may free it. Allocation polls for
 * safepoints before allocating and pointer stores after storing, so the store that roots a new
 * object is itself safe: {@code Heap.storePtr(rooted, i, Heap.alloc(T))}.
 *
 * <pre>{@code
 * int f = Roots.push(2);
 * Roots.set(f, Heap.alloc(NODE));
 * Roots.set(f + 1, Heap.alloc(NODE));
 * Heap.storePtr(Roots.get(f), 0, Roots.get(f + 1));   // f.left = f+1
 * Heap.storeLong(Roots.get(f), 0, 42);                // first scalar
 * Roots.pop(f);
 * }</pre>
 *
 * Every call checks its addresses: nil, a wild address or (with {@code clobberfree}) a freed
 * object raise {@link BadPointerException}; an out-of-range slot or offset raises Go's
 * "index out of range" panic; a full heap raises {@link HeapExhaustedException}. Allocation and
 * pointer stores are safepoints. Each call finds the calling goroutine and its heap; a hot loop
 * can find them once with a {@link Mutator}.
 */
public final class Heap {
    private Heap() {
    }

    private static ManagedHeap heap() {
        return Current.g().heap();
    }

    /** {@code new(T)}: a zeroed object of struct type {@code t}. */
    public static long alloc(Type t) {
        G g = Current.g();
        return g.heap().alloc(g, g.lastProc(), t);
    }

    /**
     * {@code &T{p0, p1}}: a new object of struct type {@code t} with {@code p0} and {@code p1} in
     * its pointer slots 0 and 1, as Go's composite literal: the allocation's safepoint, then both
     * stores with the write barrier and no safepoint between them. {@code p0} and {@code p1} must
     * be rooted (they live across the allocation); the new object is not yet.
     */
    public static long alloc(Type t, long p0, long p1) {
        G g = Current.g();
        return g.heap().alloc(g, g.lastProc(), t, p0, p1);
    }

    /** {@code make([]byte, length)}: a zeroed byte array. */
    public static long allocBytes(int length) {
        G g = Current.g();
        return g.heap().allocBytes(g, g.lastProc(), length);
    }

    /** {@code make([]*T, length)}: an array of {@code length} nil pointers. */
    public static long allocPointers(int length) {
        G g = Current.g();
        return g.heap().allocPointers(g, g.lastProc(), length);
    }

    /** Pointer slot {@code slot} of {@code obj} (a struct's slot or a {@code []*}'s element). */
    public static long loadPtr(long obj, int slot) {
        return heap().loadPtr(obj, slot);
    }

    /** Stores {@code value} (an object or 0) into pointer slot {@code slot} of {@code obj}, with the write barrier. */
    public static void storePtr(long obj, int slot, long value) {
        G g = Current.g();
        g.heap().storePtr(g, obj, slot, value);
    }

    /** The long at byte offset {@code off} of {@code obj}'s scalars (a {@code []byte}'s elements). */
    public static long loadLong(long obj, long off) {
        return heap().loadLong(obj, off);
    }

    public static void storeLong(long obj, long off, long value) {
        heap().storeLong(obj, off, value);
    }

    public static int loadInt(long obj, long off) {
        return heap().loadInt(obj, off);
    }

    public static void storeInt(long obj, long off, int value) {
        heap().storeInt(obj, off, value);
    }

    public static byte loadByte(long obj, long off) {
        return heap().loadByte(obj, off);
    }

    public static void storeByte(long obj, long off, byte value) {
        heap().storeByte(obj, off, value);
    }

    /** Copies {@code src} into {@code obj}'s scalars at {@code off}. */
    public static void storeBytes(long obj, long off, byte[] src) {
        heap().storeBytes(obj, off, src, 0, src.length);
    }

    /** Copies {@code dst.length} scalar bytes of {@code obj} at {@code off} into {@code dst}. */
    public static void loadBytes(long obj, long off, byte[] dst) {
        heap().loadBytes(obj, off, dst, 0, dst.length);
    }

    /** {@code len(arr)} of a {@code []byte} or {@code []*}. */
    public static int length(long arr) {
        return heap().length(arr);
    }

    public static Type typeOf(long obj) {
        return heap().typeOf(obj);
    }

    /**
     * {@code runtime.GC()}: runs a full collection and blocks the calling goroutine until it
     * and its sweep are done (a cycle already in progress is finished first).
     */
    public static void gc() {
        Current.runtime().gcFromGoroutine();
    }

    /**
     * {@code runtime.SetFinalizer(obj, f)}: when a cycle finds {@code obj} unreachable, it and
     * everything it reaches are kept for one more cycle and {@code f.accept(obj)} runs on the
     * finalizer goroutine (with {@code obj} rooted for the call); once the finalizer has run,
     * the next cycle that finds {@code obj} unreachable frees it. A finalizer on an object that
     * can reach itself (a cycle) never runs, and the cycle is never freed, as in Go. A null
     * {@code f} removes the finalizer; setting a second is a fatal error. A finalizer runs at
     * most once, and not at all if the run ends first.
     */
    public static void setFinalizer(long obj, java.util.function.LongConsumer f) {
        org.gort.kernel.Kernel.setFinalizer(obj, f);
    }

    /**
     * {@code runtime.KeepAlive(obj)}. In gort only roots keep objects alive (an address in a
     * Java local does not); keep {@code obj} in a root slot up to this call, and the call marks
     * the last use: it checks that {@code obj} is still an object, failing as a use would.
     */
    public static void keepAlive(long obj) {
        heap().keepAlive(obj);
    }

    /**
     * {@code runtime/debug.FreeOSMemory}: a full collection, then every free page of the heap
     * given back to the operating system at once (the background scavenger does it gradually,
     * keeping about 10% over the heap goal). Returns the bytes released; 0 with an allocator
     * that does not scavenge, with {@code clobberfree}, or off Linux.
     */
    public static long freeOSMemory() {
        return Current.runtime().freeOSMemoryFromGoroutine();
    }

    /** {@code runtime.ReadMemStats} with Go's field names ({@code Alloc}, {@code TotalAlloc}, {@code HeapInuse}, ...). */
    public static GoMemStats readMemStats() {
        return Current.runtime().goMemStats();
    }

    /** {@code runtime.ReadMemStats}: the collector's figures (cycles, heap live and goal, pauses). */
    public static MemStats memStats() {
        return Current.runtime().gcMemStats();
    }
}
