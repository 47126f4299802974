package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.gort.spi.sched.Goroutine;
import org.junit.jupiter.api.Test;

/**
 * Marking's termination test (gcMarkDone): who runs mark termination when a drain ends marking,
 * and a background drainer held at a safepoint inside its drain while its cycle ends and the
 * next one starts.
 */
class MarkingTerminationTest {
    private static final CollectorNeeds HYBRID = new CollectorNeeds(BarrierKind.HYBRID, AllocationColour.BLACK_WHILE_MARKING,
            StackScan.CONCURRENT_NO_RESCAN);
    /** Enough empty goroutine slots (one root job each) for a drain to reach its safepoint polls. */
    private static final int SLOTS = 4_096;

    /** A note that only records its wake-up. */
    private static final class FlagNote implements GcRuntime.Note {
        volatile boolean woken;

        @Override
        public void sleep() {
        }

        @Override
        public void wakeup() {
            woken = true;
        }
    }

    /**
     * A background worker of cycle 1 drains after cycle 1's marking was found done (a mutator
     * published greys since), and is stopped at a safepoint in its drain by cycle 1's mark
     * termination; its M does not get a core before cycle 2's sweep termination stops the world
     * again, so it is still there when cycle 2 starts. When it resumes, its drain ends: that must
     * not count it out of cycle 2's drainers, or cycle 2's marking is never found done and its
     * coordinator, and every goroutine waiting for the cycle, waits for ever.
     */
    @Test
    void aDrainerHeldAcrossTheNextCyclesStartDoesNotHoldUpItsTermination() {
        Marking[] m = new Marking[1];
        FlagNote[] done = {new FlagNote(), new FlagNote()};
        AtomicInteger checkpoints = new AtomicInteger();
        GcRuntime rt = runtime(() -> {
            if (checkpoints.incrementAndGet() == 1) {
                // The world stops here: cycle 1's mark termination, then cycle 2's sweep termination.
                m[0].stopBlackening();
                m[0].startCycle(2, HYBRID, done[1], null);
                m[0].startBlackening();
            }
        });
        m[0] = new Marking(rt);
        Marking marking = m[0];
        marking.startCycle(1, HYBRID, done[0], null);
        marking.startBlackening();

        marking.drain(Marking.Drainer.BACKGROUND, Long.MAX_VALUE, () -> false);
        assertEquals(1, checkpoints.get(), "the drain polled a safepoint");
        assertEquals(2, marking.cycle());
        assertTrue(marking.blackening());

        // Cycle 2's own drainer takes every root job: its marking is done.
        marking.drain(Marking.Drainer.IDLE, Long.MAX_VALUE, () -> false);
        assertTrue(marking.roots.nonePending(), "every root job of cycle 2 ran");
        assertTrue(marking.markDone() && done[1].woken, "cycle 2's marking is found done and its coordinator woken");
    }

    /**
     * A background worker's drain that ends marking leaves mark termination to its own
     * goroutine (Go's gcMarkDone on the goroutine that found no more work): the coordinator's
     * note is not woken, and the finisher runs once, when that goroutine calls finishIfMine
     * after counting its time, not on another goroutine's call.
     */
    @Test
    void aWorkerThatEndsMarkingRunsMarkTerminationItselfOnce() {
        AtomicReference<Goroutine> current = new AtomicReference<>(goroutine());
        Goroutine worker = current.get();
        Marking marking = new Marking(runtime(() -> { }, current));
        FlagNote done = new FlagNote();
        AtomicReference<Goroutine> ranOn = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        marking.startCycle(1, HYBRID, done, () -> {
            runs.incrementAndGet();
            ranOn.set(current.get());
        });
        marking.startBlackening();

        marking.drain(Marking.Drainer.BACKGROUND, Long.MAX_VALUE, () -> false);
        assertTrue(marking.markDone(), "the drain ended marking");
        assertFalse(done.woken, "the coordinator is not woken: the worker runs the pause");
        assertEquals(0, runs.get(), "not inside the drain, before its time is counted");

        current.set(goroutine());
        marking.finishIfMine();
        assertEquals(0, runs.get(), "another goroutine does not run it");

        current.set(worker);
        marking.finishIfMine();
        marking.finishIfMine();
        assertEquals(1, runs.get(), "the worker runs it, once");
        assertSame(worker, ranOn.get());
    }

