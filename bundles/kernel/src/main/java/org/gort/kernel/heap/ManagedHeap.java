package org.gort.kernel.heap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.gort.api.BadPointerException;
import org.gort.api.GoPanic;
import org.gort.api.HeapExhaustedException;
import org.gort.api.Metrics;
import org.gort.api.Type;
import org.gort.kernel.Current;
import org.gort.kernel.Kernel;
import org.gort.kernel.Safepoint;
import org.gort.spi.alloc.AllocContext;
import org.gort.spi.alloc.AllocStats;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.alloc.LockStats;
import org.gort.spi.alloc.SizeClassStats;
import org.gort.spi.heap.AllocationFailureHook;
import org.gort.spi.heap.AllocationHook;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.heap.RootSet;
import org.gort.spi.heap.WriteBarrier;
import org.gort.spi.sched.Goroutine;
import org.gort.spi.sched.MeteredLock;

/*
 * Managed heap.
 *
 * One ManagedHeap per runtime instance: a reserved address range (the heap limit) in which an
 * allocator strategy lays out pages and blocks, the kernel's object model on top of the blocks,
 * a mark bitmap beside it, the globals, and the hooks a collector installs. Java's own GC never
 * sees any of it.
 *
 * Addresses. An address is a long offset into the reservation; 0 is nil and the first page is
 * never handed out. The reservation is taken once (mmap'ed without committing, see
 * Reservation); the allocator commits 64 MiB arenas from the bottom as its page heap grows
 * (Arenas.grow, Go's sysAlloc), and the heap limit is simply the end of the reservation.
 *
 * Objects. A block from the allocator becomes an object when the kernel writes its header:
 *
 *     header word (4 bytes) = typeId << 16 | slots << 8 | 0xA7
 *     scan struct     [header][size][pointer slots, 4 bytes each][scalar bytes]  8-byte aligned
 *     noscan struct   [header][scalar bytes]                                     4-byte aligned
 *     []byte          [header][length][bytes]                                    4-byte aligned
 *     []*             [header][length][pointer slots]                            8-byte aligned
 *
 * Types are registered globally (org.gort.api.Type). Only pointer slots hold addresses, so a
 * collector scans exactly slots 0..n-1. The header carries a struct's slot count (up to 254;
 * 255 sends the reader to the type, or to a pointer array's length) and a scan struct keeps its
 * size in the word after it, so that a pointer access checks its slot, and a marker sizes what
 * it scans, from the object's own first line without a lookup of its type. A slot holds its
 * address compressed to 32 bits (shifted right by two: ObjectLayout.compress), so the heap
 * limit is at most 16 GiB. Noscan objects are padded to 4 bytes only, so that Go's tiny
 * allocator (noscan objects under 16 bytes packed into one 16-byte block) is meaningful: an
 * object with a 4-byte payload takes 8 bytes and two share a block. The 0xA7 tag makes zeroed
 * memory and clobberfree poison (0xdeadbeef) read as "no object here".
 *
 * Mark bits. One bit per 4-byte granule over the whole reservation (ArenaMarkBits), independent
 * of the allocator: a collector marks an object's start address, an allocator's sweep frees
 * every block whose bit is clear (a tiny block: whose 16 bytes hold no set bit) and clears the
 * span's bits. Any allocator therefore works with any collector.
 *
 * Roots. Each G owns a RootStack (explicit slots, no barrier, like Go's stack); the runtime owns
 * GlobalRoots (shared, with a barrier, like Go's data and bss) and ChannelBufferRoots (the
 * buffers of buffered pointer channels, heap objects written with the barrier). An address held
 * only in a Java local is not a root: goroutine code roots what it allocates before its next
 * runtime call.
 *
 * Every access goes through here:
 *
 *     alloc(T):      Safepoint.poll(); block = allocator.allocate(size, noscan, P)
 *                    block == 0 -> collector's failure hook, retry once, else out of memory
 *                    write length, then header (release); allocation hook(g, addr, size)
 *     storePtr(o, i, v):
 *                    check o, i and v
 *                    if writeBarrierEnabled: barrier(o, i, old, v)
 *                    slot = v (release); Safepoint.poll()
 *     loadPtr(o, i): check o and i; slot (acquire). Loads have no barrier and no poll.
 *
 * Where the polls sit matters, because an address held only in a Java local is not a root. In
 * alloc the poll comes first, never between the allocation and the return; in storePtr it comes
 * after the store. So there is no safepoint between getting a new address and storing it:
 * storePtr(rooted, i, alloc(T)) is safe, the new object being reachable before anything could
 * collect it, as in Go, where a store is no preemption point. For the same reason the
 * allocation hook must not stop the world.
 *
 * Checks. Every access checks the address before touching memory: nil, outside the heap, not
 * 4-byte aligned, no header at that address, or clobberfree poison each raise a
 * BadPointerException naming the address; slot and offset bounds raise Go's "index out of
 * range" panic. With checkptr on, the allocator also confirms the address lies in an allocated
 * block. A wrong address is therefore reported in the goroutine that used it, and memory is
 * never written through it.
 *
 * Implementation notes. Memory is read and written by machine address (RawMemory), so the
 * checks above are what keeps every access inside the reservation, and close() unmaps it only
 * when no other thread can use the heap (abandon() otherwise). Header and pointer-slot writes
 * are release stores and pointer loads are acquire loads, so a collector thread that finds an
 * address in a slot also sees the header and the zeroed slots written before it was
 * published. Scalars are plain (unaligned) accesses, as in Go. The hooks are volatile fields
 * read once per operation.
 */
