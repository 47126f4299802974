package org.gort.kernel;

/** Timings of one stop-the-world, returned by {@link RuntimeInstance#stopTheWorld}. */
public record StwToken(String reason, long requested, long stoppedAt) {
    public long timeToSafepointNanos() {
        return stoppedAt - requested;
    }
}
