package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stack roots as Go finds them (gcMarkRootPrepare, markroot, allgs): a cycle's stack jobs are
 * goroutine slots, so the pauses that start and end a concurrent cycle need not look at any
 * goroutine, and goroutines that are created and die while marking (their slots reused) must
 * still lose nothing.
 */
class StackRootJobsTest {
    static final Type NODE = Type.register("stackroots.Node", 1, 16);

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    /**
     * {@code parked} goroutines each keep 4 objects in their root stacks and wait while one
     * goroutine allocates short-lived objects (heap-triggered cycles) and main forces two more.
     */
    private static RunResult parkedWithChurn(String collector, int parked) {
        return GcKit.run(GcKit.config(collector, 2).build(), () -> {
            GcKit.withParkedGoroutines(parked, NODE, () -> {
                AtomicBoolean stop = new AtomicBoolean();
                WaitGroup churned = new WaitGroup();
                churned.add(1);
                Go.go(() -> {
                    int f = Roots.push(1);
                    for (int i = 0; i < 300_000 || !stop.get(); i++) {
                        Roots.set(f, Heap.alloc(NODE));
                    }
                    Roots.pop(f);
                    churned.done();
                });
                Heap.gc();
                Heap.gc();
                stop.set(true);
                churned.await();
            });
        });
    }

    /**
     * Counts, not times: hybrid's sweep termination and mark termination look at no goroutine
     * and read no stack, with 100 or 20 000 parked goroutines; Dijkstra (re-scan at mark
     * termination), Yuasa (snapshot at sweep termination) and the stop-the-world collector look
     * at every goroutine inside a pause, by design.
     */
    @ParameterizedTest
    @MethodSource("collectors")
    void concurrentPausesLookAtGoroutinesOnlyWhenTheDesignReadsEveryStack(String collector) {
        RunResult few = parkedWithChurn(collector, 100);
        RunResult many = parkedWithChurn(collector, 20_000);
        GcKit.assertOk(few);
        GcKit.assertOk(many);
        long fewGs = few.metrics().count("gc.pause.goroutines.max");
        long manyGs = many.metrics().count("gc.pause.goroutines.max");
        long manySlots = many.metrics().count("gc.pause.root.slots.max");
        long manyMarked = many.metrics().count("gc.marked.in.pause.max");
        assertTrue(many.metrics().count("gc.cycles") >= 2, "cycles ran");
        switch (collector) {
            case "hybrid", "greentea" -> {
                assertEquals(0, fewGs, collector + " looked at goroutines with the world stopped (100 goroutines)");
                assertEquals(0, manyGs, collector + " looked at goroutines with the world stopped (20 000 goroutines)");
                assertEquals(0, manySlots, collector + " read root slots with the world stopped");
                assertTrue(manyMarked <= 2_000, () -> collector + " marked " + manyMarked
                        + " objects in one pause with 20 000 goroutines holding 80 000");
            }
            case "dijkstra", "yuasa", "stw" -> {
                assertTrue(fewGs >= 100, () -> collector + " looked at " + fewGs + " goroutines in a pause");
                assertTrue(manyGs >= 20_000, () -> collector + " looked at " + manyGs + " goroutines in a pause");
            }
            default -> { }
        }
    }

    /**
     * Waves of goroutines each hand an object held only in their root stack to a child they
     * create (in its closure, as MutatorFuzz's hand-off does), then exit; the children check the object after allocating (cycles run
     * throughout, GOGC=5) and exit too, so slots are freed and reused while stack jobs are
     * claimed, and self-scans are requested from goroutines that die. gccheckmark fails the
     * run on any reachable object a cycle missed, clobberfree on any use of a freed one, and
     * each child checks that its object still holds what its creator wrote.
     */
    @ParameterizedTest
    @MethodSource("collectors")
    void goroutinesBornAndDyingWhileMarkingLoseNothing(String collector) {
        int parked = 500;
        int waves = 40;
        int perWave = 250;
        AtomicLong verified = new AtomicLong();
        RunResult r = GcKit.run(GcKit.config(collector, 2).gogc(5).clobberfree(true).build(), () -> {
            Chan<Boolean> release = Chan.make();
            WaitGroup all = new WaitGroup();
            for (int i = 0; i < parked; i++) {
                all.add(1);
                Go.go(() -> {
                    int f = Roots.push(2);
                    Roots.set(f, Heap.alloc(NODE));
                    Roots.set(f + 1, Heap.alloc(NODE));
                    Heap.storePtr(Roots.get(f), 0, Roots.get(f + 1));
                    release.recv();
                    Roots.pop(f);
                    all.done();
                });
            }
            for (int w = 0; w < waves; w++) {
                WaitGroup wave = new WaitGroup();
                for (int i = 0; i < perWave; i++) {
                    long id = (long) w * perWave + i;
                    wave.add(2);
                    Go.go(() -> {
                        int f = Roots.push(1);
                        long obj = Heap.alloc(NODE);
                        Roots.set(f, obj);
                        Heap.storeLong(obj, 0, id);
                        Heap.storeLong(obj, 8, ~id);
                        for (int k = 0; k < 8; k++) {
                            Heap.alloc(NODE); // garbage: keeps cycles coming
                        }
                        // As Go passes an argument: in the closure, rooted here until the child
                        // has rooted it (a closure is no root); then this goroutine exits and the
                        // child may be the only holder, whichever slot either is in.
                        WaitGroup rooted = new WaitGroup();
                        rooted.add(1);
                        Go.go(() -> child(obj, id, verified, rooted, wave));
                        rooted.await();
                        Roots.pop(f);
                        wave.done();
                    });
                }
                wave.await();
            }
            release.close();
            all.await();
        });
        GcKit.assertOk(r);
        assertEquals((long) waves * perWave, verified.get(), "every child found its object intact");
        long cycles = r.metrics().count("gc.cycles");
        assertTrue(cycles >= 5, () -> "only " + cycles + " cycles ran");
        assertEquals(cycles, r.metrics().count("gc.checkmark.cycles"), "every cycle was verified");
    }

    private static void child(long obj, long id, AtomicLong verified, WaitGroup rooted, WaitGroup wave) {
        int f = Roots.push(2);
        Roots.set(f, obj); // rooted before any runtime call
        rooted.done();
        for (int k = 0; k < 16; k++) {
            Roots.set(f + 1, Heap.alloc(NODE));
            if (k % 4 == 0) {
                Go.gosched();
            }
        }
        long o = Roots.get(f);
        if (Heap.loadLong(o, 0) != id || Heap.loadLong(o, 8) != ~id) {
            throw new IllegalStateException("goroutine's object " + id + " was lost: it holds "
                    + Heap.loadLong(o, 0) + ", " + Heap.loadLong(o, 8));
        }
        verified.incrementAndGet();
        Roots.pop(f);
        wave.done();
    }
}
