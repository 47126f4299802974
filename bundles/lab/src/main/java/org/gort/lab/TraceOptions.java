package org.gort.lab;

/**
 * Go's trace switches for a run: {@code GODEBUG=gctrace=1}, {@code schedtrace=<ms>} and
 * {@code scheddetail=1}. Lines go to the request's trace sink and into the run's record.
 */
public record TraceOptions(boolean gctrace, long schedtraceMillis, boolean scheddetail) {
    public static final TraceOptions NONE = new TraceOptions(false, 0, false);

    public TraceOptions {
        if (schedtraceMillis < 0) {
            throw new IllegalArgumentException("schedtrace interval must be >= 0 ms, got " + schedtraceMillis);
        }
        if (scheddetail && schedtraceMillis == 0) {
            throw new IllegalArgumentException("scheddetail needs schedtrace=<ms> too, as in Go");
        }
    }
}
