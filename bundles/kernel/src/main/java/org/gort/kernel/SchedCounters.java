package org.gort.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.HdrHistogram.ValueRecorder;
import org.gort.api.Metrics;
import org.gort.spi.sched.MeteredLock;

/**
 * The scheduling counters every run reports. The kernel counts what is mechanism (creations,
 * schedules, migrations, preemptions, hand-offs, Ms, idle-P time, latency); strategies add
 * their locks (through {@link MeteredLock}s the kernel hands out) and their steals.
 */
final class SchedCounters {
    /** Goroutines created from outside any M (the rest are counted per M, see {@link M#created}). */
    final LongAdder created = new LongAdder();
    final LongAdder preemptRequests = new LongAdder();
    final LongAdder preemptions = new LongAdder();
    final LongAdder handoffs = new LongAdder();
    final LongAdder retakes = new LongAdder();
    final LongAdder msCreated = new LongAdder();
    final LongAdder mParks = new LongAdder();
    final LongAdder mWakes = new LongAdder();
    final LongAdder syscalls = new LongAdder();
    final LongAdder steals = new LongAdder();
    final LongAdder stolen = new LongAdder();
    final LongAdder idlePNanos = new LongAdder();
    final LongAdder stwCount = new LongAdder();
    /** Every stop's pause, summed exactly (the histogram keeps three digits of each). */
    final LongAdder stwPauseTotal = new LongAdder();
    /** Ps a stop took back from an M that had been handed one and had not run yet. */
    final LongAdder stopReclaims = new LongAdder();
    final LongAdder swaps = new LongAdder();
    /** GOMAXPROCS changes while running (procresize). */
    final LongAdder procresizes = new LongAdder();
    final LongAdder ejections = new LongAdder();
    /**
     * The recorders' fixed range: 1 ns to an hour, three digits (270 KB a histogram, two a
     * recorder). An auto-resizing recorder grows under a lock and waits for every writer to
     * leave before it flips; Ms recording into one blocked there for up to 5 ms, inside stops.
     */
    static final long HIGHEST_NANOS = 3_600_000_000_000L;
    // Scheduling latency (runnable to running, in nanoseconds) is recorded per P (P.latency):
    // one writer each, no atomic read-modify-write shared by the Ms; report merges them. Those
    // recorders auto-resize: a single-writer recorder grows on its writer, with no lock and
    // no wait for other writers (only a reader's flip waits, for the one writer), and a P that
    // never sees a long latency does not hold an hour's range.
    final Recorder stwPause = new Recorder(1, HIGHEST_NANOS, 3);
    final Recorder timeToSafepoint = new Recorder(1, HIGHEST_NANOS, 3);

    /** Records {@code nanos}, clamped into the recorders' range. */
    static void record(ValueRecorder r, long nanos) {
        r.recordValue(Math.min(Math.max(0, nanos), HIGHEST_NANOS));
    }
    /** Locks handed out to every scheduler this run has had (a hot swap adds the new one's). */
    final List<MeteredLock> locks = new CopyOnWriteArrayList<>();

    void report(Metrics out, String schedulerName, List<M> allm, P[] procs) {
        long created = this.created.sum(), schedules = 0, migrations = 0;
        for (M m : allm) {
            created += m.created;
            schedules += m.schedules;
            migrations += m.migrations;
        }
        out.put("sched.goroutines.created", created);
        out.put("sched.schedules", schedules);
        out.put("sched.migrations", migrations);
        out.put("sched.preempt.requests", preemptRequests.sum());
        out.put("sched.preemptions", preemptions.sum());
        out.put("sched.handoffs", handoffs.sum());
        out.put("sched.retakes", retakes.sum());
        out.put("sched.ms.created", msCreated.sum());
        out.put("sched.m.parks", mParks.sum());
        out.put("sched.m.wakes", mWakes.sum());
        out.put("sched.syscalls", syscalls.sum());
        out.put("sched.steals", steals.sum());
        out.put("sched.stolen", stolen.sum());
        out.put("sched.idlep.ns", idlePNanos.sum());
        out.put("sched.swaps", swaps.sum());
        out.put("sched.procresizes", procresizes.sum());
        out.put("sched.ejections", ejections.sum());
        out.put("stw.count", stwCount.sum());
        out.put("stw.reclaimed.ps", stopReclaims.sum());
        long acq = 0, contended = 0, wait = 0;
        for (MeteredLock l : locks) {
            acq += l.acquisitions();
            contended += l.contended();
            wait += l.waitNanos();
        }
        out.put("sched.lock.acquisitions", acq);
        out.put("sched.lock.contended", contended);
        out.put("sched.lock.wait.ns", wait);
        Histogram lat = new Histogram(3); // auto-resizing, as the Ps' recorders
        for (P p : procs) {
            SingleWriterRecorder r = p.latency;
            if (r != null) {
                lat.add(r.getIntervalHistogram());
            }
        }
        out.putHistogram("sched.latency.ns", lat);
        if (lat.getTotalCount() > 0) {
            out.put("sched.latency.p50.ns", lat.getValueAtPercentile(50));
            out.put("sched.latency.p99.ns", lat.getValueAtPercentile(99));
            out.put("sched.latency.max.ns", lat.getMaxValue());
        }
        Histogram pause = stwPause.getIntervalHistogram();
        out.putHistogram("stw.pause.ns", pause);
        out.put("stw.pause.max.ns", pause.getTotalCount() == 0 ? 0 : pause.getMaxValue());
        out.put("stw.pause.total.ns", stwPauseTotal.sum());
        Histogram ttsp = timeToSafepoint.getIntervalHistogram();
        out.putHistogram("stw.ttsp.ns", ttsp);
        out.put("stw.ttsp.max.ns", ttsp.getTotalCount() == 0 ? 0 : ttsp.getMaxValue());
    }
}
