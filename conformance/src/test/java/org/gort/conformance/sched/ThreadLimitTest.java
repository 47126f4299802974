package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Go's cap on Ms ({@code sched.maxmcount}, {@code debug.SetMaxThreads}): a syscall storm that
 * needs more threads than the limit ends with Go's {@code thread exhaustion}, never with more Ms
 * than the limit; under it the same program runs to the end.
 */
class ThreadLimitTest {
    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    /** {@code n} goroutines, each blocked in a syscall until all have entered one (or 20 s passed). */
    private static Runnable storm(int n) {
        return () -> {
            CountDownLatch all = new CountDownLatch(n);
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    Go.syscall(() -> {
                        all.countDown();
                        return all.await(20, TimeUnit.SECONDS);
                    });
                    wg.done();
                });
            }
            wg.await();
            Go.println("all " + n + " syscalls returned");
        };
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aSyscallStormBeyondTheLimitIsThreadExhaustion(String sched) {
        RunResult r = Kit.run(Kit.config(sched, 1).maxThreads(8).build(), storm(40));
        assertEquals(RunStatus.FATAL, r.status(), r.failure());
        assertTrue(r.failure().startsWith("runtime: program exceeds 8-thread limit\nfatal error: thread exhaustion\n"),
                r.failure());
        assertTrue(r.metrics().count("sched.ms.created") <= 8, "Ms made: " + r.metrics().count("sched.ms.created"));
        assertEquals(2, r.exitCode(), "a fatal error exits 2, as Go's");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void underTheLimitTheStormRunsToTheEnd(String sched) {
        RunResult r = Kit.run(Kit.config(sched, 1).maxThreads(64).build(), storm(20));
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(java.util.List.of("all 20 syscalls returned"), r.output());
        assertTrue(r.metrics().count("sched.ms.created") >= 20, "each blocked syscall holds an M");
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void setMaxThreadsReturnsThePreviousLimitAndBelowTheMsInUseIsFatal(String sched) {
        AtomicInteger previous = new AtomicInteger();
        AtomicInteger again = new AtomicInteger();
        RunResult r = Kit.run(sched, 2, () -> {
            previous.set(Go.setMaxThreads(5000));
            again.set(Go.setMaxThreads(5000));
            Go.setMaxThreads(0);
            Go.println("not reached");
        });
        assertEquals(10_000, previous.get(), "Go's default");
        assertEquals(5000, again.get());
        assertEquals(RunStatus.FATAL, r.status(), r.failure());
        assertTrue(r.output().isEmpty(), "the program ended at once: " + r.output());
        assertTrue(r.failure().startsWith("runtime: program exceeds 0-thread limit\nfatal error: thread exhaustion"), r.failure());
    }
}
