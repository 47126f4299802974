package org.gort.spi.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Proxy;
import org.gort.spi.alloc.Allocator;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.HeapView;
import org.gort.spi.pacer.CycleResult;
import org.gort.spi.pacer.MemoryState;
import org.gort.spi.pacer.PacerConfig;
import org.gort.spi.pacer.PacerPolicy;
import org.gort.spi.pacer.PacerStrategy;
import org.junit.jupiter.api.Test;

/**
 * What the memory limit's goal is computed from (Go's memoryLimitHeapGoal): heapAlloc is the
 * heap's object bytes not yet freed by a sweep (totalAlloc - totalFree), not heapLive, which
 * mark termination sets to the marked heap. Between mark termination and the sweep the two
 * differ by the cycle's garbage; read as non-heap memory, that garbage pulled the goal down to
 * the marked heap whenever the sweep lagged (a loaded machine), and cycles ran back to back.
 */
class PacerMemoryStateTest {
    private static final long MB = 1L << 20;

    @Test
    void heapAllocIsTheAllocatorsBytesInUseNotHeapLive() {
        MemoryState[] seen = new MemoryState[1];
        PacerStrategy strategy = new PacerStrategy() {
            @Override public String name() { return "test-recording"; }
            @Override public String description() { return "records the memory state"; }
            @Override public PacerPolicy create(PacerConfig config) { return new Recording(seen); }
        };
        Allocator allocator = proxy(Allocator.class, name -> switch (name) {
            case "pagesInUse" -> 12 * MB / HeapArena.PAGE_SIZE; // 12 MiB of pages in spans
            case "bytesInUse" -> 11 * MB;                          // 11 MiB of objects not swept away yet
            default -> throw new UnsupportedOperationException(name);
        });
        HeapView heap = proxy(HeapView.class, name -> {
            if (name.equals("allocator")) {
                return allocator;
            }
            throw new UnsupportedOperationException(name);
        });
        Pacer pacer = new Pacer(strategy, new PacerConfig(PacerConfig.GOGC_OFF, 16 * MB, 2, true), 2);
        pacer.heapLive.set(3 * MB); // mark termination: heapLive is the marked heap, 8 MiB of garbage unswept

        pacer.sample(heap, 14 * MB, 1_000_000, 0, 2);

        MemoryState m = seen[0];
        assertNotNull(m, "a memory limit is set: the policy hears of the heap's memory");
        assertEquals(14 * MB, m.mapped());
        assertEquals(2 * MB, m.heapFree(), "retained less the pages in spans");
        assertEquals(11 * MB, m.heapAlloc(), "heapAlloc counts the garbage no sweep has freed, as Go's totalAlloc - totalFree");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.util.function.Function<String, Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> answer.apply(method.getName()));
    }

    /** A policy that only records what it is told of the heap's memory. */
    private record Recording(MemoryState[] seen) implements PacerPolicy {
        @Override public long heapGoal() { return 16 * MB; }
        @Override public long trigger() { return 15 * MB; }
        @Override public void startCycle(long heapLive) { }
        @Override public double revise(long heapLive, long heapScanWork, long rootScanWork) { return 0; }
        @Override public void endCycle(CycleResult cycle) { }
        @Override public void setConcurrent(boolean concurrent) { }
        @Override public void memoryChanged(MemoryState memory) { seen[0] = memory; }
    }
}
