package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.BadPointerException;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runtime.SetFinalizer under every collector, allocator and scheduler, with gccheckmark and
 * clobberfree on: a finalizer runs once its object is unreachable, with the object and what it
 * reaches intact (kept one more cycle); the object is freed by a later cycle; a finalizer on
 * an object in a cycle never runs; finalizers set while cycles mark are all run.
 */
class FinalizerTest {
    static final Type NODE = Type.register("finalizer.Node", 1, 8);

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyCombination() {
        return GcKit.everyCombination();
    }

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    private static org.gort.api.RuntimeConfig config(String collector, String allocator, String scheduler) {
        return GcKit.config(collector, allocator, scheduler, 2).clobberfree(true).build();
    }

    /** A NODE holding {@code value}, pointing at {@code next}. */
    private static long node(long value, long next) {
        int f = Roots.push(2);
        Roots.set(f, next);
        Roots.set(f + 1, Heap.alloc(NODE)); // rooted before storePtr's safepoint, where a cycle may begin
        long n = Roots.get(f + 1);
        Heap.storeLong(n, 0, value);
        Heap.storePtr(n, 0, Roots.get(f));
        n = Roots.get(f + 1);
        Roots.pop(f);
        return n; // no safepoint before the caller roots it
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyCombination")
    void aFinalizerRunsOnceItsObjectIsUnreachableWithTheObjectAndWhatItReachesIntact(String collector, String allocator, String scheduler) {
        String[] seen = new String[1];
        long[] addr = new long[1];
        GcKit.assertOk(GcKit.run(config(collector, allocator, scheduler), () -> {
            Chan<String> ran = Chan.make(1);
            int f = Roots.push(1);
            Roots.set(f, node(7, 0));
            Roots.set(f, node(42, Roots.get(f)));      // obj(42) -> child(7)
            addr[0] = Roots.get(f);
            Heap.setFinalizer(Roots.get(f), obj -> {
                long child = Heap.loadPtr(obj, 0);      // poisoned, and so failing, if freed
                ran.send(Heap.loadLong(obj, 0) + "->" + Heap.loadLong(child, 0));
            });
            Heap.gc();                                  // reachable: nothing happens
            assertEquals(0, ran.len());
            Roots.pop(f);                               // now unreachable
            Heap.gc();
            seen[0] = ran.recv();
            Heap.gc();                                  // the finalizer has run: freed now
            Heap.gc();
            BadPointerException e = assertThrows(BadPointerException.class, () -> Heap.keepAlive(addr[0]));
            assertTrue(e.getMessage().contains("freed"), e.getMessage());
        }));
        assertEquals("42->7", seen[0]);
    }

    /**
     * A cycle through an object with a finalizer keeps the object reachable from its own
     * finalizer roots: the finalizer never runs and the cycle is never freed. A later object's
     * finalizer, queued after it would have been, runs; so the first one had its chance.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyCombination")
    void aFinalizerOnAnObjectInACycleNeverRuns(String collector, String allocator, String scheduler) {
        AtomicBoolean cycleFinalized = new AtomicBoolean();
        AtomicBoolean clearedFinalized = new AtomicBoolean();
        GcKit.assertOk(GcKit.run(config(collector, allocator, scheduler), () -> {
            int f = Roots.push(3);
            Roots.set(f, node(1, 0));
            Roots.set(f + 1, node(2, Roots.get(f)));    // b -> a
            Heap.storePtr(Roots.get(f), 0, Roots.get(f + 1)); // a -> b: a cycle
            long a = Roots.get(f);
            Heap.setFinalizer(a, obj -> cycleFinalized.set(true));
            Roots.set(f + 2, node(3, 0));
            Heap.setFinalizer(Roots.get(f + 2), obj -> clearedFinalized.set(true));
            Heap.setFinalizer(Roots.get(f + 2), null); // removed again
            Roots.set(f, 0);
            Roots.set(f + 1, 0);
            Roots.set(f + 2, 0);
            Heap.gc();
            Heap.gc();
            Chan<Boolean> later = Chan.make(1);
            Roots.set(f, node(4, 0));
            Heap.setFinalizer(Roots.get(f), obj -> later.send(true));
            Roots.set(f, 0);
            Heap.gc();
            later.recv(); // finalizers run in queue order: a's would have run before this one
            Heap.keepAlive(a); // never freed
            Roots.pop(f);
        }));
        assertFalse(cycleFinalized.get(), "a finalizer on an object in a cycle ran");
        assertFalse(clearedFinalized.get(), "a removed finalizer ran");
    }

    /**
     * Finalizers set by goroutines while cycles run (concurrently marking, for most collectors)
     * all run, on chains of objects with finalizers too (in order, as in Go).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("collectors")
    void finalizersSetWhileCyclesMarkAllRun(String collector) {
        int n = 2_000;
        AtomicInteger finalized = new AtomicInteger();
        GcKit.assertOk(GcKit.run(GcKit.config(collector, 4).build(), () -> {
            WaitGroup all = new WaitGroup();
            all.add(n);
            WaitGroup makers = new WaitGroup();
            AtomicBoolean stop = new AtomicBoolean();
            Go.go(() -> {                              // cycles back to back
                while (!stop.get()) {
                    Heap.gc();
                }
            });
            for (int w = 0; w < 4; w++) {
                makers.add(1);
                Go.go(() -> {
                    int f = Roots.push(1);
                    for (int i = 0; i < n / 4; i++) {
                        Roots.set(f, node(i, Roots.get(f))); // a chain: each keeps the previous
                        Heap.setFinalizer(Roots.get(f), obj -> {
                            finalized.incrementAndGet();
                            all.done();
                        });
                        if (i % 5 == 4) {
                            Roots.set(f, 0);             // drop the chain
                        }
                    }
                    Roots.pop(f);
                    makers.done();
                });
            }
            makers.await();
            stop.set(true);
            // In a chain, a node's finalizer runs once the node pointing at it has been freed
            // (it is reachable from that node's finalizer roots until then): one cycle per link.
            while (finalized.get() < n) {           // a finalizer lost: the kit's timeout fails the run
                Heap.gc();
                Go.gosched();
            }
            all.await();
        }));
        assertEquals(n, finalized.get());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("collectors")
    void settingASecondFinalizerIsFatal(String collector) {
        RunResult r = GcKit.run(GcKit.config(collector, 1).build(), () -> {
            long obj = Heap.alloc(NODE);
            Heap.setFinalizer(obj, o -> { });
            Heap.setFinalizer(obj, o -> { });
        });
        assertEquals(RunStatus.FATAL, r.status(), r.failure());
        assertEquals("fatal error: runtime.SetFinalizer: finalizer already set", r.failureHeadline());
    }
}
