package org.gort.spi.gc;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.MarkBitmap;
import org.gort.spi.heap.RootSet;
import org.gort.spi.sched.Goroutine;

/*
 * Tri-color marking (Go's mgcmark.go and mgcwork.go).
 *
 * Colours. White: mark bit clear. Grey: mark bit set and the object queued on some P's GcWork
 * (or the global full list), its slots not yet scanned. Black: mark bit set and scanned (or
 * noscan, which is black as soon as it is marked). The kernel's MarkBitmap holds the bits, so
 * the allocator's sweep frees exactly the white objects.
 *
 * shade(obj) = if the bit was clear, set it (one CAS) and queue obj: the only way an object
 * turns grey, whoever calls it (a drainer scanning a slot, a root scan, a write barrier).
 *
 * Drain (gcDrain): take a root job if one is left (markroot: the globals, or one goroutine's
 * stack), else pop a grey object and scan its pointer slots, shading each. Drainers are
 * background workers, Ps that would otherwise idle, allocating goroutines paying their assist
 * debt, and, with the world stopped, whoever runs the pause.
 *
 * Span-based marking (Green Tea, mgcmark_greenteagc.go), for a collector that declares
 * MarkQueue.SPANS: shading a small object with pointer slots (up to 512 bytes) only sets its
 * mark bit, and queues its span (the page it starts in) on the P's FIFO span queue unless the
 * span is queued already (tryDeferToSpanScan, SpanMarks.tryAcquire). A drainer takes local
 * objects first, then local spans, then global objects, then shared spans (gcDrain's order), and
 * scanSpan scans every object of the span that is marked and not scanned, in address order, so
 * objects that sit close in memory are scanned together. Larger objects go on the work buffers
 * as before. The span queues count as work wherever the buffers do: termination waits for the
 * shared span queue to be empty, drainers flush their span queue when they stop, and mark
 * termination flushes and drains every P's. SpanMarks states the invariants that keep a
 * marked object from being missed or scanned twice by concurrent drainers.
 *
 * Root jobs (the globals, then one per goroutine slot) and stack scanning are RootJobs's: a
 * drainer claims the next job before it takes a grey object.
 *
 * Publishing. A drainer is counted active while it runs a root job, so the greys of a stack it
 * scans may stay in its own buffer and the job counts as done at once: termination cannot be
 * reached before the drainer flushes and goes idle, and it tests termination then. A scan done
 * outside a drainer (a goroutine scanning itself at a safepoint, a creator's early scan, a
 * retry between drains) publishes its greys before the stack counts as scanned and before its
 * job completes, and then tests termination.
 *
 * Termination (gcMarkDone). Marking is done when no root job is pending, the global list is
 * empty and no drainer is active. Greys may still sit in a P's buffer (a write barrier shaded
 * them): Go flushes those with a ragged barrier (forEachP) before it stops the world; here
 * mark termination flushes every P's buffer with the world stopped and drains what is left, and
 * those objects count as marked inside the pause. Mutators keep that remainder small: their
 * buffers are published every 64 greys, and at once whenever a worker is parked for lack of work.
 *
 * Invariants.
 *  - A drainer is counted active from before it takes any work until its greys are back in a
 *    buffer that termination sees (its own P's, flushed on the way out, or the global list).
 *  - A drainer counts itself out only of the cycle it counted itself in: active is reset by
 *    startCycle, and a background drainer polls safepoints inside its drain, so it may be held
 *    there (stopped for a pause, its M then given no core before the next pause) from its
 *    cycle's mark termination until after the next cycle's sweep termination. Were it to
 *    decrement the new cycle's count on its way out, the count would never fall to 0 again
 *    that cycle: its marking would never be found done, and its coordinator and every
 *    goroutine waiting for the cycle would wait for ever (a deadlock the check reports).
 *  - A root job's greys are visible to termination before the job is counted done: they are
 *    in an active drainer's buffer, or published.
 *  - Sweep termination and mark termination look at no goroutine under CONCURRENT_NO_RESCAN;
 *    only the collectors whose design reads every stack in a pause do (counted, see
 *    GcRuntime.goroutinesVisited).
 *  - Nobody marks outside [startCycle, stopBlackening): the sweep that follows must see
 *    stable bits. Workers check the cycle after every safepoint; the barrier is off outside it.
 *
 * Implementation notes. A P's GcWork is used only by the thread holding the P, so it takes no
 * lock; the coordinator touches every P's buffer only with the world stopped, whose hand-shake
 * orders those accesses. A drainer polls safepoints only between objects, never with a grey
 * object held in a local variable, and re-reads its P after each poll (it may have moved).
 */
