package org.gort.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.gc.GcRuntime;
import org.gort.spi.gc.Phase;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.gort.spi.sched.Goroutine;

/**
 * The kernel mechanism the collector toolkit runs on, for one runtime instance: a thin bridge
 * to {@link RuntimeInstance}'s stop-the-world, system goroutines, stack-scan hand-shake and
 * parking. Nothing here decides anything. It lives in the kernel's package so that the
 * collector integration ({@code org.gort.kernel.gc}) sees the kernel only through the SPI.
 */
final class KernelGcRuntime implements GcRuntime {
    private static final Object TOKEN = new Object();

    private final RuntimeInstance rt;
    private final ManagedHeap heap;
    private final LongAdder visited = new LongAdder();

    KernelGcRuntime(RuntimeInstance rt, ManagedHeap heap) {
        this.rt = rt;
        this.heap = heap;
    }

    @Override
    public int maxprocs() {
        return rt.maxprocs;
    }

    @Override
    public void clearPools() {
        Kernel.clearPools(rt);
    }

    @Override
    public HeapView heap() {
        return heap;
    }

    @Override
    public int gomaxprocs() {
        return rt.gomaxprocs;
    }

    @Override
    public int gogc() {
        return rt.config().gogc();
    }

    @Override
    public long memoryLimit() {
        return rt.config().memoryLimitBytes();
    }

    @Override
    public boolean gccheckmark() {
        return rt.config().gccheckmark();
    }

    @Override
    public int gcstoptheworld() {
        return rt.config().gcstoptheworld();
    }

    @Override
    public boolean gctrace() {
        return rt.config().gctrace();
    }

    @Override
    public String property(String key, String def) {
        return rt.config().properties().getOrDefault(key, def);
    }

    @Override
    public long startNanos() {
        return rt.startNanos();
    }

    @Override
    public int currentProc() {
        return RuntimeInstance.currentProcId();
    }

    @Override
    public Goroutine currentGoroutine() {
        return Kernel.onGoroutine() ? Current.g() : null;
    }

    @Override
    public StopToken stopTheWorld(String reason) {
        StwToken t = rt.stopTheWorld(reason);
        return new StopToken(t, t.requested(), t.stoppedAt());
    }

    @Override
    public long startTheWorld(StopToken token) {
        return rt.startTheWorld((StwToken) token.kernelToken());
    }

    @Override
    public void startSystemGoroutine(Runnable body) {
        rt.startSystemGoroutine(body);
    }

    @Override
    public void checkpoint() {
        Safepoint.poll();
    }

    @Override
    public boolean stopRequested() {
        return rt.worldStopping();
    }

    @Override
    public void gosched() {
        Kernel.gosched();
    }

    @Override
    public void sleep(long nanos) {
        Kernel.sleep(nanos);
    }

    @Override
    public boolean hasRunnableGoroutines() {
        return rt.hasRunnableGoroutines();
    }

    @Override
    public void preemptCurrent() {
        rt.preemptCurrentGoroutine();
    }

    @Override
    public void forEachGoroutine(Consumer<Goroutine> action) {
        rt.forEachGoroutine(g -> {
            visited.increment();
            action.accept(g);
        });
    }

    @Override
    public int goroutineSlots() {
        return rt.goroutineSlots();
    }

    @Override
    public Goroutine goroutineAt(int i) {
        visited.increment();
        return rt.goroutineAt(i);
    }

    @Override
    public long goroutinesVisited() {
        return visited.sum();
    }

    @Override
    public boolean tryScanStack(Goroutine g, Consumer<RootSet> scan) {
        G target = (G) g;
        if (Kernel.onGoroutine() && Current.g() == target) {
            scan.accept(target.roots);
            return true;
        }
        return rt.tryScanStack(target, scan); // no adapter: this runs once per stack job
    }

    @Override
    public void requestSelfScan(Goroutine g, Consumer<RootSet> scan) {
        rt.requestSelfScan((G) g, x -> scan.accept(x.roots));
    }

    @Override
    public long assistDebt(Goroutine g, long cycle) {
        return ((G) g).assistDebt(cycle);
    }

    @Override
    public void setAssistDebt(Goroutine g, long cycle, long debt) {
        ((G) g).setAssistDebt(cycle, debt);
    }

    @Override
    public boolean started(Goroutine g) {
        return ((G) g).hasStarted();
    }

    @Override
    public void setStackScannedCycle(Goroutine g, long cycle) {
        ((G) g).stackScannedCycle = cycle;
    }

    @Override
    public long stackScannedCycle(Goroutine g) {
        return ((G) g).stackScannedCycle;
    }

    @Override
    public Note newNote() {
        return new KernelNote("wait for GC cycle");
    }

    @Override
    public Note newNote(String waitReason) {
        return new KernelNote(waitReason);
    }

    /**
     * A goroutine parks on a one-slot channel, with the note's wait reason rather than a
     * channel's; a plain thread waits on a latch. Both are signalled.
     */
    private final class KernelNote implements Note {
        private final HChan<Object> chan = new HChan<>(1);
        private final CountDownLatch latch = new CountDownLatch(1);
        private final String waitReason;

        KernelNote(String waitReason) {
            this.waitReason = waitReason;
        }

        @Override
        public void sleep() {
            if (Kernel.onGoroutine()) {
                chan.recvWaiting(waitReason);
                return;
            }
            try {
                while (!rt.isShuttingDown() && !latch.await(100, TimeUnit.MILLISECONDS)) {
                    // keep waiting; the run may end meanwhile
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wakeup() {
            latch.countDown();
            chan.offerFromTimer(TOKEN);
        }
    }

    @Override
    public void trace(String line) {
        rt.traceLine(line);
    }

    @Override
    public void fatal(String message) {
        rt.fatal(message);
    }

    @Override
    public boolean shuttingDown() {
        return rt.isShuttingDown();
    }

    @Override
    public void tracePhase(long cycle, Phase phase) {
        TraceRecorder t = rt.traceRecorder();
        if (t != null) {
            t.gcPhase(cycle, phase);
        }
    }

    @Override
    public void traceCollectorSwap(String from, String to, String why) {
        rt.recordChange("collector", from, to, org.gort.api.StrategyChange.Cause.SWAP, why);
        TraceRecorder t = rt.traceRecorder();
        if (t != null) {
            t.collectorSwapped(from, to, why);
        }
    }

    @Override
    public void tracePacerSwap(String from, String to, String why) {
        rt.recordChange("pacer", from, to, org.gort.api.StrategyChange.Cause.SWAP, why);
    }

    @Override
    public void traceSweepDone(long cycle) {
        TraceRecorder t = rt.traceRecorder();
        if (t != null) {
            t.gcSweepDone(cycle);
        }
    }
}
