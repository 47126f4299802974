package org.gort.kernel.gc;

import java.util.function.BooleanSupplier;
import org.gort.api.MemStats;
import org.gort.api.Metrics;
import org.gort.api.StrategyCatalog;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.gc.GcController;
import org.gort.spi.gc.GcRuntime;
import org.gort.spi.pacer.PacerStrategy;

/*
 * The kernel's collector integration.
 *
 * A runtime instance resolves its collector strategy when it is built (an unknown name fails
 * at once, naming the installed ones) and attaches it when its heap is made, on first use: the
 * toolkit's GcController then installs the heap's allocation hooks, and from then on every
 * cycle runs through it. With no collector installed at all (a scheduler-only class path) the
 * heap simply grows until its limit, as Go's GOGC=off.
 *
 * The kernel calls in from five places: the heap (allocation hooks, installed by the
 * controller), sysmon (heap sampling and the periodic trigger), an M with nothing to run (idle
 * marking), newproc (a goroutine born while marking), and the program or the shell
 * (runtime.GC(), hot swap, status, metrics).
 *
 * This package depends on the kernel only through the SPI: the runtime instance hands in its
 * GcRuntime (org.gort.kernel.KernelGcRuntime), so the kernel's classes and these do not
 * import each other.
 */
public final class KernelCollector {
    private final GcController controller;

    private KernelCollector(GcController controller) {
        this.controller = controller;
    }

    /** The strategy named {@code name}, or null when no collector is installed at all. */
    public static CollectorStrategy resolve(StrategyCatalog catalog, String name) {
        if (catalog.collectors().isEmpty()) {
            return null;
        }
        return catalog.collector(name);
    }

    /**
     * The pacer named {@code name}, or null when no collector is installed (nothing to pace);
     * with a collector but no pacer installed, the one-line error names what is missing.
     */
    public static PacerStrategy resolvePacer(StrategyCatalog catalog, String name) {
        if (catalog.collectors().isEmpty()) {
            return null;
        }
        return catalog.pacer(name);
    }

    /**
     * Attaches {@code strategy}, paced by {@code pacer}, to a runtime instance through
     * {@code runtime}, the kernel's mechanism for it.
     */
    public static KernelCollector attach(GcRuntime runtime, CollectorStrategy strategy, PacerStrategy pacer) {
        return new KernelCollector(new GcController(runtime, strategy, pacer));
    }

    /** {@code runtime.GC()}, from a goroutine or from outside the program. */
    public void gc() {
        controller.gc();
    }

    /** {@code runtime/debug.FreeOSMemory}, from a goroutine: returns the bytes released. */
    public long freeOSMemory() {
        return controller.freeOSMemory();
    }

    /** True while a cycle is marking (from sweep termination to mark termination). */
    public boolean marking() {
        return controller.marking();
    }

    public void swap(CollectorStrategy next, String why) {
        controller.swap(next, why);
    }

    public String name() {
        return controller.collectorName();
    }

    /** Replaces the pacer from the next cycle. */
    public void swapPacer(PacerStrategy next, String why) {
        controller.swapPacer(next, why);
    }

    public String pacerName() {
        return controller.pacerName();
    }

    public String status() {
        return controller.status();
    }

    public MemStats memStats() {
        return controller.memStats();
    }

    /** The completed cycles numbered above {@code after} that are still in the controller's history. */
    public java.util.List<org.gort.spi.gc.CycleStats> cyclesAfter(long after) {
        return controller.cyclesAfter(after);
    }

    public void report(Metrics m) {
        controller.report(m);
    }

    public void sysmonTick(long now) {
        controller.sysmonTick(now);
    }

    public boolean idleMark(BooleanSupplier stop, Runnable starting) {
        return controller.idleMark(stop, starting);
    }

    /** {@code creator} (the calling goroutine, or null) made the user goroutine {@code child}. */
    public void goroutineCreated(org.gort.spi.sched.Goroutine creator, org.gort.spi.sched.Goroutine child) {
        controller.goroutineCreated(creator, child);
    }

    /** {@code g}, the calling goroutine, is about to exit. */
    public void goroutineExiting(org.gort.spi.sched.Goroutine g) {
        controller.goroutineExiting(g);
    }

    /** The run is ending: release anyone waiting for a cycle. */
    public void shutdown() {
        controller.shutdown();
    }

    /** Go's {@code MemStats.PauseEnd}. */
    public long[] pauseEnd() {
        return controller.pauseEnd();
    }

    /** Go's {@code MemStats.LastGC}. */
    public long lastGC() {
        return controller.lastGC();
    }
}
