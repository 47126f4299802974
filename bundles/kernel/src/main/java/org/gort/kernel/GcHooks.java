package org.gort.kernel;

import org.gort.api.Metrics;
import org.gort.kernel.gc.KernelCollector;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.pacer.PacerStrategy;
import org.gort.spi.sched.MeteredLock;

/*
 * The managed heap and the collector, as one runtime instance sees them.
 *
 * The collector is resolved when the instance is built, so that an unknown name fails before
 * the run starts; the heap is made on first use (a run that never allocates needs no allocator
 * strategy installed), and the collector is attached to it then, through KernelGcRuntime, the
 * kernel mechanism the collector toolkit runs on. With no collector installed at all the heap
 * only grows, as Go's GOGC=off.
 *
 * The kernel calls in from: newproc (a goroutine born while marking), goexit, an M with
 * nothing to run (Go's idle mark worker), sysmon (heap sampling and the periodic trigger), and
 * the program or the shell (runtime.GC(), FreeOSMemory, hot swap, status, metrics).
 *
 * Dependencies point one way: the kernel uses org.gort.kernel.gc.KernelCollector, which sees
 * the kernel only through the SPI's GcRuntime.
 */
final class GcHooks {
    private final RuntimeInstance rt;
    /** The configured collector, or null when none is installed (the heap then only grows, as GOGC=off). */
    private volatile CollectorStrategy collectorStrategy;
    /** The configured pacer, or null when no collector is installed. */
    private volatile PacerStrategy pacerStrategy;
    /** The collector attached to the heap; null until the heap exists. */
    private volatile KernelCollector gc;
    private volatile ManagedHeap heap;

    GcHooks(RuntimeInstance rt) {
        this.rt = rt;
        this.collectorStrategy = KernelCollector.resolve(rt.catalog, rt.config.collector());
        this.pacerStrategy = KernelCollector.resolvePacer(rt.catalog, rt.config.pacer());
    }

    /** The managed heap if the program made one, else null (never creates it). */
    ManagedHeap heapIfCreated() {
        return heap;
    }

    /** This instance's managed heap, created with the configured allocator on first use. */
    ManagedHeap heap() {
        ManagedHeap h = heap;
        return h != null ? h : createHeap();
    }

    private synchronized ManagedHeap createHeap() {
        if (heap == null) {
            heap = new ManagedHeap(rt.catalog.allocator(rt.config.allocator()),
                    new ManagedHeap.Options(rt.config.maxHeapBytes(), rt.maxprocs, // per-P caches for every P there may be
                            rt.config.clobberfree(), Boolean.parseBoolean(rt.config.properties().get("checkptr"))),
                    MeteredLock::new, rt.config.checkRoots() ? newRootCheck() : null);
            Profiles pr = rt.profiles;
            if (pr != null && pr.mem) {
                heap.setAllocationSampler(pr.sampler());
            }
            CollectorStrategy s = collectorStrategy;
            if (s != null) {
                gc = KernelCollector.attach(new KernelGcRuntime(rt, heap), s, pacerStrategy);
            }
        }
        return heap;
    }

    /** The {@code --check-roots} view of this runtime's goroutines and roots (see RootCheck). */
    private org.gort.kernel.heap.RootCheck newRootCheck() {
        return new org.gort.kernel.heap.RootCheck(new org.gort.kernel.heap.RootCheck.Goroutines() {
            @Override
            public org.gort.kernel.heap.RootCheck.LongSet freshOfCurrent() {
                G g = Current.gOrNull();
                if (g == null || g.rt != rt) {
                    return null;
                }
                if (g.fresh == null) {
                    g.fresh = new org.gort.kernel.heap.RootCheck.LongSet();
                    g.roots.trackReleases(g.fresh);
                }
                return g.fresh;
            }

            @Override
            public org.gort.kernel.heap.RootStack rootsOfCurrent() {
                G g = Current.gOrNull();
                return g == null ? null : g.roots;
            }

            @Override
            public void forEachRoot(java.util.function.LongConsumer action) {
                rt.forEachGoroutine(g -> {
                    org.gort.kernel.heap.RootStack r = g.roots;
                    for (int i = r.size() - 1; i >= 0; i--) {
                        action.accept(r.get(i));
                    }
                });
                heap.globals().forEachPointer(action);
                heap.channelBuffers().forEachPointer(action);
                heap.finalizers().forEachRoot(action); // the finalizer queue and what finalizable objects point to
            }
        });
    }