public final class ManagedHeap implements HeapView, AutoCloseable {

    /**
     * What a heap is built with.
     *
     * @param maxHeapBytes the heap limit (the size of the reservation), at least 16 KiB
     * @param gomaxprocs   number of Ps, hence of per-P allocator caches
     * @param clobberfree  Go's {@code GODEBUG=clobberfree=1}: poison freed blocks, fail on access
     * @param checkptr     also confirm with the allocator that every accessed address is allocated
     */
    public record Options(long maxHeapBytes, int gomaxprocs, boolean clobberfree, boolean checkptr) {
        public Options {
            if (gomaxprocs < 1) {
                throw new IllegalArgumentException("gomaxprocs must be >= 1, got " + gomaxprocs);
            }
        }

        public Options(long maxHeapBytes, int gomaxprocs) {
            this(maxHeapBytes, gomaxprocs, false, false);
        }
    }

    private static final long PAGE = HeapArena.PAGE_SIZE;
    private static final int BYTES_ID = ObjectLayout.BYTES_TYPE_ID;
    private static final int POINTERS_ID = ObjectLayout.POINTERS_TYPE_ID;

    private final Arena owner;
    private final Arenas arena;
    private final MemorySegment mem;
    /** The machine address of heap address 0 (see {@link RawMemory}). */
    private final long origin;
    private final ArenaMarkBits markBits;
    private final GlobalRoots globals = new GlobalRoots();
    private final ChannelBufferRoots channelBuffers = new ChannelBufferRoots();
    /** Objects with finalizers, and finalizers waiting to run (see {@link Finalizers}). */
    private final Finalizers finalizers = new Finalizers(this);
    private final Allocator allocator;
    private final String allocatorName;
    private final Options options;
    /**
     * The end of the reservation, which every address is checked against; PAGE once the heap is
     * closed or abandoned, so that any later access fails its check (see {@link RawMemory}).
     */
    private long limit;
    private final boolean checkptr;
    /** The {@code --check-roots} mode, or null (one final-field test per access when off). */
    private final RootCheck rootCheck;

    private volatile boolean writeBarrierEnabled;
    private volatile WriteBarrier writeBarrier;
    /** The installed barrier's {@link WriteBarrier#runsAfterStore()}, read once at install. */
    private volatile boolean barrierAfterStore;
    private volatile AllocationHook allocationHook;
    /** The heap profile's sampler (see the kernel's Profiles), or null while it is off. */
    private volatile AllocationSampler sampler;

    /** Sees every allocation, after the collector's hook: the heap profile samples from it. */
    @FunctionalInterface
    public interface AllocationSampler {
        void allocated(int p, long addr, long size);

        /** A collection cycle begins: objects allocated from now on are not judged by its marks. */
        default void cycleStarted() {
        }

        /**
         * World stopped, the cycle's marking done, before its sweep: an object allocated before
         * the cycle began that {@code marked} rejects is freed by this sweep (Go's mProf_Free,
         * which the sweeper calls for a sampled object's profile special).
         */
        default void sweeping(java.util.function.LongPredicate marked) {
        }
    }

    public void setAllocationSampler(AllocationSampler s) {
        sampler = s;
    }

    /** True while {@code addr} is the start of an allocated object (the heap profile's in-use test). */
    public boolean holds(long addr) {
        return Long.compareUnsigned(addr - PAGE, limit - PAGE) < 0 && allocatedObject(addr);
    }
    private volatile AllocationFailureHook allocationFailureHook;

    /**
     * A heap using {@code strategy}'s allocator. {@code newLock} makes the allocator's metered
     * locks (the kernel passes one that registers them in the run's metrics).
     */
    public ManagedHeap(AllocatorStrategy strategy, Options options, Function<String, MeteredLock> newLock) {
        this(strategy, options, newLock, null);
    }

