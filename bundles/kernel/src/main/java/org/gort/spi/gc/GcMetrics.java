package org.gort.spi.gc;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.gort.api.Metrics;

/**
 * The run's collector metrics ({@code gc.*}), recorded by the cycle coordinator (one writer)
 * and read once when the run reports; the heap sample comes from sysmon. Every pause is
 * recorded whole ({@code gc.pause.ns}) and split by phase ({@code gc.pause.<phase>.ns}): the
 * first phase of a pause carries the time to safepoint, the last one the restart.
 */
final class GcMetrics {
    private final Histogram pauses = new Histogram(3);
    private final Histogram ttsp = new Histogram(3);
    private final Map<String, Histogram> pausesByPhase = new TreeMap<>();
    private final Histogram heapSampled = new Histogram(3);
    private final Histogram markedInPause = new Histogram(3);

    long cycles;
    long forced;
    long periodic;
    long allocFailure;
    long pauseTotal;
    long pauseMax;
    long markedObjects;
    long markedBytes;
    long markedInPauseTotal;
    long markedInPauseMax;
    long rootSlotsInPause;
    long rootSlotsInPauseMax;
    long goroutinesInPause;
    long goroutinesInPauseMax;
    long floatingObjects;
    long floatingBytes;
    long floatingCycles;
    long floatingObjectsMax;
    long stacksScanned;
    long selfScans;
    long assistNanos;
    long backgroundNanos;
    long idleNanos;
    long cpuNanos;
    /** Mark phases' wall time: from the start of marking to mark termination, summed over cycles. */
    long markWallNanos;
    long barrierShades;
    long barrierRegreys;
    long heapLiveMax;
    long lastGoal;
    long lastMarked;
    long checkmarkCycles;

    synchronized void recordPause(long pauseNanos, long ttspNanos) {
        pauses.recordValue(Math.max(0, pauseNanos));
        ttsp.recordValue(Math.max(0, ttspNanos));
        pauseTotal += pauseNanos;
        pauseMax = Math.max(pauseMax, pauseNanos);
    }

    synchronized void recordPhasePause(Phase phase, long nanos) {
        pausesByPhase.computeIfAbsent(phase.shortName(), k -> new Histogram(3)).recordValue(Math.max(0, nanos));
    }

    synchronized void sampleHeap(long heapLive) {
        heapSampled.recordValue(Math.max(0, heapLive));
        heapLiveMax = Math.max(heapLiveMax, heapLive);
    }

    private double goalRatioSum;
    private double goalRatioMax;
    private long goalRatioCycles;

    synchronized void recordCycle(CycleStats c) {
        cycles++;
        switch (c.trigger()) {
            case "forced" -> forced++;
            case "periodic" -> periodic++;
            case "alloc-failure" -> allocFailure++;
            default -> { }
        }
        markedObjects += c.markedObjects();
        markedBytes += c.heapMarked();
        markedInPauseTotal += c.markedInPause();
        markedInPauseMax = Math.max(markedInPauseMax, c.markedInPause());
        markedInPause.recordValue(c.markedInPause());
        rootSlotsInPause += c.rootSlotsInPause();
        rootSlotsInPauseMax = Math.max(rootSlotsInPauseMax, c.rootSlotsInPause());
        goroutinesInPause += c.goroutinesInPause();
        goroutinesInPauseMax = Math.max(goroutinesInPauseMax, c.goroutinesInPause());
        if (c.floatingObjects() >= 0) {
            floatingCycles++;
            floatingObjects += c.floatingObjects();
            floatingBytes += c.floatingBytes();
            floatingObjectsMax = Math.max(floatingObjectsMax, c.floatingObjects());
        }
        assistNanos += c.assistNanos();
        backgroundNanos += c.backgroundNanos();
        idleNanos += c.idleNanos();
        cpuNanos += c.cpuNanos();
        markWallNanos += Math.max(0, c.tMarkTerm() - c.tMark());
        lastGoal = c.nextGoal();
        lastMarked = c.heapMarked();
        heapLiveMax = Math.max(heapLiveMax, c.heapAtMarkTerm());
        if ("heap".equals(c.trigger()) && c.heapGoal() > 0 && c.heapGoal() < Long.MAX_VALUE) {
            double r = (double) c.heapAtMarkTerm() / c.heapGoal();
            goalRatioSum += r;
            goalRatioMax = Math.max(goalRatioMax, r);
            goalRatioCycles++;
        }
    }

