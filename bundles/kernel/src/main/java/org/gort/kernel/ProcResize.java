package org.gort.kernel;

import java.util.Arrays;
import org.gort.api.RuntimeConfig;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.sched.ProcStatus;

/*
 * Changing GOMAXPROCS while the program runs (Go's runtime.GOMAXPROCS → procresize, under
 * stopTheWorldGC).
 *
 *     stop the world; if a GC cycle is marking, restart it and try again a little later (Go's
 *         stopTheWorldGC waits for the cycle: per-P mark buffers must not lose a P mid-cycle)
 *     drain the scheduler strategy (as a hot swap does), then, with its Gs in hand:
 *         Ps destroyed (ids >= n): their allocator caches and free goroutine slots are
 *             flushed (Go's freemcache, gfpurge);
 *             each stays stopped and ownerless; an M blocked at a safepoint on one drops it
 *             when the world restarts (StopTheWorld.stopAtSafepoint), and the goroutine it
 *             was running goes back to the scheduler (MLoop.losePAfterResize)
 *         Ps added (ids old..n-1): made stopped and ownerless; startTheWorld idles them
 *         allp = procs[0..n), gomaxprocs = n
 *     a fresh instance of the same strategy is created on the new Ps and every drained G is
 *         re-readied on it (so any strategy, whatever per-P state it keeps, gets the new Ps:
 *         the default that works for a third-party scheduler too)
 *     start the world: idle Ps, old and new, get Ms if there is work
 *
 * A run's P structures, and the allocator's and collector's per-P slots, are made for
 * maxprocs Ps at its start (the configured GOMAXPROCS, or the machine's cores if more, or the
 * `maxprocs` property if more still); GOMAXPROCS moves between 1 and maxprocs, and a larger
 * request is capped, as Go caps at _MaxGomaxprocs.
 *
 * Implementation notes. Everything is done with the world stopped, under the swap's gate for
 * readies from outside any P, so no G can be queued on a P being destroyed. A destroyed P is
 * left in GCSTOP: the M of a syscall that held it fails its CAS out of SYSCALL and takes the
 * no-P path, as after a retake. If the requester's own P is destroyed it leaves it before the
 * restart and gives its M up right after. A P re-added by a grow may still be held by an M that
 * a stop woke after an earlier shrink: that M drops it under idleLock when it sees its id at or
 * above gomaxprocs, so the grow reads each added P's holder and publishes the new size in one
 * idleLock section, and the P is restarted either with that M or ownerless, never for an M
 * that has let it go.
 */
final class ProcResize {
    /** Go's {@code _MaxGomaxprocs}. */
    static final int MAX_GOMAXPROCS = 1024;
    private static final long GC_RETRY_NANOS = 200_000;

    private final RuntimeInstance rt;

    ProcResize(RuntimeInstance rt) {
        this.rt = rt;
    }

    /** How many Ps a run built from {@code config} can have at most. */
    static int capacity(RuntimeConfig config) {
        int cap = Math.max(config.gomaxprocs(), java.lang.Runtime.getRuntime().availableProcessors());
        String p = config.properties().get("maxprocs");
        if (p != null) {
            try {
                cap = Math.max(cap, Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("property maxprocs must be a whole number, got '" + p + "'");
            }
        }
        return Math.min(cap, MAX_GOMAXPROCS);
    }

    /**
     * {@code runtime.GOMAXPROCS(n)}: sets the number of Ps to {@code n} (capped at maxprocs) and
     * returns the previous setting; {@code n < 1} only reads it. From a goroutine or any thread.
     */
    int gomaxprocs(int n) {
        int prev = rt.gomaxprocs;
        if (n < 1) {
            return prev;
        }
        n = Math.min(n, rt.maxprocs);
        if (n == prev) {
            return prev;
        }
        StwToken t;
        for (;;) {
            t = rt.world.stop("GOMAXPROCS");
            if (rt.shuttingDown || !rt.gcHooks.marking()) {
                break;
            }
            rt.world.start(t); // a cycle is marking: let it finish
            G g = Current.gOrNull();
            if (g != null) {
                Kernel.sleep(GC_RETRY_NANOS);
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(GC_RETRY_NANOS);
            }
        }
        if (rt.shuttingDown) {
            rt.world.start(t);
            return prev;
        }
        int target = n;
        prev = rt.gomaxprocs;
        rt.swaps.recreate(() -> resize(target));
        M self = Current.m();
        P dropped = null;
        if (self != null && self.rt == rt && self.p != null && self.p.id >= target) {
            dropped = self.p; // the requester's own P is gone: it leaves it now
            rt.idleLock.lock();
            try {
                dropped.m = null;
                self.p = null;
            } finally {
                rt.idleLock.unlock();
            }
        }
        rt.world.start(t);
        G g = Current.gOrNull();
        if (dropped != null && g != null) {
            rt.mloop.losePAfterResize(g);
        }
        return prev;
    }

    /** {@code procresize}, world stopped, scheduler drained. */
    private void resize(int n) {
        P[] old = rt.allp;
        ManagedHeap heap = rt.gcHooks.heapIfMade();
        for (int id = n; id < old.length; id++) {
            // A G held at a safepoint on a destroyed P leaves it when the world restarts, and is
            // made runnable by its M as after a syscall without a P: counted as in a syscall
            // until then, so the deadlock check sees that a G will become runnable.
            for (M m : rt.allm) {
                if (m.p == old[id] && (m.curg != null || m.runLocked)) { // runLocked: see MLoop.stoplockedm
                    rt.nsyscall.incrementAndGet();
                }
            }
            if (heap != null) {
                heap.allocator().releaseCache(id); // freemcache: its spans go back to the central lists
            }
            rt.allgs.flush(old[id].gfree); // gfpurge: its free goroutine slots go back to the shared list
        }
        // Under idleLock, in one section with the publication of the new size: an M that woke
        // from an earlier stop still holding a P destroyed then drops it under idleLock when it
        // sees the P's id at or above gomaxprocs (StopTheWorld.stopAtSafepoint). Were the holder
        // read outside the lock, that M could drop the P between the read and the store below,
        // and the P would come back RUNNING, owned by an M that no longer has it: the next stop
        // would wait for it for ever.
        rt.idleLock.lock();
        try {
            for (int id = old.length; id < n; id++) {
                P p = rt.procs[id];
                // Destroyed by an earlier resize, p may still be held by an M that has not woken
                // to drop it since: that M keeps it (startTheWorld restarts it with its M); else
                // it is ownerless and startTheWorld idles it.
                M holder = null;
                for (M m : rt.allm) {
                    if (m.p == p) {
                        holder = m;
                    }
                }
                p.m = holder;
                if (holder != null && (holder.curg != null || holder.runLocked)) {
                    rt.nsyscall.decrementAndGet(); // counted when p was destroyed; it will not leave now
                }
                p.setStatus(ProcStatus.GCSTOP);
            }
            rt.allp = Arrays.copyOf(rt.procs, n);
            rt.gomaxprocs = n;
        } finally {
            rt.idleLock.unlock();
        }
        rt.peakprocs = Math.max(rt.peakprocs, n);
        rt.counters.procresizes.increment();
    }
}
