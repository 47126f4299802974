package org.gort.spi.gc;

import java.util.Objects;

/**
 * What a collector needs from the mechanism, declared up front as MMTk's plan constraints
 * are: the barrier to run while marking, the colour of objects allocated while marking, and
 * when goroutine stacks are scanned.
 */
public record CollectorNeeds(BarrierKind barrier, AllocationColour allocation, StackScan stacks) {
    public CollectorNeeds {
        Objects.requireNonNull(barrier, "barrier");
        Objects.requireNonNull(allocation, "allocation");
        Objects.requireNonNull(stacks, "stacks");
    }

    /** True if marking runs while goroutines run (stacks are not all scanned inside the marking pause). */
    public boolean concurrentMark() {
        return stacks != StackScan.ALL_IN_STW;
    }
}