public final class Marking implements Shade, MarkState {
    /** Objects scanned between checks for a stop or a budget. */
    private static final int CHECK_EVERY = 64;
    /** A background drainer polls a safepoint every this many checks (512 objects). */
    private static final int SAFEPOINT_EVERY_CHECKS = 8;

    /** Who is draining, which decides how it may stop. */
    enum Drainer { BACKGROUND, IDLE, ASSIST, STOPPED_WORLD }

    private final GcRuntime rt;
    private final HeapView heap;
    private final MarkBitmap bits;
    final GcWork.Full full = new GcWork.Full();
    /** The span queue every P can take from (used only under MarkQueue.SPANS). */
    private final SpanQueue.Shared spanShared = new SpanQueue.Shared();
    /** Span-based marking's scan bits and queue ownership, made by the first such cycle. */
    private SpanMarks spanMarks;
    /** This cycle queues small objects by span (Green Tea); set with the world stopped. */
    private boolean spanMode;
    private final GcWork[] perP;
    /** For shading from a thread with no P (a benchmark thread storing into the heap). */
    private final GcWork noP;

    private volatile long cycle;
    /** Go's {@code gcBlackenEnabled}: marking work may run. */
    private volatile boolean blackenEnabled;
    private volatile boolean allocateBlack;

    /** The root jobs (globals and stacks) and their counters. */
    final RootJobs roots;

    // termination
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean markDone = new AtomicBoolean();
    private volatile GcRuntime.Note doneNote;
    /** Mark termination, run by the goroutine that finishes marking (see {@link #checkDone}); null: the note's sleeper runs it. */
    private volatile Runnable finisher;
    /** The goroutine whose drain ended marking and that is to run {@link #finisher} ({@link #finishIfMine}). */
    private volatile Goroutine finishing;

    // background workers waiting for work
    private final ConcurrentLinkedQueue<GcRuntime.Note> parked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nparked = new AtomicInteger();

    /** Scan work published by drainers this cycle (bytes), for the assist ratio. */
    final AtomicLong scanWorkPublished = new AtomicLong();
    private final AtomicLong backgroundCredit = new AtomicLong();
    /** Goroutines waiting for background credit to pay their assist debt (Go's work.assistQueue). */
    final AssistQueue assists = new AssistQueue();
    final LongAdder barrierShades = new LongAdder();
    /** Objects a barrier queued again ({@link #regrey}). */
    final LongAdder barrierRegreys = new LongAdder();

    public Marking(GcRuntime rt) {
        this.rt = rt;
        this.heap = rt.heap();
        this.bits = heap.markBitmap();
        this.perP = new GcWork[rt.maxprocs()];
        for (int i = 0; i < perP.length; i++) {
            perP[i] = new GcWork(full, spanShared);
            perP[i].proc = i;
        }
        this.noP = new GcWork(full, spanShared);
        this.roots = new RootJobs(this, rt, perP.length);
    }

    // ------------------------------------------------------------------ shading

    /** The write barrier's shade: mutator side, publishes greys early (see the class comment). */
    @Override
    public void shade(long obj) {
        if (obj == 0 || !blackenEnabled || !bits.mark(obj)) {
            return;
        }
        barrierShades.increment();
        queueFromMutator(obj, true);
    }

    @Override
    public boolean isMarked(long obj) {
        return obj != 0 && bits.isMarked(obj);
    }

    /**
     * Re-grey for an incremental-update barrier that re-scans the object written to: queue a
     * marked object again, as {@link #shade} queues a newly marked one (same buffer, same
     * publishing). Its bytes were counted when it was first marked; scanning it again only adds
     * scan work. A regrey queued after termination was detected is drained by mark termination,
     * which flushes every P's buffer with the world stopped, as a late shade is.
     */
    @Override
    public void regrey(long obj) {
        if (obj == 0 || !blackenEnabled || !bits.isMarked(obj) || heap.pointerSlots(obj) == 0) {
            return;
        }
        barrierRegreys.increment();
        queueFromMutator(obj, false);
    }

