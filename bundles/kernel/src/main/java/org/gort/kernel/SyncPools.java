package org.gort.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/*
 * sync.Pool, after Go 1.13's sync/pool.go.
 *
 * A pool keeps one poolLocal per P: a private slot that only the goroutine running on that P
 * touches, and a shared deque the owner pushes and pops at the head and other Ps steal from at
 * the tail. Get tries its P's private slot, then its shared head, then steals from the other
 * Ps, then looks in the victim cache; only then does it call New. Put fills the private slot,
 * else pushes onto the shared head.
 *
 * Pinning (Go's runtime_procPin): a goroutine keeps its P between two safepoints, so Get and
 * Put, which pass none between reading the P's id and finishing with its poolLocal, use the
 * private slot without a lock, as Go does with preemption disabled.
 *
 * The victim cache: at the start of every GC cycle, with the world stopped (Go's clearpools
 * in gcStart), each pool's locals become its victim and the previous victims are dropped. An
 * object put into a pool therefore survives one cycle in the victim cache and is dropped at
 * the second, unless a Get takes it first: a pool smooths allocation bursts without keeping
 * its contents alive for ever. Pools register with their runtime when they first get locals
 * (pinSlow), and every cleanup unregisters them, as Go's allPools/oldPools do.
 *
 * Pools hold Java objects, not managed-heap addresses: a value keeps no heap object alive.
 */
public final class SyncPools {
    private final SpinLock lock = new SpinLock();
    // guarded by lock
    private List<Pool> allPools = new ArrayList<>();
    private List<Pool> oldPools = new ArrayList<>();

    SyncPools() {
    }

    /** {@code poolCleanup}: world stopped, as a GC cycle starts. */
    void cleanup() {
        lock.lock();
        try {
            for (Pool p : oldPools) {
                p.victim = null;
            }
            for (Pool p : allPools) {
                p.victim = p.local;
                p.local = null;
            }
            oldPools = allPools;
            allPools = new ArrayList<>();
        } finally {
            lock.unlock();
        }
    }

    /** One P's part of a pool. */
    private static final class Local {
        /** Only the goroutine running on this P uses it. */
        volatile Object priv;
        final ConcurrentLinkedDeque<Object> shared = new ConcurrentLinkedDeque<>();
    }

    /** A {@code sync.Pool}. */
    public static final class Pool {
        private final Supplier<?> newFn;
        volatile Local[] local;
        volatile Local[] victim;

        public Pool(Supplier<?> newFn) {
            this.newFn = newFn;
        }

        public Object get() {
            G g = Current.g();
            g.rt.safepoint(g);
            int pid = g.m.p.id;
            Local[] ls = pin(g, pid);
            Local l = ls[pid];
            Object x = l.priv;
            l.priv = null;
            if (x == null) {
                x = l.shared.pollFirst();
                if (x == null) {
                    x = getSlow(ls, pid);
                }
            }
            if (x == null && newFn != null) {
                x = newFn.get();
            }
            return x;
        }

        private Object getSlow(Local[] ls, int pid) {
            int size = ls.length;
            for (int i = 0; i < size; i++) { // steal from the other Ps
                Object x = ls[(pid + i + 1) % size].shared.pollLast();
                if (x != null) {
                    return x;
                }
            }
            Local[] vs = victim;
            if (vs == null || pid >= vs.length) {
                return null;
            }
            Local v = vs[pid];
            Object x = v.priv;
            if (x != null) {
                v.priv = null;
                return x;
            }
            for (int i = 0; i < vs.length; i++) {
                x = vs[(pid + i) % vs.length].shared.pollLast();
                if (x != null) {
                    return x;
                }
            }
            victim = null; // empty: later Gets need not look
            return null;
        }

        public void put(Object x) {
            if (x == null) {
                return;
            }
            G g = Current.g();
            g.rt.safepoint(g);
            int pid = g.m.p.id;
            Local l = pin(g, pid)[pid];
            if (l.priv == null) {
                l.priv = x;
            } else {
                l.shared.addFirst(x);
            }
        }

        /** This pool's locals, made (and the pool registered) if a cleanup dropped them or GOMAXPROCS grew. */
        private Local[] pin(G g, int pid) {
            Local[] ls = local;
            if (ls != null && pid < ls.length) {
                return ls;
            }
            return pinSlow(g.rt, pid);
        }

        private Local[] pinSlow(RuntimeInstance rt, int pid) {
            SyncPools reg = rt.pools;
            reg.lock.lock();
            try {
                Local[] ls = local;
                if (ls != null && pid < ls.length) {
                    return ls;
                }
                if (ls == null) {
                    reg.allPools.add(this);
                }
                int size = Math.max(rt.allp.length, pid + 1);
                Local[] fresh = new Local[size];
                for (int i = 0; i < size; i++) {
                    fresh[i] = new Local();
                }
                local = fresh;
                return fresh;
            } finally {
                reg.lock.unlock();
            }
        }
    }
}
