package org.gort.spi.gc;

import java.util.List;

/*
 * One cycle's record (Go's per-cycle fields of work: work.tSweepTerm, work.tMark,
 * work.tMarkTerm, work.tEnd, work.heap0, work.heap1, work.heap2, and the pause totals
 * gcMarkTermination reports).
 *
 * The coordinator goroutine is its only writer and reader: it fills the record phase by phase
 * and hands it to Accounting as the cycle ends, which turns it into the published CycleStats.
 * Pause figures (objects marked, root slots read, goroutines visited) are counted with the
 * world stopped, so they are exact.
 */
final class Cycle {
    long number;
    String trigger;
    Collector collector;
    String collectorName;
    /** The collector's needs and phases, or stop-the-world ones under gcstoptheworld (PhasePlan). */
    CollectorNeeds needs;
    List<Phase> phases;
    long tSweepTerm;
    long tMark;
    long tMarkTerm;
    long tEnd;
    long heapStart;
    long heapAtMarkTerm;
    long heapGoal;
    long stackBytes;
    long globalBytes;
    long markedInPause;
    long rootSlotsInPause;
    long goroutinesInPause;
    /** Goroutines gccheckmark's verification visited in the current pause (not the collector's). */
    long verifyVisits;
    long maxPause;
    /** When the last pause ended (the world restarted). */
    long lastPauseEnd;
    /** The cycle's pauses added up (Go's PauseNs entry). */
    long pauseSum;
    long floatingObjects = -1;
    long floatingBytes = -1;
    long reachableObjects = -1;
    long markedObjects;
    long markedBytes;
    long stwMarkNanos;
    long barrierAtStart;
    GcRuntime.Note markDone;
    /**
     * Set by the goroutine that finished marking once it has run the pause after the mark
     * phase: the index of the phase the coordinator goes on from, -1 if the cycle ends; 0 if it
     * did not (the coordinator runs that pause).
     */
    int finishedAt;
    boolean failed;
    boolean markTermDone;
}
