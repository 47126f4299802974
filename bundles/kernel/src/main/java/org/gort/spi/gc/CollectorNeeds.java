package org.gort.spi.gc;

import java.util.Objects;

/**
 * What a collector needs from the mechanism, declared up front as MMTk's plan constraints
 * are: the barrier to run while marking, the colour of objects allocated while marking, when
 * goroutine stacks are scanned, and how grey objects are queued ({@link MarkQueue}, since 1.11).
 */
public record CollectorNeeds(BarrierKind barrier, AllocationColour allocation, StackScan stacks, MarkQueue queue) {
    public CollectorNeeds {
        Objects.requireNonNull(barrier, "barrier");
        Objects.requireNonNull(allocation, "allocation");
        Objects.requireNonNull(stacks, "stacks");
        Objects.requireNonNull(queue, "queue");
    }

    /** Grey objects queued one at a time ({@link MarkQueue#OBJECTS}), as every collector before Green Tea. */
    public CollectorNeeds(BarrierKind barrier, AllocationColour allocation, StackScan stacks) {
        this(barrier, allocation, stacks, MarkQueue.OBJECTS);
    }

    /** True if marking runs while goroutines run (stacks are not all scanned inside the marking pause). */
    public boolean concurrentMark() {
        return stacks != StackScan.ALL_IN_STW;
    }
}
