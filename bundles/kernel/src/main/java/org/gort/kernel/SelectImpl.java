package org.gort.kernel;

import java.util.random.RandomGenerator;
import org.gort.api.GoPanic;

/*
 * select, after Go's runtime/select.go (selectgo).
 *
 *  1. Shuffle the cases into a random poll order (uniform choice among ready cases) and sort
 *     the distinct channels into a lock order (by channel id; Go uses addresses) so that two
 *     selects over the same channels cannot deadlock on their locks.
 *  2. Lock every channel; in poll order, take the first case that can proceed now: a send
 *     with a waiting receiver or buffer room (or a closed channel: panic), a receive with a
 *     waiting sender, a buffered value, or a closed channel.
 *  3. None ready: with a default, unlock and take it. Without one, enqueue one sudog per case
 *     (isSelect), park with "unlock all" as unlockf. The first waker to win the G's
 *     selectDone CAS (in WaitQ.dequeue) completes that case and sets g.param to its sudog.
 *  4. Woken: lock all again, dequeue the sudogs of the cases that did not fire, unlock.
 *
 * A null channel is never ready, as in Go (a nil channel blocks for ever).
 *
 * Pointer channels: before its first safepoint a select pushes one root-stack frame with a
 * slot per case, holding each pointer send's value; a pointer case's sudog uses its case's
 * slot, as a plain send or receive uses its own (see HChan).
 */
final class SelectImpl {
    private SelectImpl() {
    }

    /** A case: {@code send} true for a send of {@code value} on {@code c}, else a receive from {@code c}. */
    record Case(HChan<?> c, boolean send, Object value) {
    }

    static Selects.Result select(Case[] cases, boolean hasDefault) {
        G g = Current.g();
        int frame = rootPointerCases(g, cases);
        try {
            return select(g, cases, hasDefault, frame);
        } finally {
            if (frame >= 0) {
                g.roots.pop(frame);
            }
        }
    }

    /**
     * If any case is on a pointer channel, pushes a frame of one root slot per case, with each
     * pointer send's value in its slot, and returns its base; else -1.
     */
    private static int rootPointerCases(G g, Case[] cases) {
        int frame = -1;
        for (int i = 0; i < cases.length; i++) {
            HChan<?> c = cases[i].c();
            if (c != null && c.pointers) {
                if (frame < 0) {
                    frame = g.roots.push(cases.length);
                }
                if (cases[i].send()) {
                    Long v = (Long) cases[i].value();
                    if (v == null) {
                        throw new NullPointerException("send of null on a pointer channel: send 0 for nil");
                    }
                    g.rt.heap().checkSentValue(v);
                    g.roots.set(frame + i, v);
                }
            }
        }
        return frame;
    }

    private static Selects.Result select(G g, Case[] cases, boolean hasDefault, int frame) {
        RuntimeInstance rt = g.rt;
        rt.safepoint(g);
        int n = cases.length;
        int[] pollorder = pollOrder(n, g.m.random());
        HChan<?>[] lockorder = lockOrder(cases);
        if (lockorder.length == 0 && !hasDefault) {
            rt.gopark(g, "select (no cases)", null);
            throw new IllegalStateException("a select with no cases was woken");
        }
        lockAll(lockorder);

        // Pass 1: look for a case that can proceed now.
        for (int i : pollorder) {
            Case k = cases[i];
            HChan<?> c = k.c();
            if (c == null) {
                continue;
            }
            if (k.send()) {
                if (c.closed) {
                    unlockAll(lockorder);
                    throw new GoPanic("send on closed channel");
                }
                Sudog r = c.recvq.dequeue();
                if (r != null) {
                    unlockAllExcept(lockorder, c);
                    c.completeSend(r, k.value(), g);
                    return new Selects.Result(i, null, true);
                }
                if (c.canSendNow()) {
                    c.bufPut(k.value());
                    unlockAll(lockorder);
                    return new Selects.Result(i, null, true);
                }
            } else {
                Sudog s = c.sendq.dequeue();
                if (s != null) {
                    unlockAllExcept(lockorder, c);
                    Object v = c.completeRecv(s, g);
                    return new Selects.Result(i, v, true);
                }
                if (c.canRecvFromBuffer()) {
                    Object v = c.bufTake();
                    unlockAll(lockorder);
                    return new Selects.Result(i, v, true);
                }
                if (c.closed) {
                    unlockAll(lockorder);
                    return new Selects.Result(i, c.zero(), false);
                }
            }
        }
        if (hasDefault) {
            unlockAll(lockorder);
            return new Selects.Result(-1, null, false);
        }

        // Pass 2: enqueue on every channel and park.
        g.resetSelect();
        g.param = null;
        Sudog[] sgs = new Sudog[n];
        for (int i = 0; i < n; i++) {
            Case k = cases[i];
            if (k.c() == null) {
                continue;
            }
            int slot = k.c().pointers ? frame + i : -1;
            Sudog sg = new Sudog(g, k.c(), k.send() && slot < 0 ? k.value() : null, true, i, slot);
            sgs[i] = sg;
            (k.send() ? k.c().sendq : k.c().recvq).enqueue(sg);
        }
        rt.gopark(g, "select", () -> unlockAll(lockorder));

        // Pass 3: woken by one case; withdraw from the others.
        Sudog fired = (Sudog) g.param;
        g.param = null;
        lockAll(lockorder);
        for (Sudog sg : sgs) {
            if (sg != null && sg != fired) {
                (cases[sg.caseIndex].send() ? sg.c.sendq : sg.c.recvq).remove(sg);
            }
        }
        unlockAll(lockorder);
        if (fired == null) {
            throw new IllegalStateException("select woken without a case");
        }
        Case k = cases[fired.caseIndex];
        if (k.send()) {
            if (!fired.success) {
                throw new GoPanic("send on closed channel");
            }
            return new Selects.Result(fired.caseIndex, null, true);
        }
        if (fired.rootSlot >= 0) {
            return new Selects.Result(fired.caseIndex, g.roots.get(fired.rootSlot), fired.success);
        }
        return new Selects.Result(fired.caseIndex, fired.elem, fired.success);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates with the M's generator, as Go's cheaprandn). */
    private static int[] pollOrder(int n, RandomGenerator rnd) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = rnd.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        return order;
    }

    private static HChan<?>[] lockOrder(Case[] cases) {
        return java.util.Arrays.stream(cases)
                .map(Case::c)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .sorted(java.util.Comparator.comparingLong(c -> c.id))
                .toArray(HChan<?>[]::new);
    }

    private static void lockAll(HChan<?>[] order) {
        for (HChan<?> c : order) {
            c.lock.lock();
        }
    }

    private static void unlockAll(HChan<?>[] order) {
        for (int i = order.length - 1; i >= 0; i--) {
            order[i].lock.unlock();
        }
    }

    /** Unlocks all but {@code keep}, whose completion releases it. */
    private static void unlockAllExcept(HChan<?>[] order, HChan<?> keep) {
        for (int i = order.length - 1; i >= 0; i--) {
            if (order[i] != keep) {
                order[i].lock.unlock();
            }
        }
    }
}