    /** A heap whose accesses {@code rootCheck} checks against the rooting rule (null: no check). */
    public ManagedHeap(AllocatorStrategy strategy, Options options, Function<String, MeteredLock> newLock, RootCheck rootCheck) {
        this.rootCheck = rootCheck;
        if (rootCheck != null) {
            rootCheck.attach(this);
        }
        this.options = options;
        this.owner = Arena.ofShared();
        try {
            this.arena = new Arenas(owner, options.maxHeapBytes());
            this.mem = arena.memory();
            this.origin = mem.address();
            this.limit = arena.reservedBytes();
            this.markBits = new ArenaMarkBits(owner, limit);
            this.checkptr = options.checkptr();
            this.allocatorName = strategy.name();
            this.allocator = strategy.create(new Context(options, newLock));
        } catch (RuntimeException | Error e) {
            owner.close();
            throw e;
        }
    }

    /** A heap for use without a scheduler (benchmarks, tests): call the allocator with explicit proc ids. */
    public ManagedHeap(AllocatorStrategy strategy, Options options) {
        this(strategy, options, MeteredLock::new);
    }

    private final class Context implements AllocContext {
        private final Options options;
        private final Function<String, MeteredLock> newLock;

        Context(Options options, Function<String, MeteredLock> newLock) {
            this.options = options;
            this.newLock = newLock;
        }

        @Override
        public int gomaxprocs() {
            return options.gomaxprocs();
        }

        @Override
        public HeapArena arena() {
            return arena;
        }

        @Override
        public MarkBitmap markBitmap() {
            return markBits;
        }

        @Override
        public boolean clobberfree() {
            return options.clobberfree();
        }

        @Override
        public MeteredLock newMeteredLock(String name) {
            return newLock.apply(name);
        }
    }

    // ------------------------------------------------------------------ allocation

    /**
     * {@code new(T)}: a zeroed object of struct type {@code t}. {@code g} is the calling goroutine
     * (null off a goroutine); {@code procId} is the P to use when there is no goroutine.
     */
    public long alloc(Goroutine g, int procId, Type t) {
        if (t.isArray()) {
            throw new IllegalArgumentException("type " + t.name() + " is an array type: use allocBytes or allocPointers");
        }
        boolean noscan = t.noscan();
        int header = ObjectLayout.header(t.id(), t.pointerSlots());
        return allocate(g, procId, t.size(), noscan, header, noscan ? -1 : (int) t.size());
    }

    /**
     * {@code &T{p0, p1}}: a new object of struct type {@code t} with {@code p0} and {@code p1} in
     * its pointer slots 0 and 1, as Go's composite literal: the allocation (with its safepoint),
     * then the two initializing stores with the write barrier and no safepoint between them, as
     * Go's compiler emits them right after {@code newobject}. The values must survive the
     * allocation's safepoint (rooted); they are checked after it. The object is fresh: the
     * caller roots it before its next runtime call.
     */
    public long alloc(Goroutine g, int procId, Type t, long p0, long p1) {
        long obj = alloc(g, procId, t);
        checkValue(p0, "alloc (slot 0)");
        checkValue(p1, "alloc (slot 1)");
        storePtrNoSafepoint(obj, 0, p0);
        storePtrNoSafepoint(obj, 1, p1);
        return obj;
    }

    /** {@code make([]byte, length)}. */
    public long allocBytes(Goroutine g, int procId, int length) {
        checkLength(length);
        return allocate(g, procId, ObjectLayout.byteArraySize(length), true, ObjectLayout.header(BYTES_ID, 0), length);
    }

    /** {@code make([]*T, length)}: {@code length} nil pointer slots. */
    public long allocPointers(Goroutine g, int procId, int length) {
        checkLength(length);
        return allocate(g, procId, ObjectLayout.pointerArraySize(length), length == 0,
                ObjectLayout.header(POINTERS_ID, -1), length);
    }

    private static void checkLength(int length) {
        if (length < 0) {
            throw new GoPanic("runtime error: makeslice: len out of range (" + length + ")");
        }
    }

