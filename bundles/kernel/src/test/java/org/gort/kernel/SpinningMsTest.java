package org.gort.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@code sched.nmspinning} against its flags: Ms flip their own flag while a scheduler swap
 * clears every M's from another thread, as findRunnable's tail and {@code stopAll} do in a run.
 * The count must end equal to the flags set and never be seen below zero; a swap that reset
 * the count, or a flag cleared without its CAS, fails within a few thousand rounds here.
 */
class SpinningMsTest {
    private static final int MS = 4;
    private static final int FLIPS = 1_000_000;

    private static List<M> ms(int n) {
        List<M> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(new M(i, null, i, "spinning-test-M" + i)); // its thread is never started
        }
        return ms;
    }

    private static int flagsSet(List<M> ms) {
        int n = 0;
        for (M m : ms) {
            n += m.spinning ? 1 : 0;
        }
        return n;
    }

    @Test
    void aFlagIsCountedOnceAndDiscountedOnce() {
        SpinningMs s = new SpinningMs();
        List<M> ms = ms(3);
        s.set(ms.get(0), true);
        s.set(ms.get(0), true);
        s.set(ms.get(1), true);
        assertEquals(2, s.get());
        s.set(ms.get(2), false);
        s.set(ms.get(0), false);
        s.set(ms.get(0), false);
        assertEquals(1, s.get());
        s.stopAll(ms);
        assertEquals(0, s.get());
        assertEquals(0, flagsSet(ms));
    }

    @Test
    void wakepClaimsOnlyWhileNobodySpins() {
        SpinningMs s = new SpinningMs();
        M m = ms(1).get(0);
        assertTrue(s.tryStart());
        assertFalse(s.tryStart(), "a second wakep sees the first one's claim");
        s.cancel();
        s.set(m, true);
        assertFalse(s.tryStart(), "a spinning M exists");
        s.stopAll(List.of(m));
        assertTrue(s.tryStart());
        assertEquals(1, s.get()); // the claim: startm hands it to the M it wakes
    }

    /**
     * Each of {@link #MS} threads flips its own M's flag at random while a swap thread clears
     * them all, over and over, and an observer reads the count. The swap runs without a stopped
     * world here, which is harsher than a run: there no M sets its flag during a swap.
     */
    @RepeatedTest(10)
    void swapsAndMsClearingTheSameFlagsLoseNoCount() throws Exception {
        SpinningMs s = new SpinningMs();
        List<M> ms = ms(MS);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger lowest = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(MS + 2);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < MS; i++) {
            M m = ms.get(i);
            long seed = i;
            threads.add(new Thread(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                await(start);
                for (int f = 0; f < FLIPS; f++) {
                    s.set(m, r.nextBoolean());
                }
            }));
        }
        threads.add(new Thread(() -> {
            await(start);
            while (!done.get()) {
                s.stopAll(ms);
            }
        }));
        threads.add(new Thread(() -> {
            await(start);
            while (!done.get()) {
                lowest.accumulateAndGet(s.get(), Math::min);
            }
        }));
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
            t.start();
        }
        for (int i = 0; i < MS; i++) {
            threads.get(i).join();
        }
        done.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(flagsSet(ms), s.get(), "the count against the flags set");
        assertTrue(lowest.get() >= 0, "the count was seen at " + lowest.get());
        s.stopAll(ms);
        assertEquals(0, s.get());
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
