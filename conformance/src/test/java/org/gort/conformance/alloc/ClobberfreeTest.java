package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.List;
import org.gort.api.BadPointerException;
import org.gort.api.Type;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.kernel.heap.ObjectLayout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's {@code clobberfree}: freed memory is poisoned, and touching a freed object raises a
 * clear error naming it instead of reading garbage. Without it, {@code checkptr} still catches
 * an access to a block the allocator no longer holds.
 */
class ClobberfreeTest {
    private static final Type PAIR = Type.register("conformance.Pair", 2, 8);
    private static final Type TINY = Type.register("conformance.Tiny", 0, 4);

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void touchingAFreedObjectRaisesAClearError(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, new ManagedHeap.Options(64L << 20, 1, true, false))) {
            long live = heap.alloc(null, 0, PAIR);
            long pair = heap.alloc(null, 0, PAIR);
            long tiny = heap.alloc(null, 0, TINY);
            long bytes = heap.allocBytes(null, 0, 100);
            long ptrs = heap.allocPointers(null, 0, 10);
            long large = heap.allocBytes(null, 0, 100_000);
            heap.storePtr(pair, 0, live);
            heap.markBitmap().mark(live);
            heap.allocator().sweepNow();

            for (long freed : List.of(pair, tiny, bytes, ptrs, large)) {
                assertEquals(ObjectLayout.POISON, heap.arena().memory().get(ValueLayout.JAVA_INT, freed),
                        "a freed block is poisoned, header included");
                assertFreed(freed, () -> heap.typeOf(freed));
                assertFreed(freed, () -> heap.loadByte(freed, 0));
            }
            assertFreed(pair, () -> heap.loadPtr(pair, 0));
            assertFreed(pair, () -> heap.storePtr(pair, 1, live));
            assertFreed(pair, () -> heap.storeLong(pair, 0, 1));
            assertFreed(ptrs, () -> heap.length(ptrs));
            assertFreed(large, () -> heap.storeBytes(large, 0, new byte[10], 0, 10));
            assertFreed(pair, () -> heap.storePtr(live, 0, pair));
            assertFreed(pair, () -> heap.storeGlobal(0, pair));
            // the survivor is untouched
            assertEquals(0, heap.loadPtr(live, 0));
            assertEquals(PAIR, heap.typeOf(live));
        }
    }

    private static void assertFreed(long addr, Executable access) {
        BadPointerException e = assertThrows(BadPointerException.class, access);
        assertEquals(addr, e.address());
        assertTrue(e.getMessage().contains(String.format("use of freed object 0x%x", addr)), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void checkptrCatchesAFreedBlockWithoutPoison(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, new ManagedHeap.Options(64L << 20, 1, false, true))) {
            long pair = heap.alloc(null, 0, PAIR);
            long keep = heap.alloc(null, 0, PAIR);
            heap.markBitmap().mark(keep);
            heap.allocator().sweepNow();
            BadPointerException e = assertThrows(BadPointerException.class, () -> heap.loadPtr(pair, 0));
            assertTrue(e.getMessage().contains("not the start of an allocated object"), e.getMessage());
            assertEquals(0, heap.loadPtr(keep, 0));
        }
    }
}
