package org.gort.spi.gc;

import java.util.List;

/*
 * The phases a cycle runs (Go's mgc.go: the order gcStart, gcMarkDone, gcMarkTermination and
 * gcSweep impose, and gcForceMode/gcForceBlockMode).
 *
 * A collector lists its phases, and the controller runs exactly that list, in order:
 *
 *   SWEEP_TERMINATION, MARK | STW_MARK, MARK_TERMINATION, SWEEP | STW_SWEEP   (see Phase)
 *
 * A collector is checked when it is created (at attach and at every hot swap), so that a cycle
 * never starts with a list the controller cannot run: four phases in that shape, and a
 * stop-the-world mark (STW_MARK) exactly when the collector scans every stack inside the pause
 * (StackScan.ALL_IN_STW), since nothing else would scan them then.
 *
 * GODEBUG=gcstoptheworld (RuntimeConfig.gcstoptheworld): 1 runs every cycle with its marking
 * inside the pause, whatever the collector, as Go's gcForceMode does (Go keeps user goroutines
 * off the Ps while its workers mark; here the world is simply stopped): no barrier, no assists,
 * no concurrent stack scans. 2 also sweeps inside the pause (gcForceBlockMode); a collector
 * that sweeps inside it anyway keeps doing so under 1. The collector's pacing is kept, as Go's
 * is. The lab uses it to show what a concurrent collector's design buys over the same
 * collector with concurrency turned off.
 *
 * Invariant: a cycle's needs and phases are fixed as it starts (the coordinator asks here
 * once, with the collector that begins the cycle) and hold until it ends.
 */
final class PhasePlan {
    /** What every cycle needs under gcstoptheworld: nothing runs while marking. */
    private static final CollectorNeeds STOP_THE_WORLD_NEEDS =
            new CollectorNeeds(BarrierKind.NONE, AllocationColour.WHITE, StackScan.ALL_IN_STW);
    private static final List<Phase> STOP_THE_WORLD_MARK =
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.SWEEP);
    private static final List<Phase> STOP_THE_WORLD_MARK_AND_SWEEP =
            List.of(Phase.SWEEP_TERMINATION, Phase.STW_MARK, Phase.MARK_TERMINATION, Phase.STW_SWEEP);

    private PhasePlan() {
    }

    /** Checks that a collector lists phases the controller can run, with matching needs. */
    static Collector validated(CollectorStrategy s, Collector c) {
        List<Phase> ph = c.phases();
        CollectorNeeds n = c.needs();
        boolean shape = ph.size() == 4 && ph.get(0) == Phase.SWEEP_TERMINATION
                && (ph.get(1) == Phase.MARK || ph.get(1) == Phase.STW_MARK)
                && ph.get(2) == Phase.MARK_TERMINATION
                && (ph.get(3) == Phase.SWEEP || ph.get(3) == Phase.STW_SWEEP);
        if (!shape) {
            throw new IllegalArgumentException("collector " + s.name() + " lists phases " + ph
                    + "; list SWEEP_TERMINATION, MARK or STW_MARK, MARK_TERMINATION, SWEEP or STW_SWEEP");
        }
        if ((ph.get(1) == Phase.STW_MARK) != (n.stacks() == StackScan.ALL_IN_STW)) {
            throw new IllegalArgumentException("collector " + s.name() + " marks in phase " + ph.get(1)
                    + " but scans stacks " + n.stacks() + "; STW_MARK goes with StackScan.ALL_IN_STW and only with it");
        }
        return c;
    }

    /** The needs a cycle of {@code collector} runs with under gcstoptheworld mode {@code mode} (0, 1 or 2). */
    static CollectorNeeds needs(Collector collector, int mode) {
        return mode == 0 ? collector.needs() : STOP_THE_WORLD_NEEDS;
    }

    /** The phases a cycle of {@code collector} runs under gcstoptheworld mode {@code mode} (0, 1 or 2). */
    static List<Phase> phases(Collector collector, int mode) {
        return mode == 0 ? collector.phases()
                : mode == 2 || collector.phases().contains(Phase.STW_SWEEP)
                ? STOP_THE_WORLD_MARK_AND_SWEEP : STOP_THE_WORLD_MARK;
    }
}
