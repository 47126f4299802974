package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.Runtime;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link RunHandle#whenDone}: what waits for a run's end (the shell printing a run's output)
 * hears of it as it happens. An action runs exactly once: when the program ends, or at once
 * when it has ended, whichever way a registration and the end interleave.
 */
class WhenDoneTest {
    @Test
    void anActionRunsWhenTheProgramEndsAndAtOnceAfterIt() throws Exception {
        AtomicBoolean end = new AtomicBoolean();
        AtomicBoolean registered = new AtomicBoolean();
        CountDownLatch runningOn = new CountDownLatch(3); // turns of main's loop after the registration
        RunHandle h = Runtime.start(Kit.config("gmp", 2).build(), Kit.catalog(), () -> {
            while (!end.get()) {
                if (registered.get()) {
                    runningOn.countDown();
                }
                Go.sleep(Duration.ofMillis(1));
            }
        });
        AtomicInteger before = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        h.whenDone(() -> {
            before.incrementAndGet();
            ran.countDown();
        });
        registered.set(true);
        assertTrue(runningOn.await(10, TimeUnit.SECONDS), "the program stopped running");
        assertFalse(h.isDone());
        assertEquals(0, before.get(), "ran before the end");
        end.set(true);
        assertTrue(ran.await(10, TimeUnit.SECONDS), "not run when the program ended");
        assertTrue(h.isDone());
        h.await(Duration.ofSeconds(10));
        AtomicReference<Thread> on = new AtomicReference<>();
        h.whenDone(() -> on.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), on.get(), "after the end, the action runs at once on the caller");
        assertEquals(1, before.get());
    }

    /** Registrations racing the end: none is lost, none runs twice. */
    @RepeatedTest(30)
    void registrationsRacingTheEndEachRunOnce() throws Exception {
        int n = 200;
        AtomicInteger[] runs = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            runs[i] = new AtomicInteger();
        }
        CountDownLatch all = new CountDownLatch(n);
        RunHandle h = Runtime.start(Kit.config("gmp", 2).build(), Kit.catalog(), () -> {
            for (int i = 0; i < 50; i++) {
                Go.gosched();
            }
        });
        Thread other = new Thread(() -> registerEveryOther(h, 1, runs, all));
        other.start();
        registerEveryOther(h, 0, runs, all);
        other.join();
        assertTrue(all.await(10, TimeUnit.SECONDS), all.getCount() + " of " + n + " actions never ran");
        h.await(Duration.ofSeconds(10));
        for (int i = 0; i < n; i++) {
            assertEquals(1, runs[i].get(), "action " + i);
        }
    }

    /** Registers actions {@code first}, {@code first + 2}, ...: each counts its own runs. */
    private static void registerEveryOther(RunHandle h, int first, AtomicInteger[] runs, CountDownLatch all) {
        for (int i = first; i < runs.length; i += 2) {
            int k = i;
            h.whenDone(() -> {
                runs[k].incrementAndGet();
                all.countDown();
            });
        }
    }
}