    /** The heap if it has been made, else null. */
    ManagedHeap heapIfMade() {
        return heap;
    }

    /** True while a GC cycle is between its sweep termination and its mark termination. */
    boolean marking() {
        KernelCollector c = gc;
        return c != null && c.marking();
    }

    String collectorName() {
        KernelCollector c = gc;
        if (c != null) {
            return c.name();
        }
        CollectorStrategy s = collectorStrategy;
        return s != null ? s.name() : "off";
    }

    /** Replaces the collector from the next cycle; a cycle in progress completes under the old one. */
    void swapCollector(String name, String why) {
        CollectorStrategy next = rt.catalog.collector(name);
        synchronized (this) {
            KernelCollector c = gc;
            if (c == null) {
                String old = collectorStrategy == null ? rt.config.collector() : collectorStrategy.name();
                collectorStrategy = next; // no heap yet: it will be made with this one
                rt.trace("gort: collector " + old + " -> " + next.name() + " (" + why + ", before the heap was made)");
                return;
            }
            c.swap(next, why);
        }
    }

    String pacerName() {
        KernelCollector c = gc;
        if (c != null) {
            return c.pacerName();
        }
        PacerStrategy s = pacerStrategy;
        return s != null ? s.name() : "off";
    }

    /** Replaces the pacer from the next cycle; a cycle in progress finishes at the goal its pacer set. */
    void swapPacer(String name, String why) {
        PacerStrategy next = rt.catalog.pacer(name);
        synchronized (this) {
            KernelCollector c = gc;
            if (c == null) {
                String old = pacerStrategy == null ? rt.config.pacer() : pacerStrategy.name();
                pacerStrategy = next; // no heap yet: it will be made with this one
                rt.trace("gort: pacer " + old + " -> " + next.name() + " (" + why + ", before the heap was made)");
                return;
            }
            c.swapPacer(next, why);
        }
    }

    /** {@code runtime.GC()} from a goroutine of this program. */
    void gcFromGoroutine() {
        heap();
        KernelCollector c = gc;
        if (c != null) {
            c.gc();
        }
    }

    /** {@code runtime/debug.FreeOSMemory} from a goroutine of this program; the bytes released. */
    long freeOSMemoryFromGoroutine() {
        heap();
        KernelCollector c = gc;
        return c == null ? 0 : c.freeOSMemory();
    }

    /** {@code runtime.GC()} from a thread outside the program. */
    void gcFromOutside() {
        if (rt.isDone()) {
            throw new IllegalStateException("the program has ended; there is nothing to collect");
        }
        KernelCollector c = gc;
        if (c == null) {
            if (collectorStrategy == null) {
                throw new UnsupportedOperationException("no collector is installed; add a gort-gc-* bundle");
            }
            return; // no heap yet: nothing to collect
        }
        // A thread outside the program requests the cycle and starts its coordinator: goroutines
        // that see it requested wait for it, so no deadlock may be declared until it has run.
        rt.deadlock.enterWaker();
        try {
            c.gc();
        } finally {
            rt.deadlock.exitWaker();
        }
    }

    /** The collector's state for {@code status}. */
    String status() {
        KernelCollector c = gc;
        if (c != null) {
            return c.status();
        }
        return collectorStrategy == null ? "gc: off (no collector installed)" : "gc: " + collectorStrategy.name() + ", no heap yet";
    }

