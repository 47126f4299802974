package org.gort.spi.gc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.gort.spi.sched.Goroutine;

/*
 * Root jobs and stack scanning (Go's gcMarkRootPrepare, markroot, scanstack and allgs), the
 * roots' part of Marking.
 *
 * Root jobs. Sweep termination does O(1) work for the stacks, whatever the number of
 * goroutines: as gcMarkRootPrepare sets work.nStackRoots = allglen, startCycle reads the
 * kernel's goroutine slot count (GcRuntime.goroutineSlots, Go's allglen) and queues jobs as
 * numbers only: job 0 is the globals, job 1 + i the stack of whichever goroutine is in slot i
 * when a drainer claims the job (markroot indexes allgs[i]). Nothing per goroutine is built, and
 * no goroutine is looked at, with the world stopped.
 *
 *  - Every goroutine alive at sweep termination is in a slot below the count, and keeps it
 *    until it dies, so its slot's job scans it unless it died first (then it has no stack).
 *  - A goroutine created during marking may take a slot below the count that a dead one freed.
 *    Under CONCURRENT_NO_RESCAN (hybrid) it is already black (goroutineCreated) and its job
 *    finds it scanned; under CONCURRENT_RESCAN_AT_TERMINATION (Dijkstra) scanning it is
 *    harmless, and every stack is scanned again at mark termination anyway. ALL_AT_START
 *    (Yuasa) and ALL_IN_STW scan every stack inside a pause, by design, and have no stack jobs.
 *  - Each stack is scanned at most once per cycle without any map: the goroutine's own stack
 *    colour (GcRuntime.stackScannedCycle, Go's gcscandone) is tested and set by the scanner
 *    while it holds the stack (the _Gscan hand-shake, or the goroutine itself at a safepoint),
 *    so two scanners of one stack are never inside at once.
 *
 * A stack is read only while its goroutine is stopped: tryScanStack scans a goroutine that is
 * parked or runnable (the _Gscan hand-shake keeps it from resuming meanwhile); a running one is
 * asked to scan itself at its next safepoint (requestSelfScan), and only then is a SelfScan
 * object allocated: its job stays pending until the goroutine scanned itself or a drainer's
 * retry found it stopped (which covers a goroutine that exits without passing another
 * safepoint). Each job completes (pending is decremented) exactly once: a claimed index
 * completes in markroot, a pending self-scan through its own flag.
 *
 * Publishing (Marking's rule): a job run by a drainer leaves its greys in the drainer's buffer,
 * since the drainer is counted active; a scan outside a drainer publishes them before the stack
 * counts as scanned and before its job completes, then tests termination.
 *
 * Implementation notes. The job counters are written by whoever claims or completes a job;
 * the per-P StackScanner only by the thread holding that P. The slot counters only grow: a
 * pause or a cycle reads its difference.
 */
final class RootJobs {
    private final Marking marking;
    private final GcRuntime rt;
    private final HeapView heap;

    /** {@code work.markrootJobs}: 0 when the cycle has no root jobs, else 1 + stack slots. */
    private volatile int jobs;
    /** {@code work.markrootNext}. */
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final ConcurrentLinkedQueue<SelfScan> awaitingSelfScan = new ConcurrentLinkedQueue<>();
    private volatile boolean scanNewStacks;
    /** Each P's reusable stack scan for its drainers' root jobs (used only by the thread holding the P). */
    private final StackScanner[] scanners;

    /** Root slots read since the run began (pauses count their difference). */
    final LongAdder stackSlots = new LongAdder();
    /** {@link #stackSlots} when this cycle began. */
    private long stackSlotsAtStart;
    final LongAdder globalSlots = new LongAdder();
    final LongAdder stacksScanned = new LongAdder();
    final LongAdder selfScans = new LongAdder();

    RootJobs(Marking marking, GcRuntime rt, int procs) {
        this.marking = marking;
        this.rt = rt;
        this.heap = rt.heap();
        this.scanners = new StackScanner[procs];
        for (int i = 0; i < procs; i++) {
            scanners[i] = new StackScanner();
        }
    }

