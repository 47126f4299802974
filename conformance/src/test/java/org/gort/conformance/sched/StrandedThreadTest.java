package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.BadPointerException;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.Type;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * A goroutine in a loop with no safepoint cannot be stopped: stopping its run says so, and its
 * thread is listed by {@link Runtime#strandedThreads()} for as long as it spins, then no more.
 */
class StrandedThreadTest {
    private static final Type CELL = Type.register("conformance.stranded.Cell", 0, 8);
    private static volatile long sink;

    /** Waits until {@code spinning} is counted down, stops the run and checks it ended with one M stuck. */
    private static RunResult stopWhileSpinning(RunHandle h, CountDownLatch spinning) throws Exception {
        assertTrue(spinning.await(60, TimeUnit.SECONDS), "the goroutine never started");
        h.stop("stopped by the test");
        RunResult r = h.await(Duration.ofMinutes(1));
        assertEquals(RunStatus.STOPPED, r.status(), r.failure());
        assertEquals(1, r.metrics().count("run.ms.stuck"), r.failure());
        return r;
    }

    @Test
    void aThreadThatCannotBeStoppedIsListedUntilItExits() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        AtomicReference<Thread> m = new AtomicReference<>();
        AtomicLong turns = new AtomicLong();
        RunHandle h = Runtime.start(Kit.config("gmp", 1).build(), Kit.catalog(), () -> {
            Go.checkpoint();
            m.set(Thread.currentThread()); // the M's thread: a goroutine runs on its carrier
            spinning.countDown();
            long n = 0;
            while (!release.get()) { // no runtime call: no safepoint
                n++;
            }
            turns.set(n);
        });
        try {
            RunResult r = stopWhileSpinning(h, spinning);
            assertTrue(r.failure().contains("warning: M0 still running goroutine 1 with no safepoint"), r.failure());
            List<String> stranded = Runtime.strandedThreads();
            assertEquals(1, stranded.size(), stranded::toString);
            assertTrue(stranded.get(0).matches("thread gort-\\d+-M0: M0 of run \\d+, goroutine 1 in a loop with no safepoint"),
                    stranded.get(0));
        } finally {
            release.set(true);
        }
        m.get().join(60_000);
        assertEquals(List.of(), Runtime.strandedThreads(), "the thread exited once its goroutine reached a safepoint");
    }

    /**
     * A run that ends with an M still reading its heap: the goroutine's next load fails its
     * address check with a clear error (the heap is closed, or its page was released and reads as
     * zeros), and the JVM lives on. The heap is read by address, so its memory stays mapped for
     * such a thread (ManagedHeap.abandon); the window in which unmapping would crash the JVM is
     * a few instructions, too narrow for this test to hit.
     */
    @Test
    void aGoroutineStrandedReadingTheHeapGetsAnErrorNotACrash() throws Exception {
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        AtomicReference<Thread> m = new AtomicReference<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        RunHandle h = Runtime.start(Kit.config("gmp", 1).build(), Kit.catalog(), () -> {
            int f = Roots.push(1);
            Roots.set(f, Heap.alloc(CELL));
            long cell = Roots.get(f);
            Heap.storeLong(cell, 0, 1);
            m.set(Thread.currentThread()); // the M's thread: a goroutine runs on its carrier
            spinning.countDown();
            long sum = 0;
            try {
                while (true) { // loads are not safepoints: nothing can stop this loop
                    sum += Heap.loadLong(cell, 0);
                }
            } catch (Throwable t) {
                sink = sum;
                seen.set(t);
                failed.countDown();
            }
        });
        stopWhileSpinning(h, spinning);
        failed.await(60, TimeUnit.SECONDS);
        assertInstanceOf(BadPointerException.class, seen.get(), "the stranded load after the run ended");
        m.get().join(60_000);
        assertEquals(List.of(), Runtime.strandedThreads(), "the thread exited after its goroutine's error");
    }
}
