package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.Heap;
import org.gort.api.HeapExhaustedException;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Type;
import org.gort.conformance.Kit;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.spi.alloc.Allocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A full heap is a clear out-of-memory error, and a run that hits it ends cleanly. */
class ExhaustionTest {
    private static final Type CELL = Type.register("conformance.Cell", 1, 48);

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void theAllocatorReturnsZeroAndTheHeapRaisesAClearError(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 4L << 20, 1)) {
            Allocator a = heap.allocator();
            int n = 0;
            while (a.allocate(100_000, true, 0) != 0) {
                n++;
                assertTrue(n < 100, "a 4 MiB heap held more than 100 blocks of 100 kB");
            }
            assertTrue(n >= 30, "only " + n + " blocks of 100 kB fit in a 4 MiB heap");
            HeapExhaustedException e = assertThrows(HeapExhaustedException.class, () -> heap.allocBytes(null, 0, 100_000));
            assertEquals("out of memory: heap limit 4 MiB reached allocating 100008 bytes; raise the limit, e.g. --max-heap 8MiB", e.getMessage());
            assertEquals(0, a.allocate(1L << 40, false, 0), "a request beyond the limit fails, it does not throw");
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void aGoroutineExhaustingTheHeapEndsTheRunCleanly(String allocator) {
        RunResult r = Kit.run(Kit.config("gmp", 2).allocator(allocator).maxHeapBytes(8L << 20).build(), () -> {
            int f = Roots.push(2); // the chain, and the newest cell
            for (;;) {
                long cell = Heap.alloc(CELL);
                Roots.set(f + 1, cell); // rooted before the next runtime call, as Heap says
                Heap.storePtr(cell, 0, Roots.get(f));
                Roots.set(f, cell);
            }
        });
        assertEquals(RunStatus.OUT_OF_MEMORY, r.status(), r.failure());
        assertTrue(r.failure().startsWith("fatal error: out of memory: heap limit 8 MiB reached allocating 64 bytes"),
                r.failure());
    }
}