    /**
     * A barrier's grey goes on the calling P's buffer (off any P, on the shared one, published at
     * once), and is published early when the buffer is large or a worker waits for work (see the
     * class comment). {@code fresh}: obj was just marked and is accounted as marked here.
     */
    private void queueFromMutator(long obj, boolean fresh) {
        int p = rt.currentProc();
        if (p < 0) {
            synchronized (noP) {
                if (fresh) {
                    greyMarked(obj, noP);
                } else {
                    noP.put(obj);
                }
                noP.flush();
            }
            wakeWorker();
            return;
        }
        GcWork w = perP[p];
        if (fresh) {
            greyMarked(obj, w);
        } else {
            w.put(obj);
        }
        // A span is published at once: while it sits in this P's queue, every object marked
        // in it later waits behind it, out of the drainers' sight.
        if (w.buffered() >= GcWork.MUTATOR_FLUSH || w.spanq.size() > 0 || (nparked.get() > 0 && !w.isEmpty())) {
            w.flush();
            wakeWorker();
        }
    }

    /** {@code greyobject}: shade into {@code w}. */
    private void grey(long obj, GcWork w) {
        if (bits.mark(obj)) {
            greyMarked(obj, w);
        }
    }

    /**
     * Accounts a freshly marked object and queues it unless it is noscan (then it is black):
     * a small one by its span under MarkQueue.SPANS, any other on the work buffer.
     */
    private void greyMarked(long obj, GcWork w) {
        w.markedObjects++;
        long shape = heap.sizeAndSlots(obj);
        long size = sizeOf(obj, shape);
        w.markedBytes += size;
        if (slotsOf(obj, shape) > 0 && !(spanMode && tryDeferToSpanScan(obj, size, w))) {
            w.put(obj);
        }
    }

    /**
     * Go's {@code tryDeferToSpanScan}: a small object, already marked, waits on its span's
     * marks; the span is queued unless it is queued already. False for a larger object, which
     * the caller queues alone. Unlike Go, which reads the size class from the span, gort reads
     * the size from the object's header, as {@link #greyMarked} does for every collector.
     */
    private boolean tryDeferToSpanScan(long obj, long size, GcWork w) {
        if (size > SpanMarks.MAX_SMALL_BYTES) {
            return false;
        }
        if (spanMarks.of(obj).tryAcquire() && w.spanq.put(obj) && nparked.get() > 0) {
            wakeWorker();
        }
        return true;
    }

    /**
     * Go's {@code scanSpan}: un-queue the span, then scan every object in it that is marked and
     * not yet scanned, in address order, setting their scan bits; if only the object that queued
     * the span was marked since, scan just it. Returns the scan work (bytes).
     */
    private long scanSpan(long p, GcWork w) {
        long base = SpanMarks.base(p);
        SpanMarks.Span span = spanMarks.of(base);
        w.spanVisits++;
        if (span.release() == SpanMarks.ONE_MARK) {
            if (!span.setScanned(p)) {
                return 0;
            }
            w.spanObjects++;
            return scanObject(p, w);
        }
        // spanSetScans first, for the whole span: objects this visit marks in the span wait
        // for the visit its requeueing brings, as in Go.
        long[] toScan = w.spanToScan;
        int any = 0;
        for (int i = 0; i < SpanMarks.WORDS; i++) {
            long marks = bits.word(base + (long) i * MarkBitmap.WORD_BYTES);
            long todo = marks == 0 ? 0 : span.setScans(i, marks);
            toScan[i] = todo;
            any |= todo != 0 ? 1 : 0;
        }
        if (any == 0) {
            return 0;
        }
        long work = 0;
        for (int i = 0; i < SpanMarks.WORDS; i++) {
            for (long todo = toScan[i]; todo != 0; todo &= todo - 1) {
                long obj = base + (((long) i << 6) + Long.numberOfTrailingZeros(todo)) * MarkBitmap.GRANULE;
                // black already (noscan), or queued alone (large): its bit only says so now
                long shape = heap.sizeAndSlots(obj);
                int slots = slotsOf(obj, shape);
                long size = sizeOf(obj, shape);
                if (slots > 0 && size <= SpanMarks.MAX_SMALL_BYTES) {
                    w.spanObjects++;
                    work += scanObject(obj, slots, size, w);
                }
            }
        }
        return work;
    }

