package org.gort.spi.gc;

/**
 * When a collector scans goroutine root stacks. Stacks have no write barrier, so this choice is
 * what each barrier's correctness rests on. A stack is only ever read while its goroutine is
 * stopped: parked, runnable, held by a stopped world, or scanning itself at a safepoint.
 */
public enum StackScan {
    /** Every stack inside the marking pause (a stop-the-world collector). */
    ALL_IN_STW,
    /**
     * One goroutine at a time during concurrent mark, then every stack again with the world
     * stopped at mark termination (Go 1.5-1.7 with the insertion barrier). Globals are not
     * scanned again: the barrier must shade what stores into globals and hand-overs
     * ({@code obj == 0}) write.
     */
    CONCURRENT_RESCAN_AT_TERMINATION,
    /** Every stack inside the sweep-termination pause that starts marking: a snapshot (Yuasa). */
    ALL_AT_START,
    /**
     * One goroutine at a time during concurrent mark, never re-scanned (Go 1.8+); goroutines
     * created during the cycle start with an empty, black stack.
     */
    CONCURRENT_NO_RESCAN
}