    /**
     * Allocates {@code size} bytes and makes them an object: {@code secondWord}, when not -1, is
     * the word after the header (an array's length, a scan struct's size), written before the
     * header is published.
     */
    private long allocate(Goroutine g, int procId, long size, boolean noscan, int header, int secondWord) {
        if (g != null) {
            AllocationHook before = allocationHook;
            if (before != null) {
                before.beforeAllocating(g, size); // may park: nothing allocated yet, nothing unrooted
            }
        }
        int p = Safepoint.pollThenProc(g, procId);
        long addr = allocator.allocate(size, noscan, p);
        if (addr == 0) {
            addr = allocateAfterFailure(g, procId, size, noscan);
            p = procOf(procId); // a collection may have moved this goroutine to another P
        }
        if (secondWord >= 0) {
            RawMemory.putInt(origin + addr + ObjectLayout.LENGTH_OFFSET, secondWord);
        }
        RawMemory.putIntRelease(origin + addr, header);
        AllocationHook hook = allocationHook;
        if (hook != null) {
            // No safepoint since the poll: p is still this goroutine's P (off a goroutine: none).
            hook.allocated(g, g != null ? p : -1, addr, size);
        }
        if (rootCheck != null && g != null) {
            rootCheck.allocated(addr);
        }
        AllocationSampler s = sampler;
        if (s != null) {
            s.allocated(g != null ? p : -1, addr, size);
        }
        return addr;
    }

    /** The P to allocate on after a collection may have moved the calling goroutine. */
    private static int procOf(int callersProcId) {
        return Kernel.onGoroutine() ? Current.procId() : callersProcId;
    }

    private long allocateAfterFailure(Goroutine g, int procId, long size, boolean noscan) {
        AllocationFailureHook hook = allocationFailureHook;
        if (hook != null && hook.collectBeforeFailing(g, size)) {
            long addr = allocator.allocate(size, noscan, procOf(procId));
            if (addr != 0) {
                return addr;
            }
        }
        throw new HeapExhaustedException(options.maxHeapBytes(), size);
    }

    // ------------------------------------------------------------------ checks

    /** The header word of the object at {@code obj}, or a clear error if there is none. */
    private int headerOf(long obj, String op) {
        if (Long.compareUnsigned(obj - PAGE, limit - PAGE) >= 0 || (obj & 3) != 0) {
            throw BadPointers.badAddress(obj, op, limit);
        }
        int h = RawMemory.getIntAcquire(origin + obj);
        if ((h & ObjectLayout.TAG_MASK) != ObjectLayout.TAG || (checkptr && !allocatedObject(obj))) {
            throw BadPointers.notAnObject(obj, h, op, arena.committedEnd());
        }
        if (rootCheck != null) {
            rootCheck.check(obj, op);
        }
        return h;
    }

    private boolean allocatedObject(long obj) {
        long start = allocator.blockStart(obj);
        return start != 0 && (start == obj || allocator.blockSize(obj) == 16);
    }

    /**
     * The machine address of the 4-byte word at heap address {@code addr}, for the HeapView reads
     * a collector makes without ManagedHeap's object checks: a faulty strategy's wild address
     * raises BadPointerException here instead of reading outside the reservation.
     */
    private long word(long addr, String op) {
        if (addr < PAGE || addr > limit - 4) {
            throw BadPointers.badAddress(addr, op, limit);
        }
        return origin + addr;
    }

    private static Type typeOfHeader(int h, long obj, String op) {
        Type t = Type.byId(ObjectLayout.typeId(h));
        if (t == null) {
            throw new BadPointerException(obj, String.format(
                    "runtime error: bad pointer 0x%x in %s: header 0x%08x names no registered type", obj, op, h));
        }
        return t;
    }

    private int pointerSlotsOf(long obj, int h, String op) {
        int tid = ObjectLayout.typeId(h);
        int n = ObjectLayout.slots(h);
        if (n != ObjectLayout.SLOTS_ELSEWHERE) {
            if (!ObjectLayout.registeredTypeId(tid)) {
                typeOfHeader(h, obj, op); // throws: the header names no registered type
            }
            return n;
        }
        if (tid == POINTERS_ID) {
            return RawMemory.getInt(origin + obj + ObjectLayout.LENGTH_OFFSET);
        }
        if (tid == BYTES_ID) {
            return 0;
        }
        return typeOfHeader(h, obj, op).pointerSlots();
    }

    private long slotAddress(long obj, int slot, String op) {
        int h = headerOf(obj, op);
        int n = pointerSlotsOf(obj, h, op);
        if (slot < 0 || slot >= n) {
            throw new GoPanic(String.format("runtime error: index out of range [%d] with length %d (%s: pointer slots of %s at 0x%x)",
                    slot, n, op, typeOfHeader(h, obj, op).name(), obj));
        }
        return obj + ObjectLayout.SLOTS_OFFSET + (long) ObjectLayout.SLOT_BYTES * slot;
    }

