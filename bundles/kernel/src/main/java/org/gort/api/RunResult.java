package org.gort.api;

import java.util.List;

/**
 * The outcome of one run: how it ended, Go's failure text if it failed, everything the
 * program printed, its metrics, and every change of strategy made during it.
 *
 * @param status  how the run ended
 * @param failure Go's failure text ("panic: ...", "fatal error: all goroutines are asleep -
 *                deadlock!" with each goroutine's id and wait reason), empty when OK
 * @param output  the lines the program printed with {@link Go#println}
 * @param metrics counters and histograms
 * @param exitCode the status a Go program's process would exit with: 0 when OK, {@code n}
 *                after {@code os.Exit(n)} ({@link Go#exit}), 2 after a panic or a fatal error
 *                (deadlock, out of memory), as Go's; 1 when stopped from outside or timed out
 * @param changes every scheduler and collector change that took effect during the run, in
 *                order: swaps that were asked for and the kernel's ejections of faulty
 *                strategies (see {@link StrategyChange}); empty when none
 */
public record RunResult(RunStatus status, String failure, List<String> output, Metrics metrics, int exitCode,
                        List<StrategyChange> changes) {
    public RunResult {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** A result whose exit code follows from its status ({@link #exitCodeOf}), with no strategy changes. */
    public RunResult(RunStatus status, String failure, List<String> output, Metrics metrics) {
        this(status, failure, output, metrics, exitCodeOf(status));
    }

    /** A result with no strategy changes. */
    public RunResult(RunStatus status, String failure, List<String> output, Metrics metrics, int exitCode) {
        this(status, failure, output, metrics, exitCode, List.of());
    }

    /** Go's exit status for a run that ended this way without calling {@code os.Exit}. */
    public static int exitCodeOf(RunStatus status) {
        return switch (status) {
            case OK -> 0;
            case PANIC, DEADLOCK, OUT_OF_MEMORY, FATAL -> 2;
            case STOPPED, EXIT -> 1;
        };
    }

    /**
     * The kernel's ejections of faulty strategies during the run, in order; empty when none.
     * A conformance test fails the strategy under test on any of them: the run itself may
     * still end OK, because the kernel re-readied the goroutines on the default.
     */
    public List<StrategyChange> ejections() {
        return changes.stream().filter(StrategyChange::isEjection).toList();
    }

    public boolean ok() {
        return status == RunStatus.OK;
    }

    /** The failure's first line, fit for a one-line message. */
    public String failureHeadline() {
        int nl = failure.indexOf('\n');
        return nl < 0 ? failure : failure.substring(0, nl);
    }
}
