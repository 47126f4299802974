package org.gort.spi.gc;

import org.gort.spi.pacer.PacerStrategy;

/*
 * Hot swap of the collector and of the pacer.
 *
 * A cycle in progress always completes under the collector that began it: a hot swap is
 * applied when the next cycle starts (at once if none is running or requested). The pacer
 * (org.gort.spi.pacer, a strategy of its own: where the goal and the trigger lie, what an
 * allocated byte owes in assists) is swapped the same way; Pacer is its mechanism here, and
 * the cycle in progress finishes at the goal its pacer set.
 *
 * A swap validates the new collector at once (PhasePlan.validated), so that a collector the
 * controller cannot run is refused to the caller, never found by a cycle. Swapping away and
 * back before the next cycle (or to the collector in use) changes nothing and traces nothing.
 * An applied swap is traced ("gort: collector a -> b (why)", "gort: pacer a -> b (why)") and
 * reported to the runtime's trace.
 *
 * Implementation notes. The pending swaps are guarded by the cycle bookkeeping's monitor
 * (Triggers), so that "no cycle requested or running" and the swap are one atomic step, and
 * the coordinator applies them under it as it takes a request. The current collector and
 * strategy are volatile for the readers outside it (status, memStats, collectorName).
 */
final class Swaps {
    private final GcRuntime rt;
    private final Marking marking;
    private final Pacer pacer;
    private final Triggers triggers;

    private volatile CollectorStrategy strategy;
    private volatile Collector collector;

    // guarded by triggers
    private CollectorStrategy pendingSwap;
    private Collector pendingCollector;
    private String pendingWhy;
    private PacerStrategy pendingPacer;
    private String pendingPacerWhy;

    Swaps(GcRuntime rt, Marking marking, Pacer pacer, Triggers triggers, CollectorStrategy strategy, Collector collector) {
        this.rt = rt;
        this.marking = marking;
        this.pacer = pacer;
        this.triggers = triggers;
        this.strategy = strategy;
        this.collector = collector;
    }

    /** The collector cycles now start with. */
    Collector collector() {
        return collector;
    }

    /** The strategy cycles now start with. */
    CollectorStrategy strategy() {
        return strategy;
    }

    /** Replaces the collector from the next cycle (at once if no cycle is running or requested). */
    void swap(CollectorStrategy next, String why) {
        Collector fresh = PhasePlan.validated(next, next.create(marking, marking));
        synchronized (triggers) {
            pendingSwap = next;
            pendingWhy = why;
            pendingCollector = fresh;
            if (triggers.idleLocked()) {
                applyPendingLocked();
            }
        }
    }

    /**
     * Replaces the pacer from the next cycle (at once if no cycle is running or requested): the
     * cycle in progress finishes at the goal its pacer set.
     */
    void swapPacer(PacerStrategy next, String why) {
        synchronized (triggers) {
            pendingPacer = next;
            pendingPacerWhy = why;
            if (triggers.idleLocked()) {
                applyPendingLocked();
            }
        }
    }

    /** Caller holds the monitor of {@code triggers}. */
    void applyPendingLocked() {
        if (pendingPacer != null) {
            String old = pacer.swap(pendingPacer);
            if (old != null) {
                rt.trace("gort: pacer " + old + " -> " + pendingPacer.name() + " (" + pendingPacerWhy + ")");
                rt.tracePacerSwap(old, pendingPacer.name(), pendingPacerWhy);
                if (rt.memoryLimit() != Long.MAX_VALUE && !pendingPacer.honoursMemoryLimit()) {
                    rt.trace("gort: pacer " + pendingPacer.name() + " ignores the memory limit (it predates GOMEMLIMIT)");
                }
            }
            pendingPacer = null;
        }
        if (pendingSwap == null) {
            return;
        }
        if (pendingSwap == strategy) {
            // Swapped away and back before the cycle ended (or to itself): nothing changes.
            pendingSwap = null;
            pendingCollector = null;
            return;
        }
        String old = strategy.name();
        strategy = pendingSwap;
        collector = pendingCollector;
        pendingSwap = null;
        pendingCollector = null;
        pacer.useTriggerFor(collector.needs().concurrentMark());
        rt.trace("gort: collector " + old + " -> " + strategy.name() + " (" + pendingWhy + ")");
        rt.traceCollectorSwap(old, strategy.name(), pendingWhy);
    }

    /** Caller holds the monitor of {@code triggers}: the collector swap waiting for the next cycle, or null. */
    CollectorStrategy pendingCollectorLocked() {
        return pendingSwap;
    }

    /** Caller holds the monitor of {@code triggers}: the pacer swap waiting for the next cycle, or null. */
    PacerStrategy pendingPacerLocked() {
        return pendingPacer;
    }
}