    /** The address of scalar bytes {@code [off, off + width)} of {@code obj}, bounds checked. */
    private long scalarAddress(long obj, long off, int width, String op) {
        int h = headerOf(obj, op);
        int tid = ObjectLayout.typeId(h);
        long first;
        long n;
        if (tid == BYTES_ID) {
            first = obj + ObjectLayout.SLOTS_OFFSET;
            n = RawMemory.getInt(origin + obj + ObjectLayout.LENGTH_OFFSET);
        } else if (tid == POINTERS_ID) {
            first = obj;
            n = 0;
        } else {
            Type t = typeOfHeader(h, obj, op);
            first = obj + t.scalarOffset();
            n = t.scalarBytes();
        }
        if (off < 0 || off > n - width) {
            throw new GoPanic(String.format("runtime error: %s of %d bytes at offset %d out of range: %s at 0x%x has %d scalar bytes",
                    op, width, off, typeOfHeader(h, obj, op).name(), obj, n));
        }
        return first + off;
    }

    /** {@code op} names the store, ending in " (stored value)": a constant, as this runs on every pointer store. */
    private void checkValue(long value, String op) {
        if (value != 0) {
            headerOf(value, op);
        }
    }

    // ------------------------------------------------------------------ pointer access

    public long loadPtr(long obj, int slot) {
        long v = ObjectLayout.decompress(RawMemory.getIntAcquire(origin + slotAddress(obj, slot, "loadPtr")));
        if (rootCheck != null) {
            rootCheck.obtained(v);
        }
        return v;
    }

    /**
     * Heap pointer store: checks, the write barrier when enabled, the store, then the safepoint
     * (after the store, so that a value that is not rooted yet is reachable before any collection).
     */
    public void storePtr(long obj, int slot, long value) {
        checkValue(value, "storePtr (stored value)");
        storePtrNoSafepoint(obj, slot, value);
        Safepoint.poll();
    }

    /**
     * {@link #storePtr(long, int, long)} by {@code g}, the calling goroutine, which the caller
     * found already: the safepoint after the store needs no lookup of its own.
     */
    public void storePtr(org.gort.kernel.G g, long obj, int slot, long value) {
        checkValue(value, "storePtr (stored value)");
        storePtrNoSafepoint(obj, slot, value);
        Safepoint.poll(g);
    }

    private void storePtrNoSafepoint(long obj, int slot, long value) {
        long addr = slotAddress(obj, slot, "storePtr");
        // Read once: the barrier changes only with the world stopped, and this method has no safepoint.
        boolean barrier = writeBarrierEnabled;
        if (barrier) {
            WriteBarrier wb = writeBarrier;
            if (wb != null) {
                wb.onPointerStore(obj, slot, ObjectLayout.decompress(RawMemory.getIntAcquire(origin + addr)), value);
            }
        }
        RawMemory.putIntRelease(origin + addr, ObjectLayout.compress(value));
        if (barrier && barrierAfterStore) {
            WriteBarrier wb = writeBarrier;
            if (wb != null) {
                // Store, then look: a marker that marked obj before this point scans it after
                // (see WriteBarrier); the fence orders the store before the barrier's load.
                VarHandle.fullFence();
                wb.afterPointerStore(obj, slot, value);
            }
        }
    }

    // ------------------------------------------------------------------ scalar access

    public long loadLong(long obj, long off) {
        return RawMemory.getLongUnaligned(origin + scalarAddress(obj, off, 8, "loadLong"));
    }

    public void storeLong(long obj, long off, long v) {
        RawMemory.putLongUnaligned(origin + scalarAddress(obj, off, 8, "storeLong"), v);
    }

    public int loadInt(long obj, long off) {
        return RawMemory.getIntUnaligned(origin + scalarAddress(obj, off, 4, "loadInt"));
    }

    public void storeInt(long obj, long off, int v) {
        RawMemory.putIntUnaligned(origin + scalarAddress(obj, off, 4, "storeInt"), v);
    }

    public byte loadByte(long obj, long off) {
        return RawMemory.getByte(origin + scalarAddress(obj, off, 1, "loadByte"));
    }

    public void storeByte(long obj, long off, byte v) {
        RawMemory.putByte(origin + scalarAddress(obj, off, 1, "storeByte"), v);
    }

    /** Copies {@code len} bytes from {@code src[from..]} into the scalars of {@code obj} at {@code off}. */
    public void storeBytes(long obj, long off, byte[] src, int from, int len) {
        java.util.Objects.checkFromIndexSize(from, len, src.length);
        long addr = scalarAddress(obj, off, len, "storeBytes");
        MemorySegment.copy(src, from, mem, JAVA_BYTE, addr, len);
    }

