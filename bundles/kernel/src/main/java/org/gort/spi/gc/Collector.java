package org.gort.spi.gc;

import java.util.List;
import org.gort.spi.heap.WriteBarrier;

/**
 * One runtime instance's collector policy, as MMTk's plans are: what it needs from the
 * mechanism ({@link #needs()}), its phases in order ({@link #phases()}), and its write barrier
 * ({@link #onPointerStore}). Everything else (grey buffers, drain, termination, workers,
 * assists, pacing, sweeping, verification) is the shared toolkit's, run by
 * {@link GcController}.
 *
 * <p>The barrier runs on the storing goroutine, before the store, on every heap and global
 * pointer store while the cycle's mark phase is on and {@link CollectorNeeds#barrier()} is not
 * {@link BarrierKind#NONE}; a barrier that answers {@link #runsAfterStore()} also runs after
 * each heap object store. It must only shade or re-grey ({@link MarkState}): no parking, no
 * stop-the-world.
 */
public interface Collector extends WriteBarrier {
    CollectorNeeds needs();

    /**
     * The cycle's phases in the order they run, e.g. {@code SWEEP_TERMINATION, MARK,
     * MARK_TERMINATION, SWEEP}. See {@link Phase} for the shapes the controller accepts.
     */
    List<Phase> phases();

    /**
     * A collector from its declaration and its barrier, for a policy that is nothing more (since
     * 1.5): {@code barrier}'s {@code runsAfterStore} and {@code afterPointerStore} are kept.
     */
    static Collector of(CollectorNeeds needs, List<Phase> phases, WriteBarrier barrier) {
        List<Phase> order = List.copyOf(phases);
        return new Collector() {
            @Override
            public CollectorNeeds needs() {
                return needs;
            }

            @Override
            public List<Phase> phases() {
                return order;
            }

            @Override
            public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
                barrier.onPointerStore(obj, slot, oldValue, newValue);
            }

            @Override
            public boolean runsAfterStore() {
                return barrier.runsAfterStore();
            }

            @Override
            public void afterPointerStore(long obj, int slot, long newValue) {
                barrier.afterPointerStore(obj, slot, newValue);
            }
        };
    }
}
