package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.gort.api.Chan;
import org.gort.api.Globals;
import org.gort.api.Go;
import org.gort.api.GoPanic;
import org.gort.api.Heap;
import org.gort.api.Mutator;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Root stacks belong to their goroutine: frames pushed before a switch (gosched, a timer
 * wait) hold the same addresses after it, whichever M resumes the goroutine; globals are shared
 * by all goroutines. A {@link Mutator} obtained before such switches still reaches its own
 * goroutine's stack and P after them, and panics when another goroutine uses it.
 */
class RootsTest {
    private static final Type BOX = Type.register("conformance.Box", 1, 8);

    static Stream<Arguments> cases() {
        return AllocKit.allocators().flatMap(a -> Kit.schedulers().map(s -> Arguments.of(a, s)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void framesSurviveGoroutineSwitches(String allocator, String scheduler) {
        onGoroutines(allocator, scheduler, id -> {
            int outer = Roots.push(2);
            Roots.set(outer, box(id));
            for (int round = 0; round < 20; round++) {
                int inner = Roots.push(3);
                for (int k = 0; k < 3; k++) {
                    Roots.set(inner + k, box(id * 1000 + round * 10 + k));
                }
                Heap.storePtr(Roots.get(outer), 0, Roots.get(inner + round % 3));
                switchAway(round);
                for (int k = 0; k < 3; k++) {
                    check(Heap.loadLong(Roots.get(inner + k), 0) == id * 1000 + round * 10 + k,
                            "goroutine " + id + " lost slot " + k + " of round " + round);
                }
                check(Heap.loadPtr(Roots.get(outer), 0) == Roots.get(inner + round % 3), "pointer changed");
                Roots.pop(inner);
                check(Roots.size() == outer + 2, "pop restored the stack");
            }
            check(Heap.loadLong(Roots.get(outer), 0) == id, "outer frame changed");
            Roots.pop(outer);
            check(Roots.size() == 0, "the stack is empty again");
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aMutatorStaysWithItsGoroutineAcrossSwitches(String allocator, String scheduler) {
        onGoroutines(allocator, scheduler, id -> {
            Mutator mu = Mutator.current();
            int outer = mu.push(1);
            mu.set(outer, mu.alloc(BOX));
            mu.storeLong(mu.get(outer), 0, id);
            for (int round = 0; round < 20; round++) {
                int inner = mu.push(3);
                for (int k = 0; k < 3; k++) {
                    long b = mu.alloc(BOX);
                    mu.storeLong(b, 0, id * 1000 + round * 10 + k);
                    mu.set(inner + k, b);
                }
                mu.storePtr(mu.get(outer), 0, mu.get(inner + round % 3));
                switchAway(round);
                check(Mutator.current() == mu, "one mutator per goroutine");
                for (int k = 0; k < 3; k++) {
                    check(mu.loadLong(mu.get(inner + k), 0) == id * 1000 + round * 10 + k,
                            "goroutine " + id + " lost slot " + k + " of round " + round);
                }
                check(mu.loadPtr(mu.get(outer), 0) == Roots.get(inner + round % 3), "the mutator's stack is Roots'");
                mu.pop(inner);
                check(Roots.size() == outer + 1, "pop restored the stack");
            }
            check(Heap.loadLong(mu.get(outer), 0) == id, "outer frame changed");
            mu.pop(outer);
        });
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void aMutatorUsedByAnotherGoroutinePanics(String allocator) {
        RunResult r = Kit.run(Kit.config("gmp", 2).allocator(allocator).build(), () -> {
            Mutator mine = Mutator.current();
            Go.go(() -> mine.alloc(BOX)); // the bug: allocating through the main goroutine's mutator
            Chan.<Integer>make().recv(); // the panic ends the run (else: a deadlock, and the message differs)
        });
        assertFalse(r.ok(), "another goroutine's use of a mutator must fail the run");
        assertTrue(r.failure().contains("used by another goroutine: call Mutator.current() on the goroutine that uses it"),
                r.failure());
    }

    /** Runs {@code body} with its index on each of 40 goroutines at GOMAXPROCS=4; each must reach its end. */
    private static void onGoroutines(String allocator, String scheduler, LongConsumer body) {
        int goroutines = 40;
        AtomicInteger finished = new AtomicInteger();
        RunResult r = Kit.run(Kit.config(scheduler, 4).allocator(allocator).build(), () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int i = 0; i < goroutines; i++) {
                long id = i;
                Go.go(() -> {
                    body.accept(id);
                    finished.incrementAndGet();
                    wg.done();
                });
            }
            wg.await();
        });
        assertTrue(r.ok(), r.failure());
        assertEquals(goroutines, finished.get());
    }

    /** Leaves the M: a gosched on even rounds, a sleep (a park another M may resume) on odd ones. */
    private static void switchAway(int round) {
        if (round % 2 == 0) {
            Go.gosched();
        } else {
            Go.sleepNanos(10_000);
        }
    }

    /** A failed check panics the goroutine, which ends the run with the message. */
    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new GoPanic("check failed: " + what);
        }
    }

    private static long box(long value) {
        long b = Heap.alloc(BOX);
        Heap.storeLong(b, 0, value);
        return b;
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void globalsAreSharedByAllGoroutines(String allocator) {
        RunResult r = Kit.run(Kit.config("gmp", 2).allocator(allocator).build(), () -> {
            Chan<Integer> ready = Chan.make();
            Go.go(() -> {
                for (int i = 0; i < 100; i++) {
                    Globals.set(i, box(i * i));
                }
                ready.send(1);
            });
            ready.recv();
            for (int i = 0; i < 100; i++) {
                check(Heap.loadLong(Globals.get(i), 0) == (long) i * i, "global " + i);
            }
            check(Globals.get(100) == 0, "an unset global is nil");
        });
        assertTrue(r.ok(), r.failure());
    }
}