    /** Sweep termination, world stopped ({@code gcMarkRootPrepare}): how many jobs, not what they are. */
    void startCycle(CollectorNeeds needs) {
        stacksScanned.reset();
        selfScans.reset();
        awaitingSelfScan.clear();
        scanNewStacks = needs.stacks() == StackScan.CONCURRENT_NO_RESCAN;
        stackSlotsAtStart = stackSlots.sum();
        int n = 0;
        if (needs.concurrentMark()) {
            n = 1;
            if (needs.stacks() == StackScan.CONCURRENT_RESCAN_AT_TERMINATION
                    || needs.stacks() == StackScan.CONCURRENT_NO_RESCAN) {
                n += rt.goroutineSlots();
            }
        }
        next.set(0);
        pending.set(n);
        jobs = n;
    }

    /** True while a job is left to claim. */
    boolean claimable() {
        return next.get() < jobs;
    }

    /** True while a job is not complete (claimed or not). */
    boolean pending() {
        return pending.get() > 0;
    }

    boolean nonePending() {
        return pending.get() == 0;
    }

    /**
     * Stack slots scanned this cycle, re-scans included (Go's {@code gcController.stackScanWork}
     * in slots): counted as stacks are scanned, so the pacer never walks the goroutines.
     */
    long cycleStackSlots() {
        return stackSlots.sum() - stackSlotsAtStart;
    }

    /** {@code markroot}: claims and runs the next root job; returns the bytes of roots read, -1 if no job was left. */
    long runNext(GcWork w) {
        int i = next.getAndIncrement();
        if (i >= jobs) {
            return -1;
        }
        if (i == 0) {
            int n = scanGlobals(w);
            pending.decrementAndGet(); // the greys are in this active drainer's buffer
            return 8L * n;
        }
        return 8L * markrootStack(i - 1, w);
    }

    /** The globals, the channel buffers and the finalizer roots, shaded into {@code w}; returns the slots read. */
    int scanGlobals(GcWork w) {
        int n = marking.scanRoots(heap.globals(), w) + marking.scanRoots(heap.channelBuffers(), w)
                + marking.scanRoots(heap.finalizerRoots(), w);
        globalSlots.add(n);
        return n;
    }

    /** World stopped: every goroutine's stack, now, into {@code w}. */
    void scanAllStacksStopped(GcWork w) {
        long c = marking.cycle();
        Consumer<RootSet> scan = roots -> {
            stackSlots.add(marking.scanRoots(roots, w));
            stacksScanned.increment();
        };
        rt.forEachGoroutine(g -> {
            boolean scanned = rt.tryScanStack(g, scan);
            if (!scanned) {
                throw new IllegalStateException("goroutine " + g.id() + " is running while the world is stopped");
            }
            rt.setStackScannedCycle(g, c);
        });
    }

    /**
     * A goroutine was created while marking, by {@code creator} (the calling goroutine). Under
     * {@link StackScan#CONCURRENT_NO_RESCAN} stacks are never re-scanned, and Go treats a new
     * goroutine's stack as black because its {@code go} statement shades the arguments it
     * copies from a grey stack. Here the new goroutine's closure may carry addresses its
     * creator holds, which no barrier sees; so if the creator's stack is still grey, the
     * creator scans it now (its stack job then finds it scanned: everything it could pass on
     * is shaded), and the new stack starts black, as in Go. The creator is running on this
     * thread, so its stack is consistent.
     */
    void goroutineCreated(Goroutine creator, Goroutine child) {
        if (!marking.blackening() || !scanNewStacks || creator == null) {
            return;
        }
        long c = marking.cycle();
        if (rt.stackScannedCycle(creator) != c) {
            rt.tryScanStack(creator, roots -> scanStack(creator, roots, marking.currentWork(), c, true, true));
        }
        rt.setStackScannedCycle(child, c);
    }

    /**
     * The stack job of slot {@code slot}: scans the goroutine in it now unless its stack is
     * already black this cycle, or asks it to scan itself if it is running.
     */
    private int markrootStack(int slot, GcWork w) {
        long c = marking.cycle();
        Goroutine g = rt.goroutineAt(slot);
        if (g == null || rt.stackScannedCycle(g) == c) {
            pending.decrementAndGet();
            return 0;
        }
        StackScanner s = scanners[w.proc];
        s.g = g;
        s.w = w;
        s.c = c;
        s.read = 0;
        boolean scanned = rt.tryScanStack(g, s);
        int read = s.read;
        s.g = null;
        s.w = null;
        if (scanned) {
            pending.decrementAndGet(); // the greys are in this active drainer's buffer
            return read;
        }
        SelfScan job = new SelfScan(g, c);
        rt.requestSelfScan(g, job::scanSelf);
        awaitingSelfScan.add(job);
        return 0;
    }

