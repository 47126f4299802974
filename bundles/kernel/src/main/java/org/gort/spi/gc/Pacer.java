package org.gort.spi.gc;

import java.util.concurrent.atomic.AtomicLong;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.HeapView;
import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.MemoryState;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;
import org.gort.spi.pacer.PacerStrategy;

/*
 * The pacer's mechanism (the accounting half of Go's gcControllerState, mgcpacer.go).
 *
 * The policy (org.gort.spi.pacer.PacerPolicy, a pacer bundle: go15 or go118) says where the
 * heap goal and the trigger lie and what an allocated byte owes in assists. This class does
 * what every policy needs done the same way:
 *
 *   heapLive    Go's heapLive: the bytes marked at the last mark termination plus every byte
 *               allocated since (sweeping does not lower it: freed objects were never counted).
 *               The trigger is compared against it as allocation is published.
 *   assists     the ratio the policy's revise() returns is cached for the allocation path, and
 *               is 0 while the policy's CPU limiter holds assists off.
 *   sweep       Go's proportional sweep: the spans a cycle leaves to sweep must all be swept
 *               before the next trigger, so each allocated byte sweeps
 *               pages / (trigger - heapLive) pages, beside the background sweeper.
 *   memory      the heap's mapped, free and allocated bytes (MemoryState) and the collector's
 *               CPU time, handed to the policy for a memory limit and a CPU limiter.
 *   swap        a new policy takes over when a cycle starts; it is told the last cycle's
 *               figures at once (endCycle), so its first goal is set from a real live heap.
 *
 * Implementation notes. Each P accumulates its allocation locally and publishes it to heapLive
 * every 8 KiB (Go publishes per span refill), so the trigger is checked without a shared write
 * on every allocation; mark termination publishes every P's remainder with the world stopped.
 * The policy is started and ended with the world stopped and swapped between cycles; the new
 * one is fully set up (told the last cycle) before it is published through a volatile field.
 * Goal and trigger are volatile reads in the policy, the only calls on the allocation path.
 */
public final class Pacer {
    /** Go's {@code heapminimum} at GOGC=100. */
    public static final long HEAP_MINIMUM = PacerConfig.DEFAULT_HEAP_MINIMUM;
    /** Go's {@code gcBackgroundUtilization}: the dedicated and fractional mark workers' share of the Ps. */
    static final double BACKGROUND_UTILIZATION = 0.25;
    /** Go's {@code gcOverAssistWork}: an assist does at least this much scan work, to amortise it. */
    static final long OVER_ASSIST_WORK = 64L << 10;
    /** Per-P allocation is published to heapLive in steps of this many bytes. */
    static final long PUBLISH_BYTES = 8L << 10;

    /**
     * One P's allocation account; touched only by the thread holding the P, on every
     * allocation. Padded on both sides (superclass fields are laid out first), so that two Ps
     * allocating at once do not share a cache line (Go pads its per-P structures likewise).
     */
    static final class PAccount extends PAccountFields {
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7;
    }

    static class PAccountFields extends PAccountPad {
        long unpublished;
        /** What the last step published (the sweep credit's charge). */
        long published;
        /** Assist credit of allocations made off any goroutine (a goroutine's is its own). */
        long assistCredit;
        double sweepCredit;
    }

    static class PAccountPad {
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    private final PacerConfig config;
    private volatile PacerStrategy strategy;
    private volatile PacerPolicy policy;
    private long limitedCycles;
    final PAccount[] perP;
    final AtomicLong heapLive = new AtomicLong();
    private volatile long heapMarked;
    private volatile double assistWorkPerByte;
    /** Go's {@code sweepPagesPerByte}: 0 once the cycle's sweep is done. */
    private volatile double sweepPagesPerByte;
    /** The last completed cycle's figures, for a policy swapped in later. */
    private CycleResult lastCycle;
    private volatile boolean concurrent;
    /** The collector's CPU time as last handed to the policy (sysmon only). */
    private long gcCpuSeen;

    /** {@code config.gogc()} -1 is GOGC=off; per-P accounts for {@code maxprocs} Ps (GOMAXPROCS may grow to that). */
    Pacer(PacerStrategy strategy, PacerConfig config, int maxprocs) {
        this.config = config;
        this.strategy = strategy;
        this.concurrent = config.concurrent();
        this.policy = strategy.create(config);
        this.perP = new PAccount[Math.max(config.gomaxprocs(), maxprocs)];
        for (int i = 0; i < perP.length; i++) {
            perP[i] = new PAccount();
        }
    }

    PacerConfig config() {
        return config;
    }

    String name() {
        return strategy.name();
    }

    PacerStrategy strategy() {
        return strategy;
    }

    /** True when the current goal is the memory limit's, not GOGC's. */
    boolean goalLimited() {
        return policy.goalLimited();
    }

    /** The cycles whose goal the memory limit set ({@code gc.cycles.limited}). */
    synchronized long limitedCycles() {
        return limitedCycles;
    }

    long goal() {
        return policy.heapGoal();
    }

    long trigger() {
        return policy.trigger();
    }

    /**
     * The memory limit that allocation holds the heap's retained memory under (mheap.allocSpan's
     * scavenging assist), or {@link PacerConfig#NO_LIMIT}: none without a limit, under a policy
     * that predates the limit, or while the policy's CPU limiter is on (Go skips the assist
     * while {@code gcCPULimiter.limiting}).
     */
    long scavengeLimit() {
        long limit = config.memoryLimit();
        if (limit == PacerConfig.NO_LIMIT || !strategy.honoursMemoryLimit() || !policy.assistsAllowed()) {
            return PacerConfig.NO_LIMIT;
        }
        return limit;
    }