    /** Copies {@code len} scalar bytes of {@code obj} at {@code off} into {@code dst[to..]}. */
    public void loadBytes(long obj, long off, byte[] dst, int to, int len) {
        java.util.Objects.checkFromIndexSize(to, len, dst.length);
        long addr = scalarAddress(obj, off, len, "loadBytes");
        MemorySegment.copy(mem, JAVA_BYTE, addr, dst, to, len);
    }

    /** {@code len(arr)} of a {@code []byte} or {@code []*}. */
    public int length(long arr) {
        int h = headerOf(arr, "length");
        int tid = ObjectLayout.typeId(h);
        if (tid != BYTES_ID && tid != POINTERS_ID) {
            throw new GoPanic(String.format("runtime error: len of 0x%x, a %s, which is not an array",
                    arr, typeOfHeader(h, arr, "length").name()));
        }
        return RawMemory.getInt(origin + arr + ObjectLayout.LENGTH_OFFSET);
    }

    public Type typeOf(long obj) {
        return typeOfHeader(headerOf(obj, "typeOf"), obj, "typeOf");
    }

    // ------------------------------------------------------------------ globals

    public long loadGlobal(int index) {
        long v = globals.get(index);
        if (rootCheck != null) {
            rootCheck.obtained(v);
        }
        return v;
    }

    /**
     * A pointer the calling goroutine obtained outside the heap's accessors (a root slot, a
     * pointer channel's receive): under {@code --check-roots} it is valid until its next safepoint.
     */
    public void obtained(long addr) {
        if (rootCheck != null) {
            rootCheck.obtained(addr);
        }
    }

    /** True when this heap checks the rooting rule ({@code --check-roots}). */
    public boolean checksRoots() {
        return rootCheck != null;
    }

    /** Global pointer store: a heap store as far as the barrier is concerned ({@code obj == 0}). */
    public void storeGlobal(int index, long value) {
        checkValue(value, "Globals.set (stored value)");
        if (writeBarrierEnabled) {
            WriteBarrier wb = writeBarrier;
            if (wb != null) {
                wb.onPointerStore(0, index, globals.get(index), value);
            }
        }
        globals.set(index, value);
        Safepoint.poll();
    }

    /** Checks a value about to go into a root slot (no barrier, no safepoint). */
    public void checkRootValue(long value) {
        checkValue(value, "Roots.set (stored value)");
    }

    // ------------------------------------------------------------------ pointer channels

    /** Checks a value about to be sent on a pointer channel. */
    public void checkSentValue(long value) {
        checkValue(value, "Chan.send (sent value)");
    }

    /**
     * {@code makechan} for a buffered pointer channel: allocates its buffer, a {@code []*} of
     * {@code cap} elements, and roots it for as long as {@code channel} is reachable. Polls for a
     * safepoint before allocating, none after.
     */
    public long newChannelBuffer(Goroutine g, int procId, Object channel, int cap) {
        long buffer = allocPointers(g, procId, cap);
        channelBuffers.register(channel, buffer);
        handOverBarrier(buffer); // a new root, as a global store would be (Dijkstra allocates white)
        return buffer;
    }

    /**
     * A store into a channel's buffer, with the write barrier and without a safepoint: the
     * caller holds the channel's lock. Go's {@code typedmemmove} into {@code chanbuf}.
     */
    public void storeChannelBuffer(long buffer, int index, long value) {
        storePtrNoSafepoint(buffer, index, value);
    }

    /**
     * The barrier for a pointer handed straight from one goroutine's stack to another's (a
     * channel's direct send or receive: Go's {@code sendDirect}/{@code recvDirect}, which run the
     * bulk barrier because the receiving stack may already be black), or for a new channel
     * buffer's root. Calls the collector's barrier with {@code obj == 0}, {@code slot == -1}.
     */
    public void handOverBarrier(long value) {
        if (value != 0 && writeBarrierEnabled) {
            WriteBarrier wb = writeBarrier;
            if (wb != null) {
                wb.onPointerStore(0, -1, 0, value);
            }
        }
    }

    // ------------------------------------------------------------------ HeapView: what a collector uses

    @Override
    public MarkBitmap markBitmap() {
        return markBits;
    }

    @Override
    public RootSet globals() {
        return globals;
    }

    @Override
    public RootSet channelBuffers() {
        return channelBuffers;
    }

    @Override
    public void dropUnreachableChannelBuffers() {
        channelBuffers.clearReleased();
    }

    // ------------------------------------------------------------------ finalizers