    /**
     * Scans {@code g}'s stack into {@code w} unless it is black this cycle already; called with
     * the stack held, so the test and the colouring cannot race another scanner. Outside a
     * drainer ({@code publish}) the greys are published before the stack counts as scanned.
     * Returns the slots it read (0 if the stack was black already).
     */
    private int scanStack(Goroutine g, RootSet roots, GcWork w, long c, boolean self, boolean publish) {
        if (rt.stackScannedCycle(g) == c) {
            return 0;
        }
        int n = marking.scanRoots(roots, w);
        stackSlots.add(n);
        stacksScanned.increment();
        if (self) {
            selfScans.increment();
        }
        if (publish && w.flush()) {
            marking.wakeWorker();
        }
        rt.setStackScannedCycle(g, c);
        if (!self && !rt.started(g)) {
            // Black now, but its body has not begun: what its creator handed it is still in
            // captures. Armed while the stack is held, so before the body can begin.
            rt.requestSelfScan(g, own -> shadeHandedOver(own, c));
        }
        return n;
    }

    /**
     * Run by a goroutine at its first safepoint when its stack was scanned, black, before its
     * body began: shades what it has rooted since, which is what its creator handed it. Without
     * this a creator that dropped its own reference before its stack was scanned would leave the
     * object in a black stack only (the mutator fuzz found it so under hybrid). Go needs no such
     * step: a new goroutine's arguments are on its stack from the start.
     */
    private void shadeHandedOver(RootSet roots, long c) {
        if (marking.cycle() != c || !marking.blackening()) {
            return;
        }
        GcWork w = marking.currentWork();
        marking.scanRoots(roots, w);
        if (w.flush()) {
            marking.wakeWorker();
        }
    }

    /** A drainer's stack scan, reused for every root job on its P: markroot allocates nothing for a stopped goroutine. */
    private final class StackScanner implements Consumer<RootSet> {
        Goroutine g;
        GcWork w;
        long c;
        int read;

        @Override
        public void accept(RootSet roots) {
            read = scanStack(g, roots, w, c, false, false);
        }
    }

    /** A stack job whose goroutine was running when claimed: it scans itself, or a retry finds it stopped. */
    private final class SelfScan {
        final Goroutine g;
        final long jobCycle;
        final AtomicBoolean done = new AtomicBoolean();

        SelfScan(Goroutine g, long jobCycle) {
            this.g = g;
            this.jobCycle = jobCycle;
        }

        /** Run by the goroutine itself at its next safepoint, outside any drainer. */
        void scanSelf(RootSet roots) {
            if (marking.cycle() != jobCycle || !marking.blackening() || done.get()) {
                return;
            }
            scanStack(g, roots, marking.currentWork(), jobCycle, true, true);
            complete();
        }

        /** Completes the job once (its greys are published); then tests for termination. */
        boolean complete() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            pending.decrementAndGet();
            marking.checkDone();
            return true;
        }
    }

    /**
     * Retries the stack jobs whose goroutine was running: it may have parked or exited since
     * (a worker between drains, so it publishes). Returns true if any job completed.
     */
    boolean retrySelfScans() {
        boolean progress = false;
        int n = awaitingSelfScan.size();
        for (int i = 0; i < n; i++) {
            SelfScan job = awaitingSelfScan.poll();
            if (job == null) {
                break;
            }
            if (job.done.get() || job.jobCycle != marking.cycle() || !marking.blackening()) {
                progress = true;
                continue;
            }
            Goroutine g = job.g;
            if (rt.stackScannedCycle(g) == job.jobCycle
                    || rt.tryScanStack(g, roots -> scanStack(g, roots, marking.currentWork(), job.jobCycle, false, true))) {
                job.complete();
                progress = true;
            } else {
                awaitingSelfScan.add(job);
            }
        }
        return progress;
    }

    /** The jobs' bookkeeping, for {@code status}. */
    void describe(StringBuilder sb) {
        int js = jobs;
        sb.append("roots ").append(Math.min(next.get(), js)).append('/').append(js).append(" claimed")
                .append(js > 0 ? " (globals + " + (js - 1) + " goroutine slots), " : ", ")
                .append(pending.get()).append(" pending");
        int waiting = awaitingSelfScan.size();
        if (waiting > 0) {
            sb.append(" (").append(waiting).append(" awaiting a self-scan)");
        }
    }
}
