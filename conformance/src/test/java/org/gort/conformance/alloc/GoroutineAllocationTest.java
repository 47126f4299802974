package org.gort.conformance.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.gort.api.GoPanic;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunResult;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same pattern check as {@link ConcurrentPatternsTest}, driven through goroutines and the
 * public heap API: allocation happens on whatever P each goroutine runs on, goroutines move
 * between Ms at every yield, and every object is rooted (a {@code []*} held in a root slot).
 */
class GoroutineAllocationTest {
    static Stream<Arguments> cases() {
        return AllocKit.allocators().flatMap(a -> Kit.schedulers().map(s -> Arguments.of(a, s)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void objectsAllocatedByManyGoroutinesKeepTheirContents(String allocator, String scheduler) {
        int goroutines = 16;
        int perG = 1500;
        AtomicLong verified = new AtomicLong();
        RunResult r = Kit.run(Kit.config(scheduler, 4).allocator(allocator).build(), () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                int id = g;
                Go.go(() -> {
                    int f = Roots.push(1);
                    Roots.set(f, Heap.allocPointers(perG));
                    SplittableRandom rnd = new SplittableRandom(id);
                    for (int i = 0; i < perG; i++) {
                        int len = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(50_000) : 1 + rnd.nextInt(200);
                        long arr = Heap.allocBytes(len);
                        Heap.storePtr(Roots.get(f), i, arr);
                        Heap.storeBytes(arr, 0, pattern(id, i, len));
                        if (i % 100 == 0) {
                            Go.gosched();
                        }
                    }
                    for (int i = 0; i < perG; i++) {
                        long arr = Heap.loadPtr(Roots.get(f), i);
                        byte[] got = new byte[Heap.length(arr)];
                        Heap.loadBytes(arr, 0, got);
                        if (!java.util.Arrays.equals(got, pattern(id, i, got.length))) {
                            throw new GoPanic("goroutine " + id + ": object " + i + " was overwritten");
                        }
                        verified.incrementAndGet();
                    }
                    Roots.pop(f);
                    wg.done();
                });
            }
            wg.await();
        });
        assertTrue(r.ok(), r.failure());
        assertEquals((long) goroutines * perG, verified.get());
    }

    static byte[] pattern(int g, int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = (byte) (g * 31 + i * 7 + k * 13 + (k >> 8));
        }
        return b;
    }
}