    /** {@code gcmarknewobject}: an object allocated while marking, with allocate-black on, on P {@code p} (-1: none). */
    void markNewObject(long addr, long size, int p) {
        if (!allocateBlack) {
            return;
        }
        if (spanMode && size <= SpanMarks.MAX_SMALL_BYTES) {
            // gcmarknewobject under Green Tea: scanned as well, so no span visit scans it; set
            // before the mark bit, so a visit never sees it marked and not scanned
            spanMarks.of(addr).setScanned(addr);
        }
        if (!bits.mark(addr)) {
            return;
        }
        if (p < 0) {
            synchronized (noP) {
                noP.markedObjects++;
                noP.markedBytes += size;
            }
            return;
        }
        GcWork w = perP[p];
        w.markedObjects++;
        w.markedBytes += size;
    }

    /** {@code scanobject}: shade every pointer slot of a grey object, making it black. */
    private long scanObject(long obj, GcWork w) {
        long shape = heap.sizeAndSlots(obj);
        return scanObject(obj, slotsOf(obj, shape), sizeOf(obj, shape), w);
    }

    /** The pointer slots of {@code obj} from its {@link HeapView#sizeAndSlots} answer {@code shape}. */
    private int slotsOf(long obj, long shape) {
        return shape >= 0 ? (int) shape : heap.pointerSlots(obj);
    }

    /** The size of {@code obj} from its {@link HeapView#sizeAndSlots} answer {@code shape}. */
    private long sizeOf(long obj, long shape) {
        return shape >= 0 ? shape >>> 32 : heap.objectSize(obj);
    }

    /** {@link #scanObject(long, GcWork)} with the object's pointer slots and size read already. */
    private long scanObject(long obj, int n, long size, GcWork w) {
        for (int i = 0; i < n; i++) {
            long c = heap.pointerAt(obj, i);
            if (c != 0) {
                grey(c, w);
            }
        }
        w.scanWork += size;
        w.unpublishedScanWork += size;
        w.objectsScanned++;
        return size;
    }

