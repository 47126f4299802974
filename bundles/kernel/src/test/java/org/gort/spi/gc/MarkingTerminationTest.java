package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.spi.heap.HeapView;
import org.gort.spi.heap.RootSet;
import org.junit.jupiter.api.Test;

/**
 * Marking's termination test (gcMarkDone) when a background drainer is held at a safepoint
 * inside its drain while its cycle ends and the next one starts.
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
                m[0].startCycle(2, HYBRID, done[1]);
                m[0].startBlackening();
            }
        });
        m[0] = new Marking(rt);
        Marking marking = m[0];
        marking.startCycle(1, HYBRID, done[0]);
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

    private static GcRuntime runtime(Runnable checkpoint) {
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
