package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Mutex;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's failures, in Go's words, under every scheduler; none hangs or leaks an M. */
class FailureTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void allGoroutinesAsleepIsADeadlockWithEachWaitReason(String sched) {
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Integer> never = Chan.make();
            Mutex mu = new Mutex();
            mu.lock();
            Go.go(() -> never.send(1 + never.recv()));
            Go.go(mu::lock);
            WaitGroup wg = new WaitGroup();
            wg.add(1);
            wg.await();
        });
        assertEquals(RunStatus.DEADLOCK, r.status(), r.failure());
        assertEquals("fatal error: all goroutines are asleep - deadlock!", r.failureHeadline());
        assertTrue(r.failure().contains("goroutine 1 [sync.WaitGroup.Wait]:"), r.failure());
        assertTrue(r.failure().contains("goroutine 2 [chan receive]:"), r.failure());
        assertTrue(r.failure().contains("goroutine 3 [sync.Mutex.Lock]:"), r.failure());
        assertEquals(0, (int) r.metrics().get("run.ms.stuck"));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aPendingTimerIsNotADeadlock(String sched) {
        RunResult r = Kit.run(sched, 1, () -> Go.after(java.time.Duration.ofMillis(20)).recv());
        assertEquals(RunStatus.OK, r.status(), r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void anUncaughtExceptionIsAPanicWithGoroutineIdAndStack(String sched) {
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Boolean> block = Chan.make();
            Go.go(() -> {
                throw new IllegalStateException("boom");
            });
            block.recv();
        });
        assertEquals(RunStatus.PANIC, r.status());
        assertEquals("panic: java.lang.IllegalStateException: boom", r.failureHeadline());
        assertTrue(r.failure().contains("goroutine 2 [running]:"), r.failure());
        assertTrue(r.failure().contains("FailureTest"), "the stack names the goroutine's code: " + r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void goPanicKeepsItsValue(String sched) {
        RunResult r = Kit.run(sched, 1, () -> {
            throw Go.panic("something bad happened");
        });
        assertEquals("panic: something bad happened", r.failureHeadline());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void selectWithNoCasesBlocksForEver(String sched) {
        RunResult r = Kit.run(sched, 1, () -> org.gort.api.Select.create().run());
        assertEquals(RunStatus.DEADLOCK, r.status());
        assertTrue(r.failure().contains("goroutine 1 [select (no cases)]:"), r.failure());
    }

    private static int depth(int n) {
        return n <= 0 ? 0 : 1 + depth(n - 1);
    }

    private static int recurse(int n) {
        if (n == 0) {
            throw new IllegalStateException("at the bottom");
        }
        return 1 + recurse(n - 1);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void deepRecursionIsGosStackOverflowWithTheFramesElided(String sched) {
        RunResult r = Kit.run(sched, 2, () -> Go.println("depth " + depth(Integer.MAX_VALUE)));
        assertEquals(RunStatus.FATAL, r.status(), r.failure());
        assertTrue(r.failure().startsWith("runtime: goroutine stack exceeds the M"), r.failure());
        assertTrue(r.failure().contains("\nfatal error: stack overflow\n\ngoroutine 1 [running]:\n"), r.failure());
        java.util.List<String> frames = r.failure().lines().filter(l -> l.contains("FailureTest.depth()")).toList();
        assertEquals(100, frames.size(), "Go prints at most 100 frames");
        assertTrue(r.failure().endsWith("\n...additional frames elided..."), r.failure());
        assertEquals(2, r.exitCode());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aDeepPanicShowsAHundredFrames(String sched) {
        RunResult r = Kit.run(sched, 1, () -> recurse(150));
        assertEquals("panic: java.lang.IllegalStateException: at the bottom", r.failureHeadline());
        assertEquals(100, r.failure().lines().filter(l -> l.contains("FailureTest.recurse()")).count(), r.failure());
        assertTrue(r.failure().endsWith("\n...additional frames elided..."), r.failure());
        RunResult shallow = Kit.run(sched, 1, () -> recurse(20));
        assertEquals(21, shallow.failure().lines().filter(l -> l.contains("FailureTest.recurse()")).count(), shallow.failure());
        assertTrue(!shallow.failure().contains("elided"), shallow.failure());
    }
}
