package org.gort.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's {@code sched.nmspinning} and the {@code m.spinning} flags it counts.
 *
 * <p>The count is the number of Ms whose flag is set, plus {@code wakep}'s claims not handed
 * to an M yet: {@link #tryStart} counts a spinning M before there is one, and {@code startm}
 * sets the flag of the M it wakes without counting again (or the caller gives the claim back
 * with {@link #cancel}). {@code wakep} starts an M only while the count is zero, so the count
 * must never fall below the Ms that spin: one that read too low would start Ms for nothing,
 * and one below zero would keep every later {@code wakep} from starting an M at all (a
 * goroutine left runnable with every P idle).
 *
 * <p>Implementation notes. Unlike Go, where only an M flips its own flag, two threads may
 * clear one M's flag at once: the M itself, in findRunnable's tail after it put its P on the
 * idle list (which runs outside a stopped world: the stop counts an idle P as stopped), and a
 * scheduler swap ending the old strategy's spinning ({@link #stopAll}). So a flag flips by
 * CAS, and only the thread whose CAS flipped it moves the count: a flag is counted once and
 * discounted once. The count is never reset to zero: a reset between an M's flip and its
 * decrement would leave it at -1. The count moves on the safe side of each flip, up before a
 * flag is set and down after one is cleared, so at every instant it is at least the number of
 * flags set and never negative.
 */
final class SpinningMs {
    private final AtomicInteger count = new AtomicInteger();

    /** {@code sched.nmspinning}. */
    int get() {
        return count.get();
    }

    /** Sets or clears {@code m}'s flag, counting the change if this call made it. */
    void set(M m, boolean spinning) {
        if (m.spinning == spinning) {
            return;
        }
        if (spinning) {
            count.incrementAndGet();
            if (!m.casSpinning(false, true)) {
                count.decrementAndGet(); // set meanwhile, and counted by whoever set it
            }
        } else if (m.casSpinning(true, false)) {
            count.decrementAndGet();
        }
    }

    /** {@code wakep}'s claim: counts a spinning M about to be started, if none spins now. */
    boolean tryStart() {
        return count.get() == 0 && count.compareAndSet(0, 1);
    }

    /** Gives back a {@link #tryStart} claim no M took. */
    void cancel() {
        count.decrementAndGet();
    }

    /** A scheduler swap: every M in {@code ms} stops spinning, each with the count it carries. */
    void stopAll(Iterable<M> ms) {
        for (M m : ms) {
            set(m, false);
        }
    }
}
