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
}
