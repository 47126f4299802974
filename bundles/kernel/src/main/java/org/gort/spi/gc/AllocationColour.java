package org.gort.spi.gc;

/** The colour of an object allocated while marking is on. */
public enum AllocationColour {
    /** Unmarked: the object is found again through a stack or a barrier (Dijkstra). */
    WHITE,
    /** Marked at once (Go's {@code gcmarknewobject}): it survives the cycle that is marking. */
    BLACK_WHILE_MARKING
}
