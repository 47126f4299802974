package org.gort.lab;

import org.gort.api.RunStatus;

/** How a run ended, as the lab reports it: only {@link #OK} runs are measured. */
public enum RunOutcome {
    /** The program ended and its output passed the workload's check. */
    OK,
    /** The program ended but its output is wrong; the record says what differs. */
    FAILED,
    PANIC,
    DEADLOCK,
    OUT_OF_MEMORY,
    FATAL,
    /** Stopped from outside or timed out. */
    STOPPED,
    /** The program ended itself with a non-zero status ({@code os.Exit(n)}). */
    EXIT;

    /** The outcome for a runtime status (before the output check). */
    public static RunOutcome of(RunStatus status) {
        return switch (status) {
            case OK -> OK;
            case PANIC -> PANIC;
            case DEADLOCK -> DEADLOCK;
            case OUT_OF_MEMORY -> OUT_OF_MEMORY;
            case FATAL -> FATAL;
            case STOPPED -> STOPPED;
            case EXIT -> EXIT;
        };
    }
}
