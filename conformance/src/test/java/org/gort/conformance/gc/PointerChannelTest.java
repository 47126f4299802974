package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.BadPointerException;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Recv;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.Select;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pointer channels ({@code Chan.ofPointers}, Go's {@code chan *T}) keep what they carry alive
 * under every collector: in the buffer, in a blocked sender, in a select, on the way to a
 * receiver. Each test leaves the channel as the only holder, forces full cycles with
 * {@code clobberfree} and {@code gccheckmark} on, and reads every object back. A channel of
 * plain {@code Long}s loses the same objects, which shows the tests can fail.
 */
class PointerChannelTest {
    private static final Type BOX = Type.register("chantest.Box", 1, 8);

    private static long box(long id) {
        long b = Heap.alloc(BOX);
        Heap.storeLong(b, 0, id);
        return b;
    }

    private static long idOf(long b) {
        return Heap.loadLong(b, 0);
    }

    private static RunResult run(String collector, Runnable main) {
        return GcKit.run(GcKit.config(collector, 2).clobberfree(true).build(), main);
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void aBufferedChannelIsTheOnlyHolder(String collector) {
        int n = 200;
        GcKit.assertOk(run(collector, () -> {
            Chan<Long> c = Chan.ofPointers(n);
            for (int i = 1; i <= n; i++) {
                long b = box(i);
                Heap.storePtr(b, 0, box(1000 + i)); // the buffer keeps a whole subgraph
                c.send(b);
            }
            Heap.gc();
            Heap.gc();
            int f = Roots.push(1);
            for (int i = 1; i <= n; i++) {
                Roots.set(f, c.recv());
                assertEquals(i, idOf(Roots.get(f)), "buffered values come out in order, alive");
                assertEquals(1000 + i, idOf(Heap.loadPtr(Roots.get(f), 0)));
            }
            Roots.pop(f);
            c.close();
            Recv<Long> closed = c.recv2();
            assertEquals(0L, closed.value(), "a closed pointer channel yields nil");
            assertTrue(!closed.ok());
        }));
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void blockedSendersKeepTheirValues(String collector) {
        int senders = 50;
        GcKit.assertOk(run(collector, () -> {
            Chan<Long> c = Chan.ofPointers();
            WaitGroup started = new WaitGroup();
            for (int i = 1; i <= senders; i++) {
                long id = i;
                started.add(1);
                Go.go(() -> {
                    started.done();
                    c.send(box(id)); // a fresh object, rooted by the send itself
                });
            }
            started.await();
            Heap.gc();
            Heap.gc();
            long sum = 0;
            int f = Roots.push(1);
            for (int i = 0; i < senders; i++) {
                Roots.set(f, c.recv());
                sum += idOf(Roots.get(f));
            }
            Roots.pop(f);
            assertEquals((long) senders * (senders + 1) / 2, sum);
        }));
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void aValueDeliveredToAParkedReceiverSurvivesUntilItRuns(String collector) {
        int receivers = 50;
        AtomicLong sum = new AtomicLong();
        GcKit.assertOk(run(collector, () -> {
            Chan<Long> c = Chan.ofPointers();
            Chan<Long> never = Chan.ofPointers();
            Chan<Boolean> go = Chan.make();
            WaitGroup done = new WaitGroup();
            for (int i = 0; i < receivers; i++) {
                boolean viaSelect = i % 2 == 0;
                done.add(1);
                Go.go(() -> {
                    int f = Roots.push(1);
                    if (viaSelect) {
                        long[] got = new long[1];
                        Select.create().recv(never, (v, ok) -> { }).recv(c, (v, ok) -> got[0] = v).run();
                        Roots.set(f, got[0]);
                    } else {
                        Roots.set(f, c.recv());
                    }
                    go.recv(); // parked again, the value only in the root slot the channel filled
                    sum.addAndGet(idOf(Roots.get(f)));
                    Roots.pop(f);
                    done.done();
                });
            }
            for (int i = 1; i <= receivers; i++) {
                c.send(box(i));
                Heap.gc(); // cycles while some receivers are readied but have not run
            }
            Heap.gc();
            go.close();
            done.await();
        }));
        assertEquals((long) receivers * (receivers + 1) / 2, sum.get());
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void aBlockedSelectSendKeepsItsValue(String collector) {
        GcKit.assertOk(run(collector, () -> {
            Chan<Long> a = Chan.ofPointers();
            Chan<Long> b = Chan.ofPointers(1);
            b.send(box(7)); // b is full: neither case can proceed
            WaitGroup started = new WaitGroup();
            started.add(1);
            Go.go(() -> {
                started.done();
                // Both values rooted before the select: box(2)'s allocation is a safepoint at
                // which a cycle may begin, and box(1) held only in the select's arguments
                // would not be a root then.
                int g = Roots.push(2);
                Roots.set(g, box(1));
                Roots.set(g + 1, box(2));
                Select.create().send(a, Roots.get(g), null).send(b, Roots.get(g + 1), null).run();
                Roots.pop(g);
            });
            started.await();
            Heap.gc();
            Heap.gc();
            int f = Roots.push(2);
            Roots.set(f, b.recv()); // takes 7 and moves the blocked select's value into b's buffer
            long first = idOf(Roots.get(f));
            assertEquals(7, first);
            long[] got = new long[1];
            int chosen = Select.create().recv(a, (v, ok) -> got[0] = v).recv(b, (v, ok) -> got[0] = v).run();
            Roots.set(f + 1, got[0]);
            long id = idOf(Roots.get(f + 1));
            assertEquals(chosen == 0 ? 1 : 2, id, "the select's value arrived intact");
            Roots.pop(f);
        }));
    }

    /** The control: the same buffered hand-over through a channel of plain numbers loses the objects. */
    @Test
    void aChannelOfPlainLongsDoesNotKeepObjectsAlive() {
        AtomicReference<String> error = new AtomicReference<>();
        GcKit.assertOk(run("stw", () -> {
            Chan<Long> c = Chan.make(10);
            for (int i = 1; i <= 10; i++) {
                c.send(box(i));
            }
            Heap.gc();
            try {
                idOf(c.recv());
            } catch (BadPointerException e) {
                error.set(e.getMessage());
            }
        }));
        assertTrue(error.get() != null && error.get().contains("use of freed object"),
                () -> "expected the object to be freed, got " + error.get());
    }

    @ParameterizedTest
    @MethodSource("org.gort.conformance.gc.GcKit#collectorNames")
    void theBufferOfAnUnreachableChannelIsCollected(String collector) {
        GcKit.assertOk(run(collector, () -> {
            long before = liveAfterGc();
            makeAndDrop();
            // The channel held 1 000 boxes in its buffer; once Java drops the channel, they go.
            long after = liveAfterGc();
            for (int attempt = 0; attempt < 200 && after >= before + 1000; attempt++) {
                System.gc();
                Go.sleep(java.time.Duration.ofMillis(5));
                after = liveAfterGc();
            }
            long held = after;
            assertTrue(held < before + 1000, () -> "live objects " + before + " before, " + held + " after");
        }));
    }

    private static void makeAndDrop() {
        Chan<Long> c = Chan.ofPointers(1000);
        for (int i = 0; i < 1000; i++) {
            c.send(box(i));
        }
    }

    private static long liveAfterGc() {
        Heap.gc();
        return Heap.memStats().lastMarkedObjects();
    }
}
