package org.gort.alloc.tcmalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The table is Go 1.19's: the rows of its sizeclasses.go comment, and the rules that generated it. */
class SizeClassesTest {

    /** {@code class bytes/obj bytes/span objects tail-waste} rows from Go's sizeclasses.go. */
    private static final long[][] GO_ROWS = {
        {1, 8, 8192, 1024, 0}, {2, 16, 8192, 512, 0}, {3, 24, 8192, 341, 8}, {4, 32, 8192, 256, 0},
        {5, 48, 8192, 170, 32}, {9, 112, 8192, 73, 16}, {35, 1408, 16384, 11, 896}, {41, 3072, 24576, 8, 0},
        {60, 18432, 73728, 4, 0}, {61, 19072, 57344, 3, 128}, {63, 21760, 65536, 3, 256}, {64, 24576, 24576, 1, 0},
        {65, 27264, 81920, 3, 128}, {66, 28672, 57344, 2, 0}, {67, 32768, 32768, 1, 0},
    };

    @Test
    void rowsMatchGosTable() {
        assertEquals(68, SizeClasses.NUM_SIZE_CLASSES);
        for (long[] row : GO_ROWS) {
            int c = (int) row[0];
            assertEquals(row[1], SizeClasses.CLASS_TO_SIZE[c], "bytes/obj of class " + c);
            assertEquals(row[2], SizeClasses.CLASS_TO_ALLOCNPAGES[c] * 8192L, "bytes/span of class " + c);
            assertEquals(row[3], SizeClasses.CLASS_TO_NELEMS[c], "objects of class " + c);
            assertEquals(row[4], SizeClasses.tailWaste(c), "tail waste of class " + c);
        }
    }

    @Test
    void everyClassKeepsTailWasteUnderAnEighthOfItsSpan() {
        for (int c = 1; c < SizeClasses.NUM_SIZE_CLASSES; c++) {
            long span = SizeClasses.CLASS_TO_ALLOCNPAGES[c] * 8192L;
            assertTrue(SizeClasses.tailWaste(c) <= span / 8, "class " + c);
            assertTrue(SizeClasses.CLASS_TO_SIZE[c] > SizeClasses.CLASS_TO_SIZE[c - 1], "sizes increase");
        }
    }

    @Test
    void everySmallSizeMapsToTheSmallestClassThatHoldsIt() {
        for (int size = 1; size <= SizeClasses.MAX_SMALL_SIZE; size++) {
            int c = SizeClasses.sizeToClass(size);
            assertTrue(SizeClasses.CLASS_TO_SIZE[c] >= size, "class " + c + " too small for " + size);
            assertTrue(SizeClasses.CLASS_TO_SIZE[c - 1] < size, "class " + (c - 1) + " would hold " + size);
        }
        assertEquals(3, SizeClasses.sizeToClass(24), "a 24-byte object takes 24 bytes, not 32");
        assertEquals(67, SizeClasses.sizeToClass(32768));
    }

    @Test
    void spanClassesSeparateNoscan() {
        assertEquals(5, SizeClasses.spanClass(2, true));
        assertEquals(4, SizeClasses.spanClass(2, false));
        assertEquals(2, SizeClasses.sizeclass(5));
        assertTrue(SizeClasses.noscan(5));
    }
}
