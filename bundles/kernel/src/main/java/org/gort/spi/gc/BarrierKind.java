package org.gort.spi.gc;

/** Which write barrier a collector runs while marking (see {@code runtime/mbarrier.go}). */
public enum BarrierKind {
    /** No barrier: marking happens with the world stopped. */
    NONE,
    /** Dijkstra 1978: {@code shade(ptr)}; keeps the strong invariant for the heap, not for stacks. */
    INSERTION,
    /** Yuasa 1990: {@code shade(*slot)}; snapshot at the beginning. */
    DELETION,
    /** Go 1.8's hybrid (proposal 17503): {@code shade(*slot)} and {@code shade(ptr)}. */
    HYBRID
}
