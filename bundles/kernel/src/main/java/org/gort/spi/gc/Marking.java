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
 * debt, and the coordinator with the world stopped.
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
 * Root jobs (gcMarkRootPrepare, markroot, allgs). Sweep termination does O(1) work for the
 * stacks, whatever the number of goroutines: as gcMarkRootPrepare sets work.nStackRoots =
 * allglen, startCycle reads the kernel's goroutine slot count (GcRuntime.goroutineSlots, Go's
 * allglen) and queues jobs as numbers only: job 0 is the globals, job 1 + i the stack of
 * whichever goroutine is in slot i when a drainer claims the job (markroot indexes allgs[i]).
 * Nothing per goroutine is built, and no goroutine is looked at, with the world stopped.
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
 * safepoint). Each job completes (rootsPending is decremented) exactly once: a claimed index
 * completes in markroot, a pending self-scan through its own flag.
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
    /** Each P's reusable stack scan for its drainers' root jobs (used only by the thread holding the P). */
    private final StackScanner[] scanners;
    /** For shading from a thread with no P (a benchmark thread storing into the heap). */
    private final GcWork noP;

    private volatile long cycle;
    /** Go's {@code gcBlackenEnabled}: marking work may run. */
    private volatile boolean blackenEnabled;
    private volatile boolean allocateBlack;

    // root jobs (gcMarkRootPrepare / markroot): 0 the globals, 1 + i the goroutine in slot i
    /** {@code work.markrootJobs}: 0 when the cycle has no root jobs, else 1 + stack slots. */
    private volatile int rootJobs;
    /** {@code work.markrootNext}. */
    private final AtomicInteger nextJob = new AtomicInteger();
    private final AtomicInteger rootsPending = new AtomicInteger();
    private final ConcurrentLinkedQueue<SelfScan> awaitingSelfScan = new ConcurrentLinkedQueue<>();
    private volatile boolean scanNewStacks;

    // termination
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean markDone = new AtomicBoolean();
    private volatile GcRuntime.Note doneNote;

    // background workers waiting for work
    private final ConcurrentLinkedQueue<GcRuntime.Note> parked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nparked = new AtomicInteger();

    /** Scan work published by drainers this cycle (bytes), for the assist ratio. */
    final AtomicLong scanWorkPublished = new AtomicLong();
    private final AtomicLong backgroundCredit = new AtomicLong();
    /** Goroutines waiting for background credit to pay their assist debt (Go's work.assistQueue). */
    final AssistQueue assists = new AssistQueue();
    /** Root slots read since the run began (pauses count their difference). */
    final LongAdder stackSlots = new LongAdder();
    /** {@link #stackSlots} when this cycle began. */
    private long stackSlotsAtStart;
    final LongAdder globalSlots = new LongAdder();
    final LongAdder stacksScanned = new LongAdder();
    final LongAdder selfScans = new LongAdder();
    final LongAdder barrierShades = new LongAdder();
    /** Objects a barrier queued again ({@link #regrey}). */
    final LongAdder barrierRegreys = new LongAdder();

    public Marking(GcRuntime rt) {
        this.rt = rt;
        this.heap = rt.heap();
        this.bits = heap.markBitmap();
        this.perP = new GcWork[rt.maxprocs()];
        this.scanners = new StackScanner[perP.length];
        for (int i = 0; i < perP.length; i++) {
            perP[i] = new GcWork(full, spanShared);
            perP[i].proc = i;
            scanners[i] = new StackScanner();
        }
        this.noP = new GcWork(full, spanShared);
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
    private int scanRoots(RootSet roots, GcWork w) {
        int n = roots.size();
        for (int i = 0; i < n; i++) {
            long v = roots.get(i);
            if (v != 0) {
                grey(v, w);
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ the cycle

    /**
     * Sweep termination, world stopped ({@code gcMarkRootPrepare} and friends): reset the
     * buffers and counters, queue the root jobs, and set the allocation colour.
     */
    void startCycle(long cycleNumber, CollectorNeeds needs, GcRuntime.Note whenDone) {
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
        baseObjects = sum(w -> w.markedObjects);
        baseBytes = sum(w -> w.markedBytes);
        baseScanWork = sum(w -> w.scanWork);
        scanWorkPublished.set(0);
        backgroundCredit.set(0);
        stacksScanned.reset();
        selfScans.reset();
        barrierShades.reset();
        barrierRegreys.reset();
        awaitingSelfScan.clear();
        scanNewStacks = needs.stacks() == StackScan.CONCURRENT_NO_RESCAN;
        doneNote = whenDone;
        stackSlotsAtStart = stackSlots.sum();
        // gcMarkRootPrepare: how many jobs, not what they are (see the class comment).
        int n = 0;
        if (needs.concurrentMark()) {
            n = 1;
            if (needs.stacks() == StackScan.CONCURRENT_RESCAN_AT_TERMINATION
                    || needs.stacks() == StackScan.CONCURRENT_NO_RESCAN) {
                n += rt.goroutineSlots();
            }
        }
        nextJob.set(0);
        rootsPending.set(n);
        rootJobs = n;
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
            globalSlots.add(scanRoots(heap.globals(), w) + scanRoots(heap.channelBuffers(), w)
                    + scanRoots(heap.finalizerRoots(), w));
        }
        scanAllStacksStopped(w);
    }

    /** World stopped: every stack, now ({@link StackScan#ALL_AT_START}, a re-scan, or an STW mark). */
    void scanAllStacksStopped() {
        scanAllStacksStopped(currentWork());
    }

    private void scanAllStacksStopped(GcWork w) {
        long c = cycle;
        java.util.function.Consumer<RootSet> scan = roots -> {
            stackSlots.add(scanRoots(roots, w));
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

    private long sum(java.util.function.ToLongFunction<GcWork> f) {
        long n = f.applyAsLong(noP);
        for (GcWork w : perP) {
            n += f.applyAsLong(w);
        }
        return n;
    }

    /** Objects marked since the run began: exact with the world stopped (a pause's difference). */
    long markedObjectsTotal() {
        return sum(w -> w.markedObjects);
    }

    /** Objects marked this cycle, allocated-black ones included: exact with the world stopped. */
    long markedObjects() {
        return markedObjectsTotal() - baseObjects;
    }

    long markedBytes() {
        return sum(w -> w.markedBytes) - baseBytes;
    }

    long scanWork() {
        return sum(w -> w.scanWork) - baseScanWork;
    }

    /** Objects scanned since the run began (exact once marking is over). */
    long objectsScannedTotal() {
        return sum(w -> w.objectsScanned);
    }

    /** Span visits since the run began (MarkQueue.SPANS cycles only). */
    long spanVisitsTotal() {
        return sum(w -> w.spanVisits);
    }

    /** Objects those span visits scanned. */
    long spanObjectsTotal() {
        return sum(w -> w.spanObjects);
    }

    /**
     * Stack slots scanned this cycle, re-scans included (Go's {@code gcController.stackScanWork}
     * in slots): counted as stacks are scanned, so the pacer never walks the goroutines.
     */
    long cycleStackSlots() {
        return stackSlots.sum() - stackSlotsAtStart;
    }

    private GcWork currentWork() {
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
        try {
            int sinceCheck = 0;
            int checks = 0;
            while (blackenEnabled && cycle == myCycle) {
                long rootWork = nextJob.get() < rootJobs ? runRootJob(w) : -1;
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
                    if (work >= budget || stop.getAsBoolean()) {
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
        } finally {
            publishScanWork(w, who);
            if (w.flush()) {
                wakeWorker();
            }
            if (active.decrementAndGet() == 0) {
                checkDone();
            }
        }
        return work;
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
        return blackenEnabled && (!full.isEmpty() || !spanShared.isEmpty() || nextJob.get() < rootJobs);
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
        if (!blackenEnabled || !scanNewStacks || creator == null) {
            return;
        }
        long c = cycle;
        if (rt.stackScannedCycle(creator) != c) {
            rt.tryScanStack(creator, roots -> scanStack(creator, roots, currentWork(), c, true, true));
        }
        rt.setStackScannedCycle(child, c);
    }

    boolean rootsPending() {
        return rootsPending.get() > 0;
    }

    // ------------------------------------------------------------------ root jobs

    /** {@code markroot}: claims and runs the next root job; returns the bytes of roots read, -1 if no job was left. */
    private long runRootJob(GcWork w) {
        int i = nextJob.getAndIncrement();
        if (i >= rootJobs) {
            return -1;
        }
        if (i == 0) {
            int n = scanRoots(heap.globals(), w) + scanRoots(heap.channelBuffers(), w)
                    + scanRoots(heap.finalizerRoots(), w);
            globalSlots.add(n);
            rootsPending.decrementAndGet(); // the greys are in this active drainer's buffer
            return 8L * n;
        }
        return 8L * markrootStack(i - 1, w);
    }

    /**
     * The stack job of slot {@code slot}: scans the goroutine in it now unless its stack is
     * already black this cycle, or asks it to scan itself if it is running.
     */
    private int markrootStack(int slot, GcWork w) {
        long c = cycle;
        Goroutine g = rt.goroutineAt(slot);
        if (g == null || rt.stackScannedCycle(g) == c) {
            rootsPending.decrementAndGet();
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
            rootsPending.decrementAndGet(); // the greys are in this active drainer's buffer
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
        int n = scanRoots(roots, w);
        stackSlots.add(n);
        stacksScanned.increment();
        if (self) {
            selfScans.increment();
        }
        if (publish && w.flush()) {
            wakeWorker();
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
        if (cycle != c || !blackenEnabled) {
            return;
        }
        GcWork w = currentWork();
        scanRoots(roots, w);
        if (w.flush()) {
            wakeWorker();
        }
    }

    /** A drainer's stack scan, reused for every root job on its P: markroot allocates nothing for a stopped goroutine. */
    private final class StackScanner implements java.util.function.Consumer<RootSet> {
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
            if (cycle != jobCycle || !blackenEnabled || done.get()) {
                return;
            }
            scanStack(g, roots, currentWork(), jobCycle, true, true);
            complete();
        }

        /** Completes the job once (its greys are published); then tests for termination. */
        boolean complete() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            rootsPending.decrementAndGet();
            checkDone();
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
            if (job.done.get() || job.jobCycle != cycle || !blackenEnabled) {
                progress = true;
                continue;
            }
            Goroutine g = job.g;
            if (rt.stackScannedCycle(g) == job.jobCycle
                    || rt.tryScanStack(g, roots -> scanStack(g, roots, currentWork(), job.jobCycle, false, true))) {
                job.complete();
                progress = true;
            } else {
                awaitingSelfScan.add(job);
            }
        }
        return progress;
    }

    /** The mark phase's bookkeeping, for {@code status}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        int js = rootJobs;
        sb.append("roots ").append(Math.min(nextJob.get(), js)).append('/').append(js).append(" claimed")
                .append(js > 0 ? " (globals + " + (js - 1) + " goroutine slots), " : ", ")
                .append(rootsPending.get()).append(" pending");
        int waiting = awaitingSelfScan.size();
        if (waiting > 0) {
            sb.append(" (").append(waiting).append(" awaiting a self-scan)");
        }
        sb.append(", drainers ").append(active.get()).append(", parked workers ").append(nparked.get())
                .append(full.isEmpty() ? ", no global work" : ", global work queued")
                .append(markDone.get() ? ", mark done" : "");
        return sb.toString();
    }

    // ------------------------------------------------------------------ termination and parking

    /** {@code gcMarkDone}'s test: called by whoever may have finished the last piece of work. */
    void checkDone() {
        if (blackenEnabled && rootsPending.get() == 0 && full.isEmpty() && spanShared.isEmpty() && active.get() == 0
                && full.isEmpty() && spanShared.isEmpty() && markDone.compareAndSet(false, true)) {
            GcRuntime.Note d = doneNote;
            if (d != null) {
                d.wakeup();
            }
            wakeAllWorkers();
            // Go runs mark termination on the goroutine that finished the work; here the
            // coordinator does, so this goroutine gives it a P at its next safepoint (a
            // scheduler that never preempts would otherwise leave it waiting).
            rt.preemptCurrent();
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

    private void wakeWorker() {
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