    /** {@code runtime.ReadMemStats} with Go's fields: the allocator's figures and the collector's. */
    org.gort.api.GoMemStats goMemStats() {
        org.gort.api.MemStats m = memStats();
        ManagedHeap h = heap;
        org.gort.spi.alloc.AllocStats a = h == null ? null : h.stats();
        KernelCollector c = gc;
        long[][] bySize = new long[org.gort.api.GoMemStats.SIZE_CLASSES][3];
        long inUse = 0, total = 0, committed = 0, mallocs = 0, frees = 0, spans = 0, released = 0;
        if (a != null) {
            inUse = a.bytesInUse();
            total = a.bytesAllocated();
            committed = a.bytesCommitted();
            mallocs = a.objectsAllocated();
            frees = a.blocksFreed();
            spans = a.bytesInSpans();
            released = h.allocator().releasedBytes();
            for (org.gort.spi.alloc.SizeClassStats s : a.sizeClasses()) {
                if (s.sizeClass() > 0 && s.sizeClass() < bySize.length) {
                    bySize[s.sizeClass()] = new long[] {s.blockSize(), s.allocs(), s.frees()};
                }
            }
        }
        return new org.gort.api.GoMemStats(inUse, total, committed, mallocs, frees, inUse, committed,
                Math.max(0, committed - spans), spans, released, Math.max(0, mallocs - frees), m.nextGC(),
                c == null ? 0 : c.lastGC(), m.pauseTotalNs(), m.pauseNs(),
                c == null ? new long[org.gort.api.MemStats.PAUSE_RING] : c.pauseEnd(),
                m.numGC(), m.numForcedGC(), m.gcCPUFraction(), bySize);
    }

    /** {@code runtime.ReadMemStats}' collector figures. */
    org.gort.api.MemStats memStats() {
        KernelCollector c = gc;
        if (c != null) {
            return c.memStats();
        }
        return new org.gort.api.MemStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, collectorName(), null);
    }

    /** The completed GC cycles numbered above {@code after} (the collector keeps the last 1024), for timelines. */
    java.util.List<org.gort.spi.gc.CycleStats> cyclesAfter(long after) {
        KernelCollector c = gc;
        return c == null ? java.util.List.of() : c.cyclesAfter(after);
    }

    /** A user goroutine was made by the calling goroutine, if any: a marking cycle may have to scan its stack. */
    void goroutineCreated(G child) {
        KernelCollector c = gc;
        if (c != null) {
            c.goroutineCreated(Current.gOrNull(), child);
        }
    }

    /** {@code g}, the calling goroutine, is about to exit. */
    void goroutineExiting(G g) {
        KernelCollector c = gc;
        if (c != null) {
            c.goroutineExiting(g);
        }
    }

    /** Sysmon's round: the collector samples the heap and checks the periodic trigger. */
    void sysmonTick(long now) {
        KernelCollector c = gc;
        if (c != null) {
            c.sysmonTick(now);
        }
    }

    /**
     * Go's idle mark worker: {@code m}'s scheduler found nothing to run, so its P marks until a
     * goroutine is runnable or the world stops. False when there is no marking work.
     */
    boolean idleMark(M m) {
        KernelCollector c = gc;
        if (c == null || rt.gcwaiting || rt.shuttingDown) {
            return false;
        }
        TraceRecorder tr = rt.traceRecorder;
        long t0 = tr == null ? 0 : System.nanoTime();
        // A marking M is not looking for goroutines: it stops spinning once it has work.
        boolean marked = c.idleMark(() -> rt.gcwaiting || rt.shuttingDown || rt.mloop.hasRunnableSafely(),
                () -> rt.ctx.setSpinning(m, false));
        if (marked && tr != null) {
            tr.idleMark(m, m.p, t0);
        }
        return marked;
    }

    /**
     * The run has ended: release anyone waiting for a cycle, then the heap's arena, unmapped if
     * {@code threadsStopped} (no M or sysmon can touch it any more), else abandoned: released
     * but left mapped for a stranded thread.
     */
    void close(boolean threadsStopped) {
        KernelCollector c = gc;
        if (c != null) {
            c.shutdown();
        }
        ManagedHeap h = heap;
        if (h != null) {
            if (threadsStopped) {
                h.close();
            } else {
                h.abandon();
            }
        }
    }

    /** The allocator's and the collector's metrics. */
    void report(Metrics m) {
        ManagedHeap h = heap;
        if (h != null) {
            h.reportMetrics(m);
        }
        KernelCollector c = gc;
        if (c != null) {
            c.report(m);
        }
    }
}
