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
    STOPPED,
    /**
     * The program called {@link Go#exit} (or {@code System.exit}, rewritten to it) with a
     * status other than 0, Go's {@code os.Exit(n)}; {@link RunResult#exitCode()} is that status.
     * An exit with status 0 ends the run {@link #OK}.
     */
    EXIT
}
