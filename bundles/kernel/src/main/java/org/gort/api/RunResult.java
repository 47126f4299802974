package org.gort.api;

import java.util.List;

/**
 * The outcome of one run: how it ended, Go's failure text if it failed, everything the
 * program printed, and its metrics.
 *
 * @param status  how the run ended
 * @param failure Go's failure text ("panic: ...", "fatal error: all goroutines are asleep -
 *                deadlock!" with each goroutine's id and wait reason), empty when OK
 * @param output  the lines the program printed with {@link Go#println}
 * @param metrics counters and histograms
 */
public record RunResult(RunStatus status, String failure, List<String> output, Metrics metrics) {
    public boolean ok() {
        return status == RunStatus.OK;
    }

    /** The failure's first line, fit for a one-line message. */
    public String failureHeadline() {
        int nl = failure.indexOf('\n');
        return nl < 0 ? failure : failure.substring(0, nl);
    }
}