    /**
     * {@code runtime.SetFinalizer(obj, fn)}; a null {@code fn} removes {@code obj}'s finalizer.
     * {@code obj} must be the start of an allocated object; setting a second finalizer is a
     * fatal error, as in Go. Runs the hand-over barrier: the table is a new root for the object
     * (a cycle in its marking must mark it; see {@link Finalizers}).
     */
    public void setFinalizer(long obj, java.util.function.LongConsumer fn) {
        if (obj == 0) {
            throw new org.gort.api.FatalError("runtime.SetFinalizer: pointer not in allocated block");
        }
        headerOf(obj, "SetFinalizer");
        if (fn == null) {
            finalizers.clear(obj);
            return;
        }
        if (!finalizers.set(obj, fn)) {
            throw new org.gort.api.FatalError("runtime.SetFinalizer: finalizer already set");
        }
        handOverBarrier(obj);
    }

    /** The finalizer table and queue. */
    public Finalizers finalizers() {
        return finalizers;
    }

    @Override
    public void startCycle() {
        finalizers.startCycle();
        AllocationSampler s = sampler;
        if (s != null) {
            s.cycleStarted();
        }
    }

    @Override
    public RootSet finalizerRoots() {
        return finalizers;
    }

    @Override
    public void queueFinalizers() {
        finalizers.queueUnreachable(markBits); // marks what a finalizer keeps, before the profile looks
        AllocationSampler s = sampler;
        if (s != null) {
            s.sweeping(markBits::isMarked);
        }
    }

    /**
     * {@code runtime.KeepAlive(obj)}: the point of the last use of {@code obj}, made explicit.
     * Checks that {@code obj} still holds an object header (a freed object has lost it under
     * clobberfree or checkptr) and raises the error a use would.
     */
    public void keepAlive(long obj) {
        checkValue(obj, "KeepAlive");
    }

    @Override
    public Allocator allocator() {
        return allocator;
    }

    public String allocatorName() {
        return allocatorName;
    }

    /** The arena, for allocator-independent tests and diagnostics. */
    public HeapArena arena() {
        return arena;
    }

