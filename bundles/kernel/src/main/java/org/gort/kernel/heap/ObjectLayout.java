package org.gort.kernel.heap;

/**
 * The object format (see {@link ManagedHeap} for the whole picture). All sizes are in bytes.
 *
 * <pre>
 * header word (4 bytes, little-endian int) = typeId &lt;&lt; 16 | slots &lt;&lt; 8 | 0xA7
 *
 * struct with pointers (scan, 8-byte aligned):  [header][size 4][slot 0 .. slot p-1: 4 each][scalars]
 * struct without pointers (noscan, 4-aligned):  [header][scalars]
 * byte array (noscan, 4-byte aligned):          [header][length 4][bytes]
 * pointer array (scan, 8-byte aligned):         [header][length 4][slot 0 .. slot n-1: 4 each]
 * </pre>
 *
 * The header carries the pointer-slot count of a struct with fewer than 255 slots ({@code
 * slots}; {@link #SLOTS_ELSEWHERE} for a bigger struct, whose type has it, and for a pointer
 * array, whose length word has it), and a scan struct keeps its size in the word after the
 * header: a pointer access and a marker's scan read the object's own first line, not its type.
 *
 * <p>A pointer slot holds a compressed address: the address (always a multiple of 4) shifted
 * right by two, as a 32-bit unsigned word, so slots reach a heap of up to 16 GiB
 * ({@link #MAX_HEAP_BYTES}) and a struct of two pointers takes 16 bytes, as Go's does on a
 * 64-bit machine (the JVM's compressed oops make the same trade). Only the kernel reads and
 * writes slots; everyone else sees full addresses.
 *
 * The low byte {@code 0xA7} tags a header: zeroed memory (tag 0) and the {@code clobberfree}
 * poison {@code 0xdeadbeef} (tag 0xEF) are never mistaken for an object, and a wild address
 * inside an object's data is caught unless its four bytes happen to look like a header of a
 * registered type. Sizes are rounded to 8 for scan objects and to 4 for noscan objects, so a
 * noscan object with a 4-byte payload takes 8 bytes and two of them share one 16-byte tiny block.
 */
public final class ObjectLayout {
    public static final int TAG = 0xA7;
    public static final int TAG_MASK = 0xFF;
    public static final int SLOTS_SHIFT = 8;
    /** A header's slot count when the type (a struct of 255 slots or more) or the length word (a pointer array) holds it. */
    public static final int SLOTS_ELSEWHERE = 0xFF;
    public static final int TYPE_SHIFT = 16;
    /** Type ids fit in the 16 bits above the slot count. */
    public static final int MAX_TYPE_ID = (1 << 16) - 1;
    /** The {@code clobberfree} poison word. */
    public static final int POISON = 0xdeadbeef;
    public static final int HEADER_BYTES = 4;
    /** Offset of the length word of an array, and of a scan struct's size word. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the first pointer slot (scan structs and pointer arrays) and of a byte array's data. */
    public static final int SLOTS_OFFSET = 8;
    public static final int SLOT_BYTES = 4;
    /** A compressed slot is an address shifted right by this much. */
    public static final int SLOT_SHIFT = 2;
    /** The largest heap a compressed slot can address: 2^32 words of 4 bytes. */
    public static final long MAX_HEAP_BYTES = 1L << (32 + SLOT_SHIFT);

    /** Type ids of the two built-in array types. */
    public static final int BYTES_TYPE_ID = 1;
    public static final int POINTERS_TYPE_ID = 2;

    /** The highest registered type id: ids are handed out in order, so 1..this are all registered. */
    private static volatile int lastTypeId;

    private ObjectLayout() {
    }

    /** Called by {@code Type} under its lock when it registers {@code id}. */
    public static void typeRegistered(int id) {
        if (id > lastTypeId) {
            lastTypeId = id;
        }
    }

    /** True if a type is registered under {@code id}, without looking the type up. */
    public static boolean registeredTypeId(int id) {
        return id > 0 && id <= lastTypeId;
    }

    /**
     * The header of an object of type {@code typeId}: {@code pointerSlots} is a struct's slot
     * count, or -1 for a pointer array (whose length holds it).
     */
    public static int header(int typeId, int pointerSlots) {
        int slots = pointerSlots >= 0 && pointerSlots < SLOTS_ELSEWHERE ? pointerSlots : SLOTS_ELSEWHERE;
        return typeId << TYPE_SHIFT | slots << SLOTS_SHIFT | TAG;
    }

    /** The slot count a header carries: the struct's, or {@link #SLOTS_ELSEWHERE}. */
    public static int slots(int header) {
        return header >>> SLOTS_SHIFT & 0xFF;
    }

    public static boolean isHeader(int word) {
        return (word & TAG_MASK) == TAG;
    }

    public static int typeId(int header) {
        return header >>> TYPE_SHIFT;
    }

    /** Size of a struct object with {@code pointerSlots} slots and {@code scalarBytes} scalars. */
    public static long structSize(int pointerSlots, int scalarBytes) {
        return pointerSlots > 0
                ? align(SLOTS_OFFSET + (long) SLOT_BYTES * pointerSlots + scalarBytes, 8)
                : align(HEADER_BYTES + (long) scalarBytes, 4);
    }

    /** Offset of a struct's first scalar byte. */
    public static long scalarOffset(int pointerSlots) {
        return pointerSlots > 0 ? SLOTS_OFFSET + (long) SLOT_BYTES * pointerSlots : HEADER_BYTES;
    }

    public static long byteArraySize(long length) {
        return align(SLOTS_OFFSET + length, 4);
    }

    /** The word a pointer slot holds for {@code addr} (0 for nil). */
    public static int compress(long addr) {
        return (int) (addr >>> SLOT_SHIFT);
    }

    /** The address a pointer slot's word {@code slot} stands for. */
    public static long decompress(int slot) {
        return Integer.toUnsignedLong(slot) << SLOT_SHIFT;
    }

    public static long pointerArraySize(long length) {
        return align(SLOTS_OFFSET + SLOT_BYTES * length, 8);
    }

    static long align(long n, long a) {
        return (n + a - 1) & -a;
    }
}