    long heapMarked() {
        return heapMarked;
    }

    double assistWorkPerByte() {
        return assistWorkPerByte;
    }

    String describe() {
        return policy.describe();
    }

    /** Adds {@code bytes} allocated on P {@code p}; returns heapLive if it was published now, else -1. */
    long allocated(int p, long bytes) {
        if (p < 0) {
            return heapLive.addAndGet(bytes);
        }
        PAccount a = perP[p];
        a.unpublished += bytes;
        if (a.unpublished < PUBLISH_BYTES) {
            return -1;
        }
        long n = a.unpublished;
        a.unpublished = 0;
        a.published = n;
        return heapLive.addAndGet(n);
    }

    /** World stopped: publish every P's unpublished allocation; returns the exact heapLive. */
    long publishAllStopped() {
        for (PAccount a : perP) {
            if (a.unpublished != 0) {
                heapLive.addAndGet(a.unpublished);
                a.unpublished = 0;
            }
        }
        return heapLive.get();
    }

    /**
     * As a cycle starts, or with none running (the controller's monitor held): {@code next} (if
     * not null) becomes the policy, picking up from the last cycle's figures. Returns the name it
     * replaced, or null.
     */
    String swap(PacerStrategy next) {
        if (next == null || next == strategy) {
            return null;
        }
        String old = strategy.name();
        PacerPolicy fresh = next.create(config);
        fresh.setConcurrent(concurrent);
        if (lastCycle != null) {
            fresh.endCycle(lastCycle);
        }
        strategy = next;
        policy = fresh;
        return old;
    }

    /** Sweep termination ({@code gcController.startCycle}): fix this cycle's goal and the assist ratio. */
    void startCycle() {
        for (PAccount a : perP) {
            a.assistCredit = 0;
        }
        policy.startCycle(heapLive.get());
        reviseAssistRatio(0, 0);
    }

    /** {@code gcController.revise}: the policy's ratio, or none while its CPU limiter holds assists off. */
    void reviseAssistRatio(long heapScanWork, long rootScanWork) {
        PacerPolicy p = policy;
        assistWorkPerByte = p.assistsAllowed() ? p.revise(heapLive.get(), heapScanWork, rootScanWork) : 0;
    }

    /**
     * Mark termination ({@code gcController.endCycle} and {@code commit}): the policy learns
     * from the cycle and sets the next goal and trigger; heapLive restarts from what was marked.
     */
    void endCycle(CycleResult cycle) {
        if (policy.goalLimited()) {
            synchronized (this) {
                limitedCycles++; // the cycle that just ended ran to the limit's goal
            }
        }
        heapMarked = cycle.heapMarked();
        heapLive.set(cycle.heapMarked());
        lastCycle = cycle;
        policy.endCycle(cycle);
        assistWorkPerByte = 0;
    }

    /**
     * From sysmon, about every millisecond: with a memory limit, the heap's memory (Go's
     * {@code mappedReady}: {@code retained}, committed and not released; {@code heapFree}: of
     * that, what is not in spans; {@code heapAlloc}: the allocator's bytes in use, Go's
     * {@code totalAlloc - totalFree}, which counts garbage until it is swept, where heapLive
     * drops to the marked heap at mark termination); and the collector's CPU time so
     * far, which never runs backwards here: between the end of marking and the cycle's record
     * the running part has left the sum but not yet reached the total, and counting it again
     * would double it.
     */
    void sample(HeapView heap, long retained, long now, long gcCpuNanos, int gomaxprocs) {
        PacerPolicy p = policy;
        if (config.memoryLimit() != PacerConfig.NO_LIMIT) {
            Allocator a = heap.allocator();
            long inSpans = a.pagesInUse() * HeapArena.PAGE_SIZE;
            p.memoryChanged(new MemoryState(retained, Math.max(0, retained - inSpans), a.bytesInUse()));
        }
        gcCpuSeen = Math.max(gcCpuSeen, gcCpuNanos);
        p.cpuSample(now, gcCpuSeen, gomaxprocs);
    }

    /**
     * Go's proportional sweep ({@code gcPaceSweeper}): the spans left to sweep, {@code pages},
     * must be swept before heapLive reaches the next trigger, so each allocated byte sweeps
     * {@code pages / (trigger - heapLive)} pages. World stopped, after the sweep cycle started.
     */
    void paceSweep(long pages) {
        long distance = trigger() - heapLive.get();
        sweepPagesPerByte = pages <= 0 ? 0 : (double) pages / Math.max(distance, PUBLISH_BYTES);
    }

    /**
     * {@code deductSweepCredit}: the pages that the bytes P {@code p} published last owe the
     * sweep now (0 most of the time). Called right after {@link #allocated} published.
     */
    long sweepDebt(int p) {
        double ratio = sweepPagesPerByte;
        if (ratio == 0 || p < 0) {
            return 0;
        }
        PAccount a = perP[p];
        a.sweepCredit += a.published * ratio;
        if (a.sweepCredit < 1) {
            return 0;
        }
        long pages = (long) a.sweepCredit;
        a.sweepCredit -= pages;
        return pages;
    }

    /** The sweep finished: allocation owes it nothing more this cycle. */
    void sweepDone() {
        sweepPagesPerByte = 0;
    }

    /** The collector marks concurrently or not (after a swap): the policy places the trigger for it. */
    void useTriggerFor(boolean concurrent) {
        this.concurrent = concurrent;
        policy.setConcurrent(concurrent);
    }
}
