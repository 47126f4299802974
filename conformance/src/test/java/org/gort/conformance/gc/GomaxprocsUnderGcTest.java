package org.gort.conformance.gc;

import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GOMAXPROCS changing over and over while goroutines allocate and cycles run, under every
 * collector with gccheckmark: a resize waits for a cycle's marking to end (Go's
 * stopTheWorldGC), flushes the allocator caches of the Ps it destroys, and loses no object.
 */
class GomaxprocsUnderGcTest {
    static final Type NODE = Type.register("resize.Node", 2, 16);

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("collectors")
    void resizingWhileAllocatingKeepsEveryReachableObject(String collector) {
        GcKit.assertOk(GcKit.run(GcKit.config(collector, 2).property("maxprocs", "4").gogc(25).build(), () -> {
            AtomicBoolean stop = new AtomicBoolean();
            WaitGroup wg = new WaitGroup();
            for (int w = 0; w < 4; w++) {
                wg.add(1);
                Go.go(() -> {
                    int f = Roots.push(2);
                    while (!stop.get()) {
                        // A list of 200 nodes, rooted at its head, walked and checked, then dropped.
                        Roots.set(f, 0);
                        for (int i = 0; i < 200; i++) {
                            Roots.set(f + 1, Heap.alloc(NODE)); // rooted before the next runtime call
                            Heap.storeLong(Roots.get(f + 1), 0, i);
                            Heap.storePtr(Roots.get(f + 1), 0, Roots.get(f));
                            Roots.set(f, Roots.get(f + 1));
                        }
                        int expect = 199;
                        for (long n = Roots.get(f); n != 0; n = Heap.loadPtr(n, 0)) {
                            if (Heap.loadLong(n, 0) != expect--) {
                                throw new AssertionError("list corrupted at " + (expect + 1));
                            }
                        }
                    }
                    Roots.pop(f);
                    wg.done();
                });
            }
            for (int i = 0; i < 30; i++) {
                Go.gomaxprocs(1 + i % 4);
                Go.sleepNanos(500_000);
            }
            stop.set(true);
            wg.await();
            Heap.gc();
        }));
    }
}