    /** Shades every address in {@code roots}; returns the slots read. */
    int scanRoots(RootSet set, GcWork w) {
        int n = set.size();
        for (int i = 0; i < n; i++) {
            long v = set.get(i);
            if (v != 0) {
                grey(v, w);
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ the cycle

    /**
     * Sweep termination, world stopped ({@code gcMarkRootPrepare} and friends): reset the
     * buffers and counters, queue the root jobs, and set the allocation colour. {@code whenDone}
     * is woken when marking ends; a goroutine that ends it while draining runs
     * {@code finishMarking} itself instead (Go's gcMarkDone on the goroutine that found no more
     * work), which must wake {@code whenDone} once done. Null: the note's sleeper runs it.
     */
    void startCycle(long cycleNumber, CollectorNeeds needs, GcRuntime.Note whenDone, Runnable finishMarking) {
        cycle = cycleNumber;
        markDone.set(false);
        active.set(0);
        full.clear();
        spanShared.clear();
        spanMode = needs.queue() == MarkQueue.SPANS;
        if (spanMode) {
            if (spanMarks == null) {
                spanMarks = new SpanMarks(heap.maxHeapBytes());
            }
            spanMarks.cycle = cycleNumber;
        }
        for (GcWork w : perP) {
            w.discard();
        }
        noP.discard();
        baseObjects = sum(Counter.MARKED_OBJECTS);
        baseBytes = sum(Counter.MARKED_BYTES);
        baseScanWork = sum(Counter.SCAN_WORK);
        scanWorkPublished.set(0);
        backgroundCredit.set(0);
        barrierShades.reset();
        barrierRegreys.reset();
        doneNote = whenDone;
        finisher = finishMarking;
        finishing = null;
        roots.startCycle(needs);
        allocateBlack = needs.concurrentMark() && needs.allocation() == AllocationColour.BLACK_WHILE_MARKING;
    }

    /** Go's {@code gcBlackenEnabled = 1}: set with the world stopped, before it restarts. */
    void startBlackening() {
        blackenEnabled = true;
    }

    /** Mark termination, world stopped: no more concurrent marking; wake parked workers so they exit. */
    void stopBlackening() {
        blackenEnabled = false;
        allocateBlack = false;
        markDone.set(true);
        wakeAllWorkers();
    }

    boolean blackening() {
        return blackenEnabled;
    }

    boolean allocatingBlack() {
        return allocateBlack;
    }

    long cycle() {
        return cycle;
    }

    boolean markDone() {
        return markDone.get();
    }

    /** World stopped: scan the globals and every goroutine's stack into the caller's buffer. */
    void scanAllRootsStopped(boolean globals) {
        GcWork w = currentWork();
        if (globals) {
            roots.scanGlobals(w);
        }
        roots.scanAllStacksStopped(w);
    }

    /** World stopped: every stack, now ({@link StackScan#ALL_AT_START}, a re-scan, or an STW mark). */
    void scanAllStacksStopped() {
        roots.scanAllStacksStopped(currentWork());
    }

    /** World stopped: publish every P's buffer to the global list ({@code forEachP(gcw.dispose)}). */
    void flushAllStopped() {
        for (GcWork w : perP) {
            w.flush();
        }
        synchronized (noP) {
            noP.flush();
        }
    }

    /** World stopped: drain every grey object on the calling thread; returns the scan work done. */
    long drainAllStopped() {
        flushAllStopped();
        GcWork w = currentWork();
        long work = 0;
        while (true) {
            long obj = w.tryGet();
            if (obj != 0) {
                work += scanObject(obj, w);
                continue;
            }
            long s = w.spanq.tryGet();
            if (s == 0) {
                return work;
            }
            work += scanSpan(s, w);
        }
    }

    // The per-P counters only grow; a cycle's figures are differences from its start.
    private long baseObjects;
    private long baseBytes;
    private long baseScanWork;

    /**
     * Which per-P counter {@link #sum} adds up. A selector, not a lambda per counter: one call
     * site fed six lambdas deoptimized its compilation whenever a third kind arrived, in a pause.
     */
    private enum Counter { MARKED_OBJECTS, MARKED_BYTES, SCAN_WORK, OBJECTS_SCANNED, SPAN_VISITS, SPAN_OBJECTS }

    private long sum(Counter c) {
        long n = counter(noP, c);
        for (GcWork w : perP) {
            n += counter(w, c);
        }
        return n;
    }

    private static long counter(GcWork w, Counter c) {
        return switch (c) {
            case MARKED_OBJECTS -> w.markedObjects;
            case MARKED_BYTES -> w.markedBytes;
            case SCAN_WORK -> w.scanWork;
            case OBJECTS_SCANNED -> w.objectsScanned;
            case SPAN_VISITS -> w.spanVisits;
            case SPAN_OBJECTS -> w.spanObjects;
        };
    }

    /** Objects marked since the run began: exact with the world stopped (a pause's difference). */
    long markedObjectsTotal() {
        return sum(Counter.MARKED_OBJECTS);
    }

    /** Objects marked this cycle, allocated-black ones included: exact with the world stopped. */
    long markedObjects() {
        return markedObjectsTotal() - baseObjects;
    }

    long markedBytes() {
        return sum(Counter.MARKED_BYTES) - baseBytes;
    }

    long scanWork() {
        return sum(Counter.SCAN_WORK) - baseScanWork;
    }

    /** Objects scanned since the run began (exact once marking is over). */
    long objectsScannedTotal() {
        return sum(Counter.OBJECTS_SCANNED);
    }

    /** Span visits since the run began (MarkQueue.SPANS cycles only). */
    long spanVisitsTotal() {
        return sum(Counter.SPAN_VISITS);
    }

    /** Objects those span visits scanned. */
    long spanObjectsTotal() {
        return sum(Counter.SPAN_OBJECTS);
    }

    GcWork currentWork() {
        int p = rt.currentProc();
        if (p < 0) {
            throw new IllegalStateException("marking from a thread that holds no P");
        }
        return perP[p];
    }

    // ------------------------------------------------------------------ draining

    /**
     * {@code gcDrain}: marks until there is no work, {@code budget} bytes of scan work are done,
     * or {@code stop} says so. Returns the scan work done (bytes; root slots count 8 each, as
     * {@code markroot}'s work counts toward an assist in {@code gcDrainN}). {@code BACKGROUND}
     * drainers poll safepoints; the others must not (an assist runs inside an allocation, an
     * idle M runs no goroutine). Root jobs and objects alike count toward the next check, so a
     * long run of stack jobs still polls; a background drainer polls at once at a check when a
     * stop-the-world is pending, and an assist is stopped by it through {@code stop}.
     */
    long drain(Drainer who, long budget, BooleanSupplier stop) {
        int p = rt.currentProc();
        if (p < 0 || !blackenEnabled) {
            return 0;
        }
        long myCycle = cycle;
        active.incrementAndGet();
        long work = 0;
        GcWork w = perP[p];
        boolean completed = false;
        try {
            int sinceCheck = 0;
            int checks = 0;
            while (blackenEnabled && cycle == myCycle) {
                long rootWork = roots.claimable() ? roots.runNext(w) : -1;
                if (rootWork >= 0) {
                    work += rootWork;
                } else if (spanMode) {
                    long done = drainOneGreenTea(w);
                    if (done < 0) {
                        break;
                    }
                    work += done;
                } else {
                    long obj = w.tryGet();
                    if (obj == 0) {
                        break;
                    }
                    work += scanObject(obj, w);
                }
                if (full.isEmpty()) {
                    w.balance();
                    if (nparked.get() > 0 && !full.isEmpty()) {
                        wakeWorker();
                    }
                }
                if (++sinceCheck >= CHECK_EVERY) {
                    sinceCheck = 0;
                    publishScanWork(w, who);
                    if (work >= budget || stopped(stop)) {
                        break;
                    }
                    // gcDrain's "for !(gp.preempt && ...)": a pending stop is honoured at the
                    // next check, not after up to SAFEPOINT_EVERY_CHECKS of them.
                    if (who == Drainer.BACKGROUND && (++checks % SAFEPOINT_EVERY_CHECKS == 0 || rt.stopRequested())) {
                        // Hold nothing across the poll: this goroutine may resume on another P.
                        if (w.flush()) {
                            wakeWorker();
                        }
                        rt.checkpoint();
                        w = perP[rt.currentProc()];
                    }
                }
            }
            completed = true;
        } finally {
            publishScanWork(w, who);
            if (w.flush()) {
                wakeWorker();
            }
            // A background drainer held at a safepoint while its cycle ended and the next one
            // started (its M got no core in between) was counted in a count that startCycle has
            // reset since: it must not count itself out of the new cycle's drainers.
            if (cycle == myCycle && active.decrementAndGet() == 0) {
                checkDoneDraining(who, completed);
            }
        }
        return work;
    }

    /**
     * {@code stop}'s answer, out of line (launcher/jit-hints): each kind of drainer passes its
     * own condition, and a call site that had seen two of them when C2 compiled drain
     * deoptimized the whole mark loop when a third came (a cold run compiled it again).
     */
    private static boolean stopped(BooleanSupplier stop) {
        return stop.getAsBoolean();
    }

    /**
     * One unit of Green Tea's gcDrain: a grey object from this P's buffer, else a span from this
     * P's queue, else an object from the global list, else a span from the shared queue. Objects
     * first, so that a span waits (and gathers marks) while other work remains. Returns the
     * scan work, -1 if there was no work.
     */
    private long drainOneGreenTea(GcWork w) {
        long obj = w.tryGetFast();
        if (obj != 0) {
            return scanObject(obj, w);
        }
        long s = w.spanq.tryGetFast();
        if (s != 0) {
            return scanSpan(s, w);
        }
        obj = w.tryGet();
        if (obj != 0) {
            return scanObject(obj, w);
        }
        s = w.spanq.tryGet();
        return s != 0 ? scanSpan(s, w) : -1;
    }

    private void publishScanWork(GcWork w, Drainer who) {
        long n = w.unpublishedScanWork;
        if (n > 0) {
            scanWorkPublished.addAndGet(n);
            if (who == Drainer.BACKGROUND || who == Drainer.IDLE) {
                flushBackgroundCredit(n);
            }
            w.unpublishedScanWork = 0;
        }
    }

    /** {@code gcFlushBgCredit}: {@code work} units of scan work pay parked assists first, the rest is banked. */
    void flushBackgroundCredit(long work) {
        long rest = assists.anyParked() ? assists.pay(work) : work;
        if (rest > 0) {
            backgroundCredit.addAndGet(rest);
        }
    }

    /**
     * Go's {@code gcController.bgScanCredit}: an assist takes up to {@code debt} bytes of the
     * scan work background drainers did, instead of marking itself. Returns what it took.
     */
    long stealBackgroundCredit(long debt) {
        while (true) {
            long c = backgroundCredit.get();
            if (c <= 0) {
                return 0;
            }
            long take = Math.min(c, debt);
            if (backgroundCredit.compareAndSet(c, c - take)) {
                return take;
            }
        }
    }

    /** True if the credit pool holds background scan work an assist could take. */
    boolean backgroundCreditAvailable() {
        return backgroundCredit.get() > 0;
    }

    /** True if P {@code p}'s own buffer holds grey objects (called by the thread holding P {@code p}). */
    boolean hasLocalWork(int p) {
        return p >= 0 && (!perP[p].isEmpty() || perP[p].spanq.size() > 0);
    }

    /** True while some marking work is visible to a drainer ({@code gcMarkWorkAvailable}). */
    boolean workAvailable() {
        return blackenEnabled && (!full.isEmpty() || !spanShared.isEmpty() || roots.claimable());
    }

    /** The mark phase's bookkeeping, for {@code status}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        roots.describe(sb);
        sb.append(", drainers ").append(active.get()).append(", parked workers ").append(nparked.get())
                .append(full.isEmpty() ? ", no global work" : ", global work queued")
                .append(markDone.get() ? ", mark done" : "");
        return sb.toString();
    }

    // ------------------------------------------------------------------ termination and parking

    /**
     * {@code gcMarkDone}'s test: called by whoever may have finished the last piece of work.
     * The note's sleeper (the cycle's coordinator) then runs mark termination, and the calling
     * goroutine gives it a P at its next safepoint (a scheduler that never preempts would
     * otherwise leave it waiting).
     */
    void checkDone() {
        if (endMarking(true)) {
            rt.preemptCurrent();
        }
    }

    /**
     * The test, and marking's end if it passes: true if this call ended marking. With
     * {@code wakeCoordinator} false the caller runs mark termination (the finisher), which
     * wakes the note when done.
     */
    private boolean endMarking(boolean wakeCoordinator) {
        if (blackenEnabled && roots.nonePending() && full.isEmpty() && spanShared.isEmpty() && active.get() == 0
                && full.isEmpty() && spanShared.isEmpty() && markDone.compareAndSet(false, true)) {
            GcRuntime.Note d = doneNote;
            if (wakeCoordinator && d != null) {
                d.wakeup();
            }
            wakeAllWorkers();
            return true;
        }
        return false;
    }

    /**
     * The test for a drainer that has just counted itself out. A goroutine that ends marking
     * while draining (a background worker, or an assist inside an allocation, before it
     * allocates) runs mark termination itself once it has accounted its marking time
     * ({@link #finishIfMine}), as Go's gcMarkDone runs on the goroutine that found no more work:
     * stopped from the P it holds, the world does not wait for a coordinator to be readied and
     * given a P, nor for an M woken to run it. Otherwise (an M marking on an idle P, an
     * allocation off any goroutine, a drain ended by an exception) the coordinator is woken.
     */
    private void checkDoneDraining(Drainer who, boolean completed) {
        Runnable f = finisher;
        Goroutine g = f != null && completed && (who == Drainer.BACKGROUND || who == Drainer.ASSIST)
                ? rt.currentGoroutine() : null;
        if (g == null) {
            checkDone();
        } else if (endMarking(false)) {
            finishing = g;
        }
    }

    /**
     * Runs mark termination if the calling goroutine's drain just ended marking (see
     * {@link #checkDoneDraining}). Background workers and assists call it right after a drain,
     * once its time is counted (Go's gcBgMarkWorker calls gcMarkDone after markWorkerStop).
     */
    void finishIfMine() {
        Goroutine g = finishing;
        Runnable f = finisher;
        if (g != null && g == rt.currentGoroutine() && markDone.get() && f != null) {
            finishing = null;
            f.run();
        }
    }

    /**
     * A background worker with nothing to do parks until work is published or marking ends.
     * Returns without parking if there is work after all.
     */
    void parkWorker() {
        GcRuntime.Note n = rt.newNote("GC worker (idle)");
        parked.add(n);
        nparked.incrementAndGet();
        if (workAvailable() || markDone.get() || !blackenEnabled || rt.shuttingDown()) {
            if (parked.remove(n)) {
                nparked.decrementAndGet();
            }
            return;
        }
        n.sleep();
    }

    void wakeWorker() {
        if (nparked.get() > 0) {
            GcRuntime.Note n = parked.poll();
            if (n != null) {
                nparked.decrementAndGet();
                n.wakeup();
            }
        }
    }

    void wakeAllWorkers() {
        for (GcRuntime.Note n; (n = parked.poll()) != null; ) {
            nparked.decrementAndGet();
            n.wakeup();
        }
    }
}
