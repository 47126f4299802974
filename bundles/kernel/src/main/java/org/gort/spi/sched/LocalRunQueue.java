package org.gort.spi.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Go's per-P local run queue ({@code p.runqhead}, {@code p.runqtail}, {@code p.runq[256]},
 * {@code p.runnext}, {@code runtime/proc.go}), with Go's algorithms, for any scheduler strategy
 * that keeps per-P queues.
 *
 * <h2>Design</h2>
 * A 256-slot ring indexed by two free-running 32-bit counters: the Gs in the queue are the
 * slots {@code [head, tail)} (mod 256). Only the owner P writes {@code tail} and the ring slots
 * past it; every consumer (the owner in {@link #get}, a thief in {@link #steal}) removes Gs by
 * a compare-and-set on {@code head}. Beside the ring sits {@code runnext}: a G readied by the
 * running G runs next and inherits the rest of its time slice. The owner sets it; anyone may
 * take it by CAS (the owner in {@code runqget}, a thief on its last try).
 * <ul>
 *   <li>{@link #put} ({@code runqput}): with {@code next}, the G goes to runnext and the old
 *       runnext is kicked to the tail. A full ring moves half of itself (128 Gs) plus the new G
 *       to the global queue in one batch under one lock acquisition ({@code runqputslow}).</li>
 *   <li>{@link #get} ({@code runqget}): runnext first, then the head of the ring.</li>
 *   <li>{@link #steal} ({@code runqsteal} over {@code runqgrab}): take half of the victim's ring,
 *       rounded up, straight into the thief's own ring; the victim's runnext only when asked,
 *       and only after a ~3 µs pause when the victim is running, so that a P that just readied
 *       a G and is about to block gets the chance to run it itself.</li>
 * </ul>
 * Invariants: {@code 0 <= tail - head <= 256} (as unsigned 32-bit differences); every G ever
 * put is removed exactly once, by one successful CAS on {@code head} or on {@code runnext}.
 *
 * <h2>Implementation notes</h2>
 * <ul>
 *   <li>Memory ordering is Go's: the owner publishes a slot by a store-release of {@code tail}
 *       ({@code atomic.StoreRel}); consumers load {@code head} and {@code tail} with acquire
 *       ({@code atomic.LoadAcq}) and commit with a CAS on {@code head} ({@code atomic.CasRel};
 *       Java's CAS is stronger, which is harmless). Slots themselves are read and written
 *       plainly: a consumer's slot read may race with the owner reusing the slot, but the owner
 *       only reuses slot {@code i+256} after it has seen {@code head > i}, so a consumer that
 *       read a reused slot always fails its CAS and retries. The racy read is therefore never
 *       used (ABA would need 2^32 puts between a thief's load and its CAS, as in Go).</li>
 *   <li>{@code head} and {@code tail} wrap like Go's {@code uint32}; {@code t - h} in Java's
 *       two's-complement {@code int} gives the same result. Slot index is {@code i & 255}.</li>
 *   <li>Consumed slots keep their reference until overwritten (as in Go): clearing them would
 *       race with the owner reusing the slot.</li>
 *   <li>{@link #steal} writes the grabbed Gs into the thief's ring past its tail, where no
 *       consumer looks, and publishes them with one store-release of the thief's tail.</li>
 *   <li>runnext is read with a volatile load and changed only by CAS: the owner may set it to a
 *       G, anyone may set it to null. A failed owner CAS on take means a thief took it.</li>
 *   <li>A caller that puts a G and then decides whether to wake an idle M must fence between the
 *       two (proc.go's "#StoreLoad-style memory barrier" in its spinning protocol); the
 *       store-release of {@code tail} alone does not order a later load.</li>
 * </ul>
 */
public final class LocalRunQueue extends CacheLinePadding {
    /** {@code len(p.runq)}. */
    public static final int CAPACITY = 256;
    private static final int MASK = CAPACITY - 1;
    /** The pause before stealing a running P's runnext (Go's {@code usleep(3)}). */
    private static final long RUNNEXT_STEAL_PAUSE_NANOS = 3_000;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle RUNNEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(LocalRunQueue.class, "head", int.class);
            TAIL = l.findVarHandle(LocalRunQueue.class, "tail", int.class);
            RUNNEXT = l.findVarHandle(LocalRunQueue.class, "runnext", Goroutine.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Proc owner;
    private final Goroutine[] ring = new Goroutine[CAPACITY];
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile int head;
    @SuppressWarnings("unused") // accessed through TAIL; only the owner writes it
    private volatile int tail;
    @SuppressWarnings("unused") // accessed through RUNNEXT
    private volatile Goroutine runnext;
    /** Owner-only: how many Gs the last successful {@link #steal} took, for steal counters. */
    private int lastStealSize;

    /**
     * @param owner the P that owns this queue; thieves read its status to decide whether to
     *              pause before taking its runnext. May be null (then thieves always pause).
     */
    public LocalRunQueue(Proc owner) {
        this.owner = owner;
    }

    /**
     * {@code runqput}: put {@code g} on this queue. Owner only. With {@code next}, {@code g}
     * goes to runnext and the old runnext, if any, goes to the tail. If the ring is full,
     * {@code runqputslow} moves half of it plus the G to {@code global}.
     *
     * @return true if the ring was full and Gs went to the global queue
     */
    public boolean put(Goroutine g, boolean next, GlobalRunQueue global) {
        if (next) {
            Goroutine old;
            do {
                old = (Goroutine) RUNNEXT.getVolatile(this);
            } while (!RUNNEXT.compareAndSet(this, old, g));
            if (old == null) {
                return false;
            }
            g = old; // kick the old runnext out to the regular run queue
        }
        while (true) {
            int h = (int) HEAD.getAcquire(this); // synchronise with consumers
            int t = (int) TAIL.get(this);        // only the owner writes tail
            if (t - h < CAPACITY) {
                ring[t & MASK] = g;
                TAIL.setRelease(this, t + 1);    // makes the slot available for consumption
                return false;
            }
            if (putSlow(g, h, t, global)) {
                return true;
            }
            // consumers moved head: the ring is no longer full, so the put above now succeeds
        }
    }

    /**
     * {@code runqputslow}: move {@code g} and the older half of the full ring to the global
     * queue in one batch. Fails if a consumer moved {@code head} meanwhile.
     */
    private boolean putSlow(Goroutine g, int h, int t, GlobalRunQueue global) {
        int n = (t - h) / 2;
        if (n != CAPACITY / 2) {
            throw new IllegalStateException("runqputslow: queue is not full (" + (t - h) + " of " + CAPACITY + ")");
        }
        Goroutine[] batch = new Goroutine[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = ring[(h + i) & MASK];
        }
        if (!HEAD.compareAndSet(this, h, h + n)) { // commits the consume
            return false;
        }
        batch[n] = g;
        for (int i = 0; i < n; i++) { // link the batch before taking the lock, as Go does
            batch[i].setSchedLink(batch[i + 1]);
        }
        MeteredLock lock = global.lock();
        lock.lock();
        try {
            global.putBatchLocked(batch[0], batch[n], n + 1); // globrunqputbatch
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * {@code runqget}: runnext if set, else the head of the ring, else null. Meant for the owner;
     * it only consumes by CAS, so a stopped-world drain may call it from another thread.
     */
    public Goroutine get() {
        Goroutine g = takeRunnext();
        return g != null ? g : takeFromRing();
    }

    /**
     * The first half of {@code runqget}: take runnext (the G that inherits the current time
     * slice), or null. Meant for the owner.
     */
    public Goroutine takeRunnext() {
        Goroutine next = (Goroutine) RUNNEXT.getVolatile(this);
        // Only the owner sets runnext to non-null, so a failed CAS means a thief took it: no retry.
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            return next;
        }
        return null;
    }

    /** The second half of {@code runqget}: take the head of the ring, or null. Meant for the owner. */
    public Goroutine takeFromRing() {
        while (true) {
            int h = (int) HEAD.getAcquire(this); // synchronise with other consumers
            int t = (int) TAIL.getAcquire(this); // acquire so that a drain from another thread sees the slots
            if (t == h) {
                return null;
            }
            Goroutine g = ring[h & MASK];
            if (HEAD.compareAndSet(this, h, h + 1)) {
                return g;
            }
        }
    }

    /**
     * {@code runqsteal}: steal half of {@code victim}'s ring (rounded up) into this queue and
     * return one of the stolen Gs, or null if there was nothing. Only the owner of this queue
     * may call it, and only when this ring has room for half a queue (Go steals only when the
     * local queue is empty). With {@code stealRunnext}, an empty victim ring falls back to the
     * victim's runnext.
     */
    public Goroutine steal(LocalRunQueue victim, boolean stealRunnext) {
        int t = (int) TAIL.get(this);
        int free = CAPACITY - (t - (int) HEAD.getAcquire(this));
        if (free < CAPACITY / 2) {
            throw new IllegalStateException("runqsteal: the stealing P holds " + (CAPACITY - free)
                    + " Gs; steal only when its local run queue is empty");
        }
        int n = victim.grab(ring, t, stealRunnext);
        if (n == 0) {
            return null;
        }
        lastStealSize = n;
        n--;
        Goroutine g = ring[(t + n) & MASK];
        if (n == 0) {
            return g;
        }
        TAIL.setRelease(this, t + n); // makes the stolen Gs available for consumption
        return g;
    }

    /** How many Gs the last successful {@link #steal} took (including the one it returned). Owner only. */
    public int lastStealSize() {
        return lastStealSize;
    }

    /**
     * {@code runqgrab}: move half of this ring (rounded up) into {@code batch} starting at
     * {@code batchHead} (mod its length), or this queue's runnext when the ring is empty and
     * {@code stealRunnext}. Returns how many Gs were taken. Any P may call it.
     */
    private int grab(Goroutine[] batch, int batchHead, boolean stealRunnext) {
        int batchMask = batch.length - 1;
        while (true) {
            int h = (int) HEAD.getAcquire(this); // synchronise with other consumers
            int t = (int) TAIL.getAcquire(this); // synchronise with the producer
            int n = t - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunnext) {
                    Goroutine next = (Goroutine) RUNNEXT.getVolatile(this);
                    if (next != null) {
                        if (owner == null || owner.status() == ProcStatus.RUNNING) {
                            // The owner may have just readied this G and be about to block; give it
                            // the chance to run it rather than thrash Gs between Ps. A channel
                            // operation takes ~50 ns, so 3 µs overshoots ~50x.
                            if (!pause(RUNNEXT_STEAL_PAUSE_NANOS)) {
                                return 0; // the world is stopping: take nothing
                            }
                        }
                        if (!RUNNEXT.compareAndSet(this, next, null)) {
                            continue;
                        }
                        batch[batchHead & batchMask] = next;
                        return 1;
                    }
                }
                return 0;
            }
            if (n > CAPACITY / 2) { // read an inconsistent h and t
                continue;
            }
            for (int i = 0; i < n; i++) {
                batch[(batchHead + i) & batchMask] = ring[(h + i) & MASK];
            }
            if (HEAD.compareAndSet(this, h, h + n)) { // commits the consume
                return n;
            }
        }
    }

    /**
     * Go's {@code usleep(3)}, which is a real sleep: on Linux a nanosleep of 3 µs returns after
     * the thread's timer slack (50 µs by default), so in practice the thief waits tens of
     * microseconds, long enough that the G it eyes is almost always run by its own P first. A
     * timed park sleeps the same way. (A 3 µs spin here made runnext steals, and with them Gs
     * thrashing between Ps, about ten times as frequent in a two-goroutine ping-pong.) The
     * owner's runtime sleeps the thief ({@link Proc#runnextStealPause}): a stop of the world
     * ends the pause, and false means the world is stopping.
     */
    private boolean pause(long nanos) {
        if (owner == null) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
            return true;
        }
        return owner.runnextStealPause(nanos);
    }

    /**
     * {@code runqempty}: true if neither the ring nor runnext holds a G. Any P may call it.
     * Re-reads tail so that a put kicking runnext to the ring while the owner takes runnext
     * cannot make a non-empty queue look empty.
     */
    public boolean isEmpty() {
        while (true) {
            int h = (int) HEAD.getVolatile(this);
            int t = (int) TAIL.getVolatile(this);
            Goroutine next = (Goroutine) RUNNEXT.getVolatile(this);
            if (t == (int) TAIL.getVolatile(this)) {
                return h == t && next == null;
            }
        }
    }

    /**
     * Number of Gs in the ring, not counting runnext ({@code runqtail - runqhead}, as Go's
     * {@code schedtrace} prints it). A snapshot; any P may call it.
     */
    public int size() {
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int t = (int) TAIL.getAcquire(this);
            if (h == (int) HEAD.getAcquire(this)) {
                return Math.max(0, Math.min(CAPACITY, t - h));
            }
        }
    }

    /** True if runnext holds a G. A snapshot; any P may call it. */
    public boolean hasRunnext() {
        return RUNNEXT.getVolatile(this) != null;
    }

    /**
     * {@code runqdrain}: remove every G, runnext first and then the ring in order, appending them
     * to {@code out}. Returns how many were removed. Meant for a stopped world (a hot swap), but
     * safe against concurrent thieves.
     */
    public int drainTo(List<Goroutine> out) {
        int count = 0;
        for (Goroutine g; (g = get()) != null; ) {
            out.add(g);
            count++;
        }
        return count;
    }
}
