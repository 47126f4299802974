package org.gort.kernel;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.GcCycle;
import org.gort.api.MemStats;
import org.gort.api.RunSample;
import org.gort.spi.gc.CycleStats;

/*
 * Timeline samples of a running instance (RunHandle.sample, gcCycles), the reads behind Go's
 * runtime/metrics gauges /sched/goroutines:goroutines, /gc/heap/live:bytes and
 * /gc/heap/goal:bytes, and the phase times the gctrace line prints.
 *
 * Cost. Nothing runs unless someone samples: the only standing cost is the collector's history
 * of its last 1024 CycleStats (one array store per cycle, under the lock that already guards
 * MemStats.PauseNs). A sample reads the pacer's figures, each P's status word, and walks allgs
 * once (O(allglen), as schedtrace's scheddetail does); the lab's sampler spaces its samples by
 * a multiple of what the last one cost, so a program with a million goroutines is sampled
 * less often rather than slowed down.
 *
 * Consistency. No stop of the world: every field is a racy read of a volatile, so a G may be
 * counted in the state it was just leaving; the counts add up to the Gs seen in one walk.
 */
final class RunSampler {
    private RunSampler() {
    }

    static RunSample sample(RuntimeInstance rt) {
        long at = System.nanoTime() - rt.startNanos;
        MemStats ms = rt.gcMemStats();
        int[] g = new int[5];
        rt.allgs.forEach(x -> {
            if (x.system) {
                return;
            }
            switch (x.status) {
                case RUNNABLE -> g[1]++;
                case RUNNING -> g[2]++;
                case SYSCALL -> g[3]++;
                case WAITING -> g[4]++;
                case DEAD -> {
                    return;
                }
                default -> { }
            }
            g[0]++;
        });
        int running = 0;
        int idle = 0;
        int syscall = 0;
        int stopped = 0;
        for (P p : rt.allp) {
            switch (p.status()) {
                case RUNNING -> running++;
                case IDLE -> idle++;
                case SYSCALL -> syscall++;
                case GCSTOP -> stopped++;
            }
        }
        return new RunSample(at, ms.heapLive(), ms.nextGC(), ms.numGC(), g[0], g[1], g[2], g[3], g[4],
                running, idle, syscall, stopped);
    }

    static List<GcCycle> cycles(RuntimeInstance rt, long after) {
        List<GcCycle> out = new ArrayList<>();
        long t0 = rt.startNanos;
        for (CycleStats c : rt.gcHooks.cyclesAfter(after)) {
            out.add(new GcCycle(c.number(), c.collector(), c.tSweepTerm() - t0, c.tMark() - t0, c.tMarkTerm() - t0,
                    c.tEnd() - t0, c.heapStart(), c.heapMarked(), c.heapGoal(), c.maxPauseNanos()));
        }
        return out;
    }
}
