package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Roots;
import org.gort.api.Runtime;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * Scheduler swaps from outside while goroutines allocate, collect (their own stops of the
 * world), sleep (timer readies from outside any P) and exchange messages: every swap must
 * complete, no goroutine may be queued twice or lost, and the program's result must be right.
 */
class HotSwapUnderGcTest {
    private static final Type CELL = Type.register("swaptest.Cell", 1, 8);

    @Test
    void swapsInterleavedWithCollectionsAndTimers() throws Exception {
        int workers = 8;
        int rounds = 400;
        AtomicInteger sum = new AtomicInteger();
        RunHandle h = Runtime.start(Kit.config("gmp", 2).gogc(25).build(), Kit.catalog(), () -> {
            WaitGroup wg = new WaitGroup();
            Chan<Integer> results = Chan.make(workers);
            for (int w = 0; w < workers; w++) {
                int id = w;
                wg.add(1);
                Go.go(() -> {
                    int frame = Roots.push(2); // the chain, and the newest cell
                    int local = 0;
                    for (int i = 0; i < rounds; i++) {
                        long cell = Heap.alloc(CELL);
                        Roots.set(frame + 1, cell); // rooted before the next runtime call, as Heap says
                        Heap.storeLong(cell, 0, i);
                        Heap.storePtr(cell, 0, Roots.get(frame));
                        Roots.set(frame, (i % 50 == 0) ? 0 : cell);
                        local += (int) Heap.loadLong(cell, 0) == i ? 1 : 0;
                        Heap.allocBytes(4096); // garbage: about 13 MB in all, many cycles at GOGC=25
                        if (i % 100 == id) {
                            Go.sleepNanos(200_000);
                        }
                    }
                    Roots.pop(frame);
                    results.send(local);
                    wg.done();
                });
            }
            wg.await();
            for (int w = 0; w < workers; w++) {
                sum.addAndGet(results.recv());
            }
        });
        String[] names = {"legacy-gm", "gmp"};
        int swaps = 0;
        while (!h.isDone() && swaps < 60) {
            try {
                h.swapScheduler(names[swaps % 2], "test");
            } catch (IllegalStateException endedMeanwhile) {
                break;
            }
            swaps++;
        }
        RunResult r = h.await(Duration.ofMinutes(2));
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(workers * rounds, sum.get());
        assertTrue(swaps > 0);
        assertEquals(0, (long) r.metrics().get("sched.ejections"));
        assertTrue(r.metrics().get("gc.cycles", 0) >= 1, "collections ran: " + r.metrics().get("gc.cycles", 0));
    }
}
