package org.gort.spi.gc;

import java.util.concurrent.atomic.LongAdder;
import org.gort.spi.heap.WriteBarrier;

/*
 * The write barrier the heap runs while a concurrent cycle marks: the collector's own barrier,
 * wrapped to count its executions (gc.barrier.executions, and each cycle's count in
 * CycleStats).
 *
 * The collector's barrier is called unchanged, before the store and, if it asks to, after it;
 * only the before-store call counts as an execution. The count is a LongAdder: every mutator
 * thread adds to it, the coordinator reads it as a cycle starts and ends.
 */
final class CountingBarrier implements WriteBarrier {
    private final Collector collector;
    private final LongAdder executions;

    CountingBarrier(Collector collector, LongAdder executions) {
        this.collector = collector;
        this.executions = executions;
    }

    @Override
    public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
        executions.increment();
        collector.onPointerStore(obj, slot, oldValue, newValue);
    }

    @Override
    public boolean runsAfterStore() {
        return collector.runsAfterStore();
    }

    @Override
    public void afterPointerStore(long obj, int slot, long newValue) {
        collector.afterPointerStore(obj, slot, newValue);
    }
}