    /** An M marking on an idle P (no goroutine) wakes the coordinator, which runs the pause. */
    @Test
    void anIdlePsDrainThatEndsMarkingWakesTheCoordinator() {
        AtomicReference<Goroutine> current = new AtomicReference<>();
        Marking marking = new Marking(runtime(() -> { }, current));
        FlagNote done = new FlagNote();
        AtomicInteger runs = new AtomicInteger();
        marking.startCycle(1, HYBRID, done, runs::incrementAndGet);
        marking.startBlackening();

        marking.drain(Marking.Drainer.IDLE, Long.MAX_VALUE, () -> false);
        marking.finishIfMine();
        assertTrue(marking.markDone() && done.woken, "marking ended and the coordinator was woken");
        assertEquals(0, runs.get());
    }

    /**
     * A drain that ends by an exception (here thrown at its safepoint) cannot be relied on to
     * run the pause afterwards: marking's end wakes the coordinator instead, so no cycle waits
     * for ever.
     */
    @Test
    void aDrainEndedByAnExceptionWakesTheCoordinator() {
        AtomicReference<Goroutine> current = new AtomicReference<>(goroutine());
        Marking[] m = new Marking[1];
        m[0] = new Marking(runtime(() -> {
            // Before the exception, the last root jobs are done elsewhere: this drain ends marking.
            m[0].drain(Marking.Drainer.IDLE, Long.MAX_VALUE, () -> false);
            throw new IllegalStateException("unwinding");
        }, current));
        FlagNote done = new FlagNote();
        AtomicInteger runs = new AtomicInteger();
        m[0].startCycle(1, HYBRID, done, runs::incrementAndGet);
        m[0].startBlackening();

        assertThrows(IllegalStateException.class, () -> m[0].drain(Marking.Drainer.BACKGROUND, Long.MAX_VALUE, () -> false));
        m[0].finishIfMine();
        assertTrue(m[0].markDone() && done.woken, "marking ended and the coordinator was woken");
        assertEquals(0, runs.get());
    }

    private static Goroutine goroutine() {
        return proxy(Goroutine.class, (name, args) -> null);
    }

    private static GcRuntime runtime(Runnable checkpoint) {
        return runtime(checkpoint, new AtomicReference<>());
    }

    private static GcRuntime runtime(Runnable checkpoint, AtomicReference<Goroutine> current) {
        RootSet empty = proxy(RootSet.class, (name, args) -> name.equals("size") ? 0 : null);
        HeapView heap = proxy(HeapView.class, (name, args) -> switch (name) {
            case "globals", "channelBuffers", "finalizerRoots" -> empty;
            default -> null;
        });
        return proxy(GcRuntime.class, (name, args) -> switch (name) {
            case "heap" -> heap;
            case "maxprocs", "gomaxprocs" -> 1;
            case "currentProc" -> 0;
            case "goroutineSlots" -> SLOTS;
            case "checkpoint" -> {
                checkpoint.run();
                yield null;
            }
            case "newNote" -> new FlagNote();
            case "currentGoroutine" -> current.get();
            default -> null;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    /** An implementation of {@code type} that answers {@code answer}, and false, 0 or null for the rest. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            Object v = answer.answer(method.getName(), args);
            if (v != null || !method.getReturnType().isPrimitive()) {
                return v;
            }
            Class<?> r = method.getReturnType();
            if (r == boolean.class) {
                return false;
            }
            if (r == void.class) {
                return null;
            }
            if (r == long.class) {
                return 0L;
            }
            if (r == double.class) {
                return 0.0;
            }
            return 0;
        });
    }
}
