package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Context;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Select;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's context package: cancellation, deadlines, propagation, values, released timers. */
class ContextTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void cancelClosesDoneForEveryWaiterAndSetsErr(String sched) {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        assertOk(Kit.run(sched, 2, () -> {
            Context.Cancelable ctx = Context.withCancel(Context.background());
            assertNull(ctx.err());
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 50; i++) {
                wg.add(1);
                Go.go(() -> {
                    ctx.done().recv();
                    out.add(String.valueOf(ctx.err()));
                    wg.done();
                });
            }
            Go.sleepNanos(1_000_000);
            assertTrue(out.isEmpty());
            ctx.cancel();
            ctx.cancel(); // idempotent
            wg.await();
            assertSame(Context.Canceled, ctx.err());
            assertTrue(ctx.done().recv2().ok() == false, "done is closed");
        }));
        assertEquals(50, out.size());
        assertTrue(out.stream().allMatch("context canceled"::equals), out.toString());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void cancellationPropagatesDownThroughValuesButNotUp(String sched) {
        assertOk(Kit.run(sched, 2, () -> {
            Context.Cancelable root = Context.withCancel(Context.background());
            Context withUser = Context.withValue(root, "user", "gopher");
            Context.Cancelable child = Context.withCancel(withUser);
            Context.Cancelable grandchild = Context.withTimeout(child, Duration.ofHours(1));
            Context.Cancelable sibling = Context.withCancel(root);

            sibling.cancel(); // a child's cancel leaves its parent alone
            assertNull(root.err());
            assertSame(Context.Canceled, sibling.err());

            Chan<Void> waitingOn = grandchild.done();
            Chan<String> seen = Chan.make();
            Go.go(() -> {
                waitingOn.recv();
                seen.send(grandchild.err() + " / " + grandchild.value("user"));
            });
            root.cancel();
            assertEquals("context canceled / gopher", seen.recv());
            assertSame(Context.Canceled, child.err());
            assertSame(Context.Canceled, withUser.err());
            // A child made under a cancelled parent is cancelled at birth.
            Context.Cancelable late = Context.withCancel(child);
            assertSame(Context.Canceled, late.err());
            late.done().recv();
        }));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aDeadlineCancelsWithDeadlineExceededFromTheTimer(String sched) {
        assertOk(Kit.run(sched, 2, () -> {
            try (Context.Cancelable ctx = Context.withTimeout(Context.background(), Duration.ofMillis(5))) {
                Context.Cancelable child = Context.withCancel(ctx);
                assertTrue(ctx.deadline().isPresent());
                assertEquals(ctx.deadline(), child.deadline());
                Chan<Integer> never = Chan.make();
                int chosen = Select.create()
                        .recv(never, (v, ok) -> { })
                        .recv(child.done(), (v, ok) -> { })
                        .run();
                assertEquals(1, chosen);
                assertSame(Context.DeadlineExceeded, ctx.err());
                assertSame(Context.DeadlineExceeded, child.err());
                assertEquals("context deadline exceeded", child.err().toString());
            }
            // A deadline already past: done at once.
            Context.Cancelable past = Context.withDeadline(Context.background(), Instant.now().minusSeconds(1));
            assertSame(Context.DeadlineExceeded, past.err());
            past.done().recv();
            // A later deadline under an earlier one keeps the parent's.
            Context.Cancelable early = Context.withTimeout(Context.background(), Duration.ofMinutes(1));
            Context.Cancelable later = Context.withTimeout(early, Duration.ofHours(1));
            assertEquals(early.deadline(), later.deadline());
            early.cancel();
            assertSame(Context.Canceled, later.err());
        }));
    }

    /**
     * A cancelled timeout releases its timer: with no timer pending, a run blocked for ever is
     * reported as a deadlock at once (a timer left behind would keep the run waiting).
     */
    @ParameterizedTest
    @MethodSource("schedulers")
    void cancelReleasesTheTimersOfTheContextAndItsChildren(String sched) {
        RunResult r = Kit.run(sched, 2, () -> {
            Context.Cancelable own = Context.withTimeout(Context.background(), Duration.ofHours(1));
            own.cancel();
            Context.Cancelable parent = Context.withCancel(Context.background());
            Context.withTimeout(parent, Duration.ofHours(1));
            Context.withDeadline(Context.withValue(parent, "k", 1), Instant.now().plus(Duration.ofHours(2)));
            parent.cancel(); // the children's timers go with it
            Chan.nil().recv();
        });
        assertEquals(RunStatus.DEADLOCK, r.status(), r.failure());
    }

    /** The leak a context fixes: workers that would block for ever return when it is cancelled. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void cancellingStopsWorkersThatWouldOtherwiseLeak(String sched) {
        java.util.concurrent.atomic.AtomicInteger cancelled = new java.util.concurrent.atomic.AtomicInteger();
        assertOk(Kit.run(sched, 4, () -> {
            Context.Cancelable ctx = Context.withCancel(Context.background());
            Chan<Integer> results = Chan.make();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100; i++) {
                int n = i;
                wg.add(1);
                Go.go(() -> {
                    try {
                        Select.create().send(results, n, () -> { })
                                .recv(ctx.done(), (v, ok) -> cancelled.incrementAndGet()).run();
                    } finally {
                        wg.done();
                    }
                });
            }
            results.recv(); // only the first result is wanted
            ctx.cancel();
            wg.await(); // every worker returned
        }));
        assertEquals(99, cancelled.get());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void valuesBackgroundAndNames(String sched) {
        assertOk(Kit.run(sched, 1, () -> {
            Context bg = Context.background();
            assertTrue(bg.done().isNil());
            assertNull(bg.err());
            assertTrue(bg.deadline().isEmpty());
            Context a = Context.withValue(bg, "a", 1);
            Context b = Context.withValue(a, "b", 2);
            Context a2 = Context.withValue(b, "a", 3);
            assertEquals(1, a.value("a"));
            assertEquals(2, b.value("b"));
            assertEquals(3, a2.value("a"));
            assertEquals(2, a2.value("b"));
            assertNull(a2.value("c"));
            assertEquals("context.Background.WithValue(a, 1)", a.toString());
            assertEquals("context.Background.WithCancel", Context.withCancel(bg).toString());
            assertEquals("context.TODO", Context.todo().toString());
        }));
        RunResult r = Kit.run(sched, 1, () -> Context.withValue(Context.background(), null, 1));
        assertEquals("panic: nil key", r.failureHeadline());
    }
}
