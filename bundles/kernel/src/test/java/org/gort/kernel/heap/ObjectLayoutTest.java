package org.gort.kernel.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.Type;
import org.junit.jupiter.api.Test;

class ObjectLayoutTest {

    @Test
    void sizesFollowTheHeaderFormat() {
        assertEquals(8, ObjectLayout.structSize(0, 4), "a noscan object with a 4-byte payload takes 8 bytes: two share a tiny block");
        assertEquals(4, ObjectLayout.structSize(0, 0));
        assertEquals(12, ObjectLayout.structSize(0, 5), "noscan objects round to 4 bytes");
        assertEquals(16, ObjectLayout.structSize(1, 0), "header, size word, one slot, rounded to 8");
        assertEquals(16, ObjectLayout.structSize(2, 0), "two pointers take 16 bytes, as in Go");
        assertEquals(24, ObjectLayout.structSize(2, 1), "scan objects round to 8 bytes");
        assertEquals(8 + 4 * 3, ObjectLayout.scalarOffset(3));
        assertEquals(4, ObjectLayout.scalarOffset(0));
        assertEquals(8, ObjectLayout.byteArraySize(0));
        assertEquals(12, ObjectLayout.byteArraySize(1));
        assertEquals(8 + 40, ObjectLayout.pointerArraySize(10));
        assertEquals(24, ObjectLayout.pointerArraySize(3), "pointer arrays round to 8 bytes, like scan structs");
    }

    @Test
    void slotsHoldCompressedAddressesUpTo16GiB() {
        assertEquals(0, ObjectLayout.compress(0));
        assertEquals(0, ObjectLayout.decompress(0));
        long top = ObjectLayout.MAX_HEAP_BYTES - 4;
        assertEquals(top, ObjectLayout.decompress(ObjectLayout.compress(top)), "the last word of a 16 GiB heap");
        assertEquals(0x2000, ObjectLayout.decompress(ObjectLayout.compress(0x2000)));
        assertTrue(ObjectLayout.compress(top) < 0, "the upper half of the heap uses the sign bit: slots are unsigned");
        assertEquals(16L << 30, ObjectLayout.MAX_HEAP_BYTES);
    }

    @Test
    void headersAreTaggedSoZeroAndPoisonAreNeverObjects() {
        int h = ObjectLayout.header(12345, 2);
        assertTrue(ObjectLayout.isHeader(h));
        assertEquals(12345, ObjectLayout.typeId(h));
        assertEquals(2, ObjectLayout.slots(h));
        assertEquals(ObjectLayout.MAX_TYPE_ID, ObjectLayout.typeId(ObjectLayout.header(ObjectLayout.MAX_TYPE_ID, 0)));
        assertFalse(ObjectLayout.isHeader(0));
        assertFalse(ObjectLayout.isHeader(ObjectLayout.POISON));
    }

    @Test
    void headersCarryTheSlotCountOfSmallStructsOnly() {
        assertEquals(0, ObjectLayout.slots(ObjectLayout.header(7, 0)));
        assertEquals(254, ObjectLayout.slots(ObjectLayout.header(7, 254)));
        assertEquals(ObjectLayout.SLOTS_ELSEWHERE, ObjectLayout.slots(ObjectLayout.header(7, 255)), "the type holds it");
        assertEquals(ObjectLayout.SLOTS_ELSEWHERE, ObjectLayout.slots(ObjectLayout.header(7, 1 << 20)));
        assertEquals(ObjectLayout.SLOTS_ELSEWHERE, ObjectLayout.slots(ObjectLayout.header(ObjectLayout.POINTERS_TYPE_ID, -1)),
                "a pointer array's length holds it");
        assertEquals(7, ObjectLayout.typeId(ObjectLayout.header(7, 1 << 20)), "a big count does not spill into the type id");
        Type t = Type.register("layout.Registered", 1, 0);
        assertTrue(ObjectLayout.registeredTypeId(t.id()));
        assertFalse(ObjectLayout.registeredTypeId(0));
        assertFalse(ObjectLayout.registeredTypeId(ObjectLayout.MAX_TYPE_ID));
    }

    @Test
    void typesRegisterOnceByName() {
        Type t = Type.register("layout.T", 2, 8);
        assertSame(t, Type.register("layout.T", 2, 8));
        assertSame(t, Type.byId(t.id()));
        assertSame(t, Type.byName("layout.T"));
        assertEquals(24, t.size(), "header, size word, two 4-byte slots, 8 scalar bytes");
        assertFalse(t.noscan());
        assertTrue(Type.register("layout.U", 0, 8).noscan());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Type.register("layout.T", 1, 8));
        assertTrue(e.getMessage().contains("already registered as 2 pointer slots and 8 scalar bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Type.register("layout.V", -1, 0));
        assertTrue(Type.BYTES.noscan() && Type.BYTES.isArray());
        assertFalse(Type.POINTERS.noscan());
        assertEquals(ObjectLayout.BYTES_TYPE_ID, Type.BYTES.id());
    }
}