    /**
     * The pacer's accuracy: heapLive at mark termination over the cycle's goal, for the cycles
     * the heap triggered (1 is a cycle that finished exactly at its goal, above 1 an overshoot).
     */
    synchronized void reportPacing(org.gort.api.Metrics m) {
        m.put("gc.goal.ratio.mean", goalRatioCycles == 0 ? 0 : goalRatioSum / goalRatioCycles);
        m.put("gc.goal.ratio.max", goalRatioMax);
        m.put("gc.goal.ratio.cycles", goalRatioCycles);
    }

    synchronized void report(Metrics m, long barrierExecutions) {
        m.put("gc.cycles", cycles);
        m.put("gc.cycles.forced", forced);
        m.put("gc.cycles.periodic", periodic);
        m.put("gc.cycles.alloc.failure", allocFailure);
        m.putHistogram("gc.pause.ns", pauses.copy());
        m.put("gc.pause.count", pauses.getTotalCount());
        m.put("gc.pause.total.ns", pauseTotal);
        m.put("gc.pause.max.ns", pauseMax);
        for (Map.Entry<String, Histogram> e : pausesByPhase.entrySet()) {
            m.putHistogram("gc.pause." + e.getKey() + ".ns", e.getValue().copy());
            m.put("gc.pause." + e.getKey() + ".max.ns", e.getValue().getMaxValue());
        }
        m.putHistogram("gc.ttsp.ns", ttsp.copy());
        m.put("gc.ttsp.max.ns", ttsp.getTotalCount() == 0 ? 0 : ttsp.getMaxValue());
        m.put("gc.mark.cpu.background.ns", backgroundNanos);
        m.put("gc.mark.cpu.assist.ns", assistNanos);
        m.put("gc.mark.cpu.idle.ns", idleNanos);
        m.put("gc.cpu.ns", cpuNanos);
        m.put("gc.mark.cpu.ns", assistNanos + backgroundNanos + idleNanos);
        m.put("gc.mark.wall.ns", markWallNanos);
        m.put("gc.barrier.executions", barrierExecutions);
        m.put("gc.barrier.shaded", barrierShades);
        m.put("gc.barrier.regreyed", barrierRegreys);
        m.put("gc.marked.objects", markedObjects);
        m.put("gc.marked.bytes", markedBytes);
        m.put("gc.marked.in.pause", markedInPauseTotal);
        m.put("gc.marked.in.pause.max", markedInPauseMax);
        m.putHistogram("gc.marked.in.pause.per.cycle", markedInPause.copy());
        m.put("gc.pause.root.slots", rootSlotsInPause);
        m.put("gc.pause.root.slots.max", rootSlotsInPauseMax);
        m.put("gc.pause.goroutines", goroutinesInPause);
        m.put("gc.pause.goroutines.max", goroutinesInPauseMax);
        m.put("gc.stacks.scanned", stacksScanned);
        m.put("gc.stacks.selfscans", selfScans);
        if (floatingCycles > 0) {
            m.put("gc.floating.cycles", floatingCycles);
            m.put("gc.floating.objects", floatingObjects);
            m.put("gc.floating.bytes", floatingBytes);
            m.put("gc.floating.objects.max", floatingObjectsMax);
        }
        m.put("gc.checkmark.cycles", checkmarkCycles);
        m.putHistogram("gc.heap.live.bytes", heapSampled.copy());
        m.put("gc.heap.live.max.bytes", heapLiveMax);
        m.put("gc.heap.goal.bytes", lastGoal);
        m.put("gc.heap.marked.bytes", lastMarked);
    }
}
