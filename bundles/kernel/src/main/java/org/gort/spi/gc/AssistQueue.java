package org.gort.spi.gc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/*
 * Go's work.assistQueue (mgcmark.go: gcParkAssist, gcFlushBgCredit, gcWakeAllAssists).
 *
 * An allocating goroutine whose scan-work debt neither the background workers' banked credit
 * nor its own marking could pay (every grey object is in another drainer's hands) waits here
 * instead of allocating on: that is what keeps a concurrent cycle's heap near its goal when
 * the mutator outruns the markers. It carries its debt with it (the P's account starts again
 * from zero, as Go's debt belongs to the goroutine), and is woken when
 *   - background marking flushes credit: queued assists are paid first, in order, before any
 *     credit reaches the pool; one that can only be paid in part goes to the back of the queue,
 *     so that a large debt does not hold small ones up; or
 *   - marking ends, whatever it still owes: just after mark termination's pause (Go wakes
 *     them inside it; a creation burst can leave tens of thousands parked here).
 *
 * Implementation notes. The queue and the debts in it are guarded by this object's lock;
 * the `parked` flag lets background workers skip the lock while nobody waits. A goroutine
 * parks only after re-checking, under the lock, that marking still runs and that the pool has
 * no credit (gcParkAssist's two re-checks): a flush that added credit before the goroutine
 * queued itself is then seen, one that comes after finds it in the queue. A flush that read
 * `parked` as false just before the goroutine queued adds its credit to the pool without
 * waking it, as in Go; the next flush or mark termination does. Waking happens outside the
 * lock; a Note woken before its goroutine sleeps makes the sleep return at once.
 */
final class AssistQueue {
    private static final class Waiter {
        long debt;
        final GcRuntime.Note note;

        Waiter(long debt, GcRuntime.Note note) {
            this.debt = debt;
            this.note = note;
        }
    }

    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private volatile boolean parked;
    private long parks;

    /** True if some goroutine waits: background drainers must flush their credit through {@link #pay}. */
    boolean anyParked() {
        return parked;
    }

    /**
     * {@code gcParkAssist}: parks the calling goroutine until its {@code debt} (scan work) is
     * paid or marking ends. Returns false without parking if the pool has credit now (the
     * caller retries its assist), true once it has slept, or if marking had already ended.
     */
    boolean park(long debt, Marking marking, GcRuntime rt) {
        return park(debt, () -> marking.blackening() && !rt.shuttingDown(), marking::backgroundCreditAvailable,
                () -> rt.newNote("GC assist wait"));
    }

    /** {@link #park(long, Marking, GcRuntime)} with its three questions answered by the caller. */
    boolean park(long debt, BooleanSupplier marking, BooleanSupplier creditAvailable, Supplier<GcRuntime.Note> newNote) {
        Waiter w;
        synchronized (this) {
            if (!marking.getAsBoolean()) {
                return true;
            }
            if (creditAvailable.getAsBoolean()) {
                return false;
            }
            w = new Waiter(debt, newNote.get());
            queue.addLast(w);
            parked = true;
            parks++;
        }
        w.note.sleep();
        return true;
    }

    /**
     * {@code gcFlushBgCredit}: pays queued debts from {@code work} (scan work a background or
     * idle drainer just did) and returns what is left for the credit pool.
     */
    long pay(long work) {
        List<Waiter> paid = new ArrayList<>();
        synchronized (this) {
            while (work > 0 && !queue.isEmpty()) {
                Waiter w = queue.pollFirst();
                if (work >= w.debt) {
                    work -= w.debt;
                    w.debt = 0;
                    paid.add(w);
                } else {
                    w.debt -= work;
                    work = 0;
                    queue.addLast(w);
                }
            }
            parked = !queue.isEmpty();
        }
        paid.forEach(w -> w.note.wakeup());
        return work;
    }

    /** {@code gcWakeAllAssists}: marking is over; whatever is still owed is forgiven. */
    void wakeAll() {
        if (!parked) {
            return;
        }
        List<Waiter> all;
        synchronized (this) {
            all = new ArrayList<>(queue);
            queue.clear();
            parked = false;
        }
        all.forEach(w -> w.note.wakeup());
    }

    /** Goroutines parked so far in this run. */
    synchronized long parks() {
        return parks;
    }
}