    @Override
    public int pointerSlots(long obj) {
        int h = RawMemory.getIntAcquire(word(obj, "pointerSlots"));
        int tid = ObjectLayout.typeId(h);
        int n = ObjectLayout.slots(h);
        if (n != ObjectLayout.SLOTS_ELSEWHERE) {
            return ObjectLayout.registeredTypeId(tid) ? n : 0;
        }
        if (tid == POINTERS_ID) {
            return RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "length"));
        }
        if (tid == BYTES_ID) {
            return 0;
        }
        Type t = Type.byId(tid);
        return t == null ? 0 : t.pointerSlots();
    }

    @Override
    public long pointerAt(long obj, int slot) {
        return ObjectLayout.decompress(RawMemory.getIntAcquire(
                word(obj + ObjectLayout.SLOTS_OFFSET + (long) ObjectLayout.SLOT_BYTES * slot, "pointerAt")));
    }

    @Override
    public long objectSize(long obj) {
        int h = RawMemory.getIntAcquire(word(obj, "objectSize"));
        int tid = ObjectLayout.typeId(h);
        if (tid == BYTES_ID) {
            return ObjectLayout.byteArraySize(RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "length")));
        }
        if (tid == POINTERS_ID) {
            return ObjectLayout.pointerArraySize(RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "length")));
        }
        Type t = Type.byId(tid);
        return t == null ? 0 : t.size();
    }

    /** One header read for both (a marker greys and scans every object with them). */
    @Override
    public long sizeAndSlots(long obj) {
        int h = RawMemory.getIntAcquire(word(obj, "sizeAndSlots"));
        int tid = ObjectLayout.typeId(h);
        int slots = ObjectLayout.slots(h);
        if (slots != 0 && slots != ObjectLayout.SLOTS_ELSEWHERE && ObjectLayout.registeredTypeId(tid)) {
            // A scan struct: its size is the word after the header.
            return (long) RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "sizeAndSlots")) << 32 | slots;
        }
        long size;
        if (tid == POINTERS_ID) {
            slots = RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "length"));
            size = ObjectLayout.pointerArraySize(slots);
        } else if (tid == BYTES_ID) {
            slots = 0;
            size = ObjectLayout.byteArraySize(RawMemory.getInt(word(obj + ObjectLayout.LENGTH_OFFSET, "length")));
        } else {
            Type t = Type.byId(tid);
            if (t == null) {
                return 0;
            }
            slots = t.pointerSlots();
            size = t.size();
        }
        return size < 1L << 31 ? size << 32 | slots : -1;
    }

    @Override
    public String typeName(long obj) {
        if (obj < PAGE || obj > limit - 4) {
            return "?";
        }
        int h = RawMemory.getIntAcquire(origin + obj);
        Type t = ObjectLayout.isHeader(h) ? Type.byId(ObjectLayout.typeId(h)) : null;
        return t == null ? "?" : t.name();
    }

    /** True if a header of a registered type sits at {@code addr} (no exception, for diagnostics). */
    public boolean looksLikeObject(long addr) {
        if (Long.compareUnsigned(addr - PAGE, limit - PAGE) >= 0 || (addr & 3) != 0) {
            return false;
        }
        int h = RawMemory.getIntAcquire(origin + addr);
        return ObjectLayout.isHeader(h) && Type.byId(ObjectLayout.typeId(h)) != null;
    }

    @Override
    public void forEachObject(LongConsumer action) {
        allocator.forEachAllocated((addr, size, tiny) -> {
            if (!tiny) {
                if (looksLikeObject(addr)) {
                    action.accept(addr);
                }
                return;
            }
            // A tiny block packs objects from its start; unused words are zero, so skip them.
            long off = 0;
            while (off + ObjectLayout.HEADER_BYTES <= size) {
                long a = addr + off;
                if (looksLikeObject(a)) {
                    action.accept(a);
                    off += ObjectLayout.align(objectSize(a), 4);
                } else {
                    off += 4;
                }
            }
        });
    }

    @Override
    public boolean writeBarrierEnabled() {
        return writeBarrierEnabled;
    }

    @Override
    public void setWriteBarrierEnabled(boolean enabled) {
        writeBarrierEnabled = enabled;
    }

    @Override
    public void setWriteBarrier(WriteBarrier barrier) {
        writeBarrier = barrier;
        barrierAfterStore = barrier != null && barrier.runsAfterStore();
    }

    @Override
    public void setAllocationHook(AllocationHook hook) {
        allocationHook = hook;
    }

    @Override
    public void setAllocationFailureHook(AllocationFailureHook hook) {
        allocationFailureHook = hook;
    }

    @Override
    public long maxHeapBytes() {
        return options.maxHeapBytes();
    }

    @Override
    public long committedBytes() {
        return arena.committedEnd();
    }

    public Options options() {
        return options;
    }

    public AllocStats stats() {
        return allocator.stats();
    }

    /** Adds the allocator's counters to a run's metrics under {@code alloc.*}. */
    public void reportMetrics(Metrics m) {
        AllocStats s = allocator.stats();
        m.put("alloc.objects", s.objectsAllocated());
        m.put("alloc.tiny", s.tinyAllocs());
        m.put("alloc.frees", s.blocksFreed());
        m.put("alloc.bytes", s.bytesAllocated());
        m.put("alloc.bytes.requested", s.bytesRequested());
        m.put("alloc.bytes.freed", s.bytesFreed());
        m.put("alloc.bytes.inuse", s.bytesInUse());
        m.put("alloc.bytes.spans", s.bytesInSpans());
        m.put("alloc.bytes.committed", s.bytesCommitted());
        m.put("alloc.bytes.waste", s.internalWaste());
        m.put("alloc.arenas", s.arenasCommitted());
        m.put("alloc.growths", s.heapGrowths());
        m.put("alloc.refills", s.cacheRefills());
        m.put("alloc.per.lock", s.allocationsPerLock());
        for (LockStats l : s.locks()) {
            m.put("alloc.lock." + l.name() + ".acquisitions", l.acquisitions());
            m.put("alloc.lock." + l.name() + ".contended", l.contended());
            m.put("alloc.lock." + l.name() + ".wait.ns", l.waitNanos());
        }
        for (SizeClassStats c : s.sizeClasses()) {
            if (c.allocs() > 0) {
                m.put("alloc.class." + c.sizeClass() + ".allocs", c.allocs());
                m.put("alloc.class." + c.sizeClass() + ".waste", c.internalWaste());
            }
        }
    }

    /**
     * Releases the reservation. Only when no other thread can still use the heap (a run's Ms
     * have all been joined): accesses are not fenced against the unmapping (see
     * {@link RawMemory}). Any later access by the closing thread fails its address check.
     */
    @Override
    public void close() {
        limit = PAGE;
        try {
            allocator.close();
        } finally {
            owner.close();
        }
    }

    /**
     * Ends the heap while a thread may still be using it (an M stranded in a loop with no
     * safepoint): its memory is released to the operating system but stays mapped, reading as
     * zeros, for as long as the JVM runs, so a late access fails its check or touches a fresh
     * zero page, never an unmapped one.
     */
    public void abandon() {
        limit = PAGE;
        try {
            allocator.close();
        } finally {
            arena.release(0, arena.committedEnd());
            markBits.release();
        }
    }
}
