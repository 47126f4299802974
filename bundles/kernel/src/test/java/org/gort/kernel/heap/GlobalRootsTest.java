package org.gort.kernel.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalRootsTest {

    @Test
    void concurrentStoresToManyGlobalsAreNeverLostToGrowth() throws Exception {
        GlobalRoots g = new GlobalRoots();
        int threads = 8;
        int per = 5000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < per; i++) {
                    int index = i * threads + id; // interleaved, so chunks grow under every thread
                    g.set(index, 0x1000L + index);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(threads * per, g.size());
        for (int i = 0; i < threads * per; i++) {
            assertEquals(0x1000L + i, g.get(i), "global " + i);
        }
        assertEquals(0, g.get(threads * per + 12345), "unset globals are nil");
    }

    @Test
    void indicesOutOfRangeAreRefused() {
        GlobalRoots g = new GlobalRoots();
        assertThrows(IndexOutOfBoundsException.class, () -> g.set(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> g.get(GlobalRoots.MAX_GLOBALS));
    }
}
