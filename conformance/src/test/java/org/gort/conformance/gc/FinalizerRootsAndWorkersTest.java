package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Roots;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * Two things that follow the run's state: --check-roots counts the finalizer queue among the
 * roots, as the collector does (an object queued for its finalizer, and what it points to, are
 * alive); and the background mark workers follow GOMAXPROCS changed while the program runs (Go's
 * gcController.startCycle plans them at each cycle's start).
 */
class FinalizerRootsAndWorkersTest {

    @Test
    void anObjectQueuedForItsFinalizerIsRootedForCheckRoots() {
        AtomicBoolean firstRunning = new AtomicBoolean();
        RunResult r = Kit.run(Kit.config("gmp", 2).collector("hybrid").checkRoots(true).build(), () -> {
            Chan<Integer> gate = Chan.make();
            // A finalizer that blocks: the finalizer goroutine is busy, so the next one stays queued.
            int f = Roots.push(2);
            Roots.set(f, Heap.allocPointers(1));
            Heap.setFinalizer(Roots.get(f), a -> {
                firstRunning.set(true);
                gate.recv();
            });
            Roots.set(f, 0);
            Heap.gc();
            while (!firstRunning.get()) {
                Go.sleep(Duration.ofMillis(1));
            }
            // obj -> z; obj has a finalizer; neither is rooted after this.
            Roots.set(f, Heap.allocPointers(1));
            Roots.set(f + 1, Heap.allocPointers(1));
            Heap.storePtr(Roots.get(f), 0, Roots.get(f + 1));
            Heap.setFinalizer(Roots.get(f), o -> { });
            long z = Roots.get(f + 1);
            Roots.pop(f);
            Heap.gc(); // obj is unreachable: queued behind the blocked finalizer, it and z are kept
            Heap.loadPtr(z, 0); // z is reachable from the finalizer queue: not a bad pointer
            gate.close();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @Test
    void theDedicatedMarkWorkersFollowGomaxprocs() {
        RunResult r = Kit.run(Kit.config("gmp", 1).collector("hybrid").property("maxprocs", "8").build(), () -> {
            Heap.gc(); // the collector is made with one P: no dedicated worker (a fractional one)
            Go.gomaxprocs(8);
            Heap.gc(); // 25% of 8 Ps: 2 dedicated workers
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(2L, ((Number) r.metrics().get("gc.mark.workers.dedicated")).longValue(), r.failure());
    }
}
