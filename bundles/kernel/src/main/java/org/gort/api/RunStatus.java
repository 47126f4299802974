package org.gort.api;

/** How a run ended. */
public enum RunStatus {
    /** The main goroutine returned. */
    OK,
    /** A goroutine panicked (an uncaught exception, or a Go panic such as a send on a closed channel). */
    PANIC,
    /** Every goroutine was blocked with no timer or syscall pending. */
    DEADLOCK,
    /** The heap limit was reached. */
    OUT_OF_MEMORY,
    /** A runtime error: a verification mode (gccheckmark, clobberfree) or the kernel found a fault. */
    FATAL,
    /** Stopped from outside ({@code stop}) or timed out. */
    STOPPED
}
