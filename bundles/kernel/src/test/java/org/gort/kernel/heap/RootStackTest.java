package org.gort.kernel.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootStackTest {

    @Test
    void framesPushNilSlotsAndPopRestoresTheStack() {
        RootStack s = new RootStack();
        int a = s.push(2);
        assertEquals(0, a);
        s.set(a, 0x2000);
        s.set(a + 1, 0x3000);
        int b = s.push(3);
        assertEquals(2, b);
        assertEquals(0, s.get(b + 2), "new slots are nil");
        s.set(b + 2, 0x4000);
        assertEquals(5, s.size());
        s.pop(b);
        assertEquals(2, s.size());
        assertEquals(0x3000, s.get(a + 1));
        int c = s.push(3);
        assertEquals(0, s.get(c + 2), "a reused slot is nil again");
        s.pop(a);
        assertEquals(0, s.size());
    }

    @Test
    void theStackGrowsAndTheCollectorSeesEveryPointer() {
        RootStack s = new RootStack();
        for (int i = 0; i < 10_000; i++) {
            int f = s.push(1);
            s.set(f, i % 3 == 0 ? 0 : 0x2000 + 8L * i);
        }
        List<Long> seen = new ArrayList<>();
        s.forEachPointer(seen::add);
        assertEquals(10_000 - (10_000 + 2) / 3, seen.size(), "nil slots are skipped");
        assertEquals(0x2008, seen.get(0));
    }

    @Test
    void misuseIsReportedClearly() {
        RootStack s = new RootStack();
        int f = s.push(1);
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.set(-1, 0));
        assertThrows(IllegalStateException.class, () -> s.pop(2));
        assertThrows(IllegalArgumentException.class, () -> s.push(-1));
        s.pop(f);
    }
}
