package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gort.api.BadPointerException;
import org.gort.api.GoPanic;
import org.gort.api.Type;
import org.gort.kernel.heap.ManagedHeap;
import org.gort.kernel.heap.ObjectLayout;
import org.gort.spi.alloc.HeapArena;
import org.gort.spi.heap.WriteBarrier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel's object model on top of each allocator: layout, checked access, the collector's
 * hooks, and enumeration of objects (tiny blocks included).
 */
class HeapAccessTest {
    private static final Type NODE = Type.register("conformance.Node", 2, 16);
    private static final Type SMALL = Type.register("conformance.Small", 0, 4);
    private static final Type EMPTY = Type.register("conformance.Empty", 0, 0);
    /** More pointer slots than a header can carry: its type holds the count. */
    private static final Type WIDE = Type.register("conformance.Wide", 300, 8);

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void objectsHoldPointersAndScalars(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long a = heap.alloc(null, 0, NODE);
            long b = heap.alloc(null, 0, NODE);
            assertEquals(0, a % 8, "scan objects are 8-byte aligned");
            assertEquals(0, heap.loadPtr(a, 0), "new objects are zeroed");
            heap.storePtr(a, 1, b);
            heap.storeLong(a, 0, 0x1122334455667788L);
            heap.storeInt(a, 8, -7);
            heap.storeByte(a, 15, (byte) 9);
            assertEquals(b, heap.loadPtr(a, 1));
            assertEquals(0x1122334455667788L, heap.loadLong(a, 0));
            assertEquals(-7, heap.loadInt(a, 8));
            assertEquals(9, heap.loadByte(a, 15));
            assertEquals(NODE, heap.typeOf(a));
            assertEquals(2, heap.pointerSlots(a));
            assertEquals(b, heap.pointerAt(a, 1));
            assertEquals(32, heap.objectSize(a), "header 4 + size 4 + 2 slots of 4 + 16 scalar bytes");

            long bytes = heap.allocBytes(null, 0, 13);
            heap.storeBytes(bytes, 0, "hello, world!".getBytes(), 0, 13);
            byte[] back = new byte[13];
            heap.loadBytes(bytes, 0, back, 0, 13);
            assertArrayEquals("hello, world!".getBytes(), back);
            assertEquals(13, heap.length(bytes));
            assertEquals(Type.BYTES, heap.typeOf(bytes));

            long ptrs = heap.allocPointers(null, 0, 1000);
            heap.storePtr(ptrs, 999, a);
            assertEquals(a, heap.loadPtr(ptrs, 999));
            assertEquals(1000, heap.length(ptrs));
            assertEquals(1000, heap.pointerSlots(ptrs));
            assertEquals(Type.POINTERS, heap.typeOf(ptrs));

            long e = heap.alloc(null, 0, EMPTY);
            assertEquals(EMPTY, heap.typeOf(e));
        }
    }

    /** What a header and a scan struct's size word say agrees with the type, for every shape. */
    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void headersCarryTheShapeTheTypeHas(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long node = heap.alloc(null, 0, NODE);
            long small = heap.alloc(null, 0, SMALL);
            long wide = heap.alloc(null, 0, WIDE);
            long ptrs = heap.allocPointers(null, 0, 5);
            long bytes = heap.allocBytes(null, 0, 9);
            for (long obj : new long[] {node, small, wide, ptrs, bytes}) {
                assertEquals(heap.objectSize(obj) << 32 | heap.pointerSlots(obj), heap.sizeAndSlots(obj), heap.typeOf(obj).name());
            }
            assertEquals(List.of(2, 0, 300, 5, 0),
                    List.of(heap.pointerSlots(node), heap.pointerSlots(small), heap.pointerSlots(wide), heap.pointerSlots(ptrs),
                            heap.pointerSlots(bytes)));
            assertEquals(ObjectLayout.structSize(300, 8), heap.objectSize(wide));
            heap.storePtr(wide, 299, node);
            assertEquals(node, heap.loadPtr(wide, 299), "the last slot of a struct whose count is in its type");
            assertThrows(GoPanic.class, () -> heap.loadPtr(wide, 300));
            assertThrows(GoPanic.class, () -> heap.storePtr(node, 2, node), "a slot past the header's count");
            assertThrows(GoPanic.class, () -> heap.loadPtr(small, 0), "a noscan struct has no slots");
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void badAddressesAndIndicesRaiseClearErrors(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long a = heap.alloc(null, 0, NODE);
            BadPointerException nil = assertThrows(BadPointerException.class, () -> heap.loadPtr(0, 0));
            assertEquals("runtime error: invalid memory address or nil pointer dereference (loadPtr of nil)", nil.getMessage());
            BadPointerException outside = assertThrows(BadPointerException.class, () -> heap.loadLong(1L << 40, 0));
            assertTrue(outside.getMessage().contains("outside the heap"), outside.getMessage());
            assertThrows(BadPointerException.class, () -> heap.loadLong(100, 0), "the nil page holds no object");
            BadPointerException misaligned = assertThrows(BadPointerException.class, () -> heap.loadPtr(a + 2, 0));
            assertTrue(misaligned.getMessage().contains(String.format("0x%x", a + 2)), misaligned.getMessage());
            BadPointerException interior = assertThrows(BadPointerException.class, () -> heap.loadPtr(a + 8, 0));
            assertTrue(interior.getMessage().contains("not the start of an allocated object"), interior.getMessage());
            assertThrows(BadPointerException.class, () -> heap.loadPtr(heap.arena().committedEnd() + HeapArena.PAGE_SIZE, 0));
            assertThrows(BadPointerException.class, () -> heap.storePtr(a, 0, a + 8), "a bad value is never stored");
            assertEquals(0, heap.loadPtr(a, 0));
            assertThrows(BadPointerException.class, () -> heap.alloc(null, 0, NODE, a + 8, 0), "a composite literal checks its values");
            GoPanic narrow = assertThrows(GoPanic.class, () -> heap.alloc(null, 0, SMALL, 0, 0));
            assertTrue(narrow.getMessage().startsWith("runtime error: index out of range [0] with length 0"), narrow.getMessage());

            GoPanic slot = assertThrows(GoPanic.class, () -> heap.loadPtr(a, 2));
            assertTrue(slot.getMessage().startsWith("runtime error: index out of range [2] with length 2"), slot.getMessage());
            assertThrows(GoPanic.class, () -> heap.storePtr(a, -1, 0));
            GoPanic scalar = assertThrows(GoPanic.class, () -> heap.loadLong(a, 9));
            assertTrue(scalar.getMessage().contains("out of range"), scalar.getMessage());
            long bytes = heap.allocBytes(null, 0, 4);
            assertThrows(GoPanic.class, () -> heap.loadInt(bytes, 1));
            assertThrows(GoPanic.class, () -> heap.loadPtr(bytes, 0), "a []byte has no pointer slots");
            assertThrows(GoPanic.class, () -> heap.length(a), "len of a struct");
            assertThrows(GoPanic.class, () -> heap.allocBytes(null, 0, -1));
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void aStrategysWildAddressIsRejectedBeforeMemoryIsRead(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long a = heap.alloc(null, 0, NODE);
            long end = heap.maxHeapBytes();
            assertThrows(BadPointerException.class, () -> heap.pointerAt(1L << 40, 0));
            assertThrows(BadPointerException.class, () -> heap.pointerAt(a, (int) (end / ObjectLayout.SLOT_BYTES)), "a slot past the reservation");
            assertThrows(BadPointerException.class, () -> heap.sizeAndSlots(-8));
            assertThrows(BadPointerException.class, () -> heap.pointerSlots(end));
            assertThrows(BadPointerException.class, () -> heap.objectSize(0));
            assertEquals("?", heap.typeName(Long.MIN_VALUE));
            assertEquals(2, heap.pointerSlots(a), "a real object still reads");
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void anAccessAfterCloseIsAClearErrorNotACrash(String allocator) {
        ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1);
        long a = heap.alloc(null, 0, NODE);
        heap.storeLong(a, 0, 42);
        heap.close();
        BadPointerException e = assertThrows(BadPointerException.class, () -> heap.loadLong(a, 0));
        assertTrue(e.getMessage().contains("after its heap was closed"), e.getMessage());
        assertThrows(BadPointerException.class, () -> heap.storePtr(a, 0, 0));
        assertThrows(BadPointerException.class, () -> heap.pointerAt(a, 0));
        assertEquals(false, heap.looksLikeObject(a));
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void theWriteBarrierSeesEveryHeapPointerStoreBeforeItHappens(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long a = heap.alloc(null, 0, NODE);
            long b = heap.alloc(null, 0, NODE);
            long c = heap.alloc(null, 0, NODE);
            List<long[]> seen = new ArrayList<>();
            heap.setWriteBarrier((obj, slot, oldValue, newValue) -> {
                long current = obj == 0 ? heap.loadGlobal(slot) : heap.loadPtr(obj, slot);
                assertEquals(oldValue, current, "the barrier runs before the store");
                seen.add(new long[] {obj, slot, oldValue, newValue});
            });
            heap.storePtr(a, 0, b); // barrier off: not seen
            heap.setWriteBarrierEnabled(true);
            heap.storePtr(a, 0, c);
            heap.storePtr(a, 1, b);
            heap.storeGlobal(5, a);
            heap.storeGlobal(5, 0);
            long d = heap.alloc(null, 0, NODE, b, c); // &Node{b, c}: both initializing stores go through the barrier
            heap.setWriteBarrierEnabled(false);
            heap.storePtr(a, 1, 0);
            assertEquals(6, seen.size());
            assertArrayEquals(new long[] {d, 0, 0, b}, seen.get(4));
            assertArrayEquals(new long[] {d, 1, 0, c}, seen.get(5));
            assertEquals(b, heap.loadPtr(d, 0));
            assertEquals(c, heap.loadPtr(d, 1));
            assertArrayEquals(new long[] {a, 0, b, c}, seen.get(0));
            assertArrayEquals(new long[] {a, 1, 0, b}, seen.get(1));
            assertArrayEquals(new long[] {0, 5, 0, a}, seen.get(2));
            assertArrayEquals(new long[] {0, 5, a, 0}, seen.get(3));
            assertEquals(c, heap.loadPtr(a, 0));
            assertEquals(0, heap.loadGlobal(5));
        }
    }

    /** A barrier that asks for it also runs after each heap object store, seeing the new value in place. */
    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void anAfterStoreBarrierSeesTheStoreDone(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            long a = heap.alloc(null, 0, NODE);
            long b = heap.alloc(null, 0, NODE);
            List<String> seen = new ArrayList<>();
            heap.setWriteBarrier(new WriteBarrier() {
                @Override
                public void onPointerStore(long obj, int slot, long oldValue, long newValue) {
                    seen.add("before " + slot + " " + (obj == 0 ? "global" : heap.loadPtr(obj, slot) == oldValue));
                }

                @Override
                public boolean runsAfterStore() {
                    return true;
                }

                @Override
                public void afterPointerStore(long obj, int slot, long newValue) {
                    assertEquals(newValue, heap.loadPtr(obj, slot), "the store is done");
                    seen.add("after " + slot);
                }
            });
            heap.storePtr(a, 0, b); // barrier off: neither runs
            heap.setWriteBarrierEnabled(true);
            heap.storePtr(a, 1, b);
            heap.storeGlobal(3, a); // globals: before only
            heap.setWriteBarrierEnabled(false);
            heap.storePtr(a, 1, 0);
            assertEquals(List.of("before 1 true", "after 1", "before 3 global"), seen);
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void theAllocationHookSeesEveryObjectAfterItsHeaderIsWritten(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 1)) {
            List<Long> seen = new ArrayList<>();
            long[] bytes = {0};
            heap.setAllocationHook((g, addr, size) -> {
                assertEquals(null, g);
                assertTrue(heap.looksLikeObject(addr), "header written before the hook");
                seen.add(addr);
                bytes[0] += size;
                heap.markBitmap().mark(addr); // allocate black
            });
            long a = heap.alloc(null, 0, NODE);
            long s = heap.alloc(null, 0, SMALL);
            long arr = heap.allocPointers(null, 0, 3);
            assertEquals(List.of(a, s, arr), seen);
            assertEquals(32 + 8 + 24, bytes[0], "a []* of 3: header, length, 3 slots of 4, rounded to 8");
            heap.setAllocationHook(null);
            heap.allocator().sweepNow();
            assertTrue(heap.allocator().isAllocated(a) && heap.allocator().isAllocated(s), "black objects survive");
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void theFailureHookMayCollectAndHaveTheAllocationRetried(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 4L << 20, 1)) {
            int[] calls = {0};
            heap.setAllocationFailureHook((g, size) -> {
                calls[0]++;
                heap.allocator().sweepNow(); // nothing is marked: a collection that frees everything
                return true;
            });
            for (int i = 0; i < 200; i++) {
                assertNotEquals(0, heap.allocBytes(null, 0, 100_000));
            }
            assertTrue(calls[0] >= 4, "200 x 100 kB in a 4 MiB heap needs several collections, saw " + calls[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.alloc.AllocKit#allocators")
    void forEachObjectFindsEveryObjectIncludingThosePackedInTinyBlocks(String allocator) {
        try (ManagedHeap heap = AllocKit.heap(allocator, 64L << 20, 2)) {
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < 3000; i++) {
                int p = i & 1;
                expected.add(switch (i % 5) {
                    case 0 -> heap.alloc(null, p, SMALL);
                    case 1 -> heap.allocBytes(null, p, i % 9);
                    case 2 -> heap.alloc(null, p, NODE);
                    case 3 -> heap.allocPointers(null, p, i % 40);
                    default -> heap.allocBytes(null, p, 40_000 + i);
                });
            }
            Set<Long> found = new HashSet<>();
            heap.forEachObject(found::add);
            assertEquals(expected, found);
        }
    }
}
