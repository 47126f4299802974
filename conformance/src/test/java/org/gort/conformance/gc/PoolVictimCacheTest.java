package org.gort.conformance.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Heap;
import org.gort.api.Pool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sync.Pool's victim cache under every collector: a cycle moves a pool's contents to the victim
 * cache, where a Get on the same P still finds them; a second cycle drops them (Go 1.13's
 * poolCleanup). One P, so that the Get runs on the P of the Put.
 */
class PoolVictimCacheTest {

    static java.util.stream.Stream<String> collectors() {
        return GcKit.collectorNames();
    }

    @ParameterizedTest
    @MethodSource("collectors")
    void aPooledObjectSurvivesOneCycleInTheVictimCacheAndIsDroppedAtTheSecond(String collector) {
        AtomicInteger made = new AtomicInteger();
        GcKit.assertOk(GcKit.run(GcKit.config(collector, 1).build(), () -> {
            Pool<Object> pool = new Pool<>(() -> {
                made.incrementAndGet();
                return new Object();
            });
            Object a = new Object();
            pool.put(a);
            Heap.gc();
            assertSame(a, pool.get(), "after one cycle: found in the victim cache");
            assertEquals(0, made.get());
            pool.put(a);
            Heap.gc();
            Heap.gc();
            Object b = pool.get();
            assertEquals(1, made.get(), "after two cycles the pool is empty and New is called");
            pool.put(b);
            assertSame(b, pool.get(), "the pool works again after being cleared");
        }));
    }
}
