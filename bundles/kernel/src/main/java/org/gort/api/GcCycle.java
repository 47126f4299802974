package org.gort.api;

/**
 * When one completed GC cycle's phases ran, for a timeline ({@link RunHandle#gcCycles}): times
 * in nanoseconds since the program started. The cycle stopped the world from {@code start} to
 * {@code mark} (sweep termination) and from {@code markTermination} to {@code end} (mark
 * termination); a stop-the-world collector also marks inside the second pause.
 *
 * @param number          the cycle, from 1
 * @param collector       the collector that ran it
 * @param start           sweep termination began (Go's {@code gcStart})
 * @param mark            concurrent marking began
 * @param markTermination mark termination's stop of the world was requested
 * @param end             the world restarted after mark termination; sweeping follows
 * @param heapStart       heapLive when the cycle began
 * @param heapMarked      bytes marked live
 * @param heapGoal        the goal the cycle was paced to
 * @param maxPauseNanos   its longest stop-the-world pause
 */
public record GcCycle(long number, String collector, long start, long mark, long markTermination, long end,
                      long heapStart, long heapMarked, long heapGoal, long maxPauseNanos) {
}
