package org.gort.conformance.api;

import static org.gort.conformance.api.ChannelTest.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Select;
import org.gort.conformance.Kit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's nil channel: blocks for ever, counts as blocked for the deadlock check, close panics. */
class NilChannelTest {

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void receiveAndSendOnANilChannelBlockForEverAndAreADeadlock(String sched) {
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Integer> nil = Chan.nil();
            Go.go(() -> nil.send(1));
            Go.gosched();
            nil.recv();
        });
        assertEquals(RunStatus.DEADLOCK, r.status(), r.failure());
        assertEquals("fatal error: all goroutines are asleep - deadlock!", r.failureHeadline());
        assertTrue(r.failure().contains("goroutine 1 [chan receive (nil chan)]:"), r.failure());
        assertTrue(r.failure().contains("goroutine 2 [chan send (nil chan)]:"), r.failure());
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void aGoroutineBlockedOnANilChannelLeaksWhileMainGoesOn(String sched) {
        List<String> out = new ArrayList<>();
        RunResult r = Kit.run(sched, 2, () -> {
            Chan<Integer> nil = Chan.nil();
            Chan<Boolean> started = Chan.make();
            Go.go(() -> {
                started.send(true);
                nil.recv(); // leaks: nothing can ever send on a nil channel
                out.add("unreachable");
            });
            started.recv();
            Go.sleepNanos(1_000_000);
            out.add("goroutines=" + Go.numGoroutine());
        });
        assertOk(r);
        assertEquals(List.of("goroutines=2"), out);
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void closeOfANilChannelPanics(String sched) {
        RunResult r = Kit.run(sched, 1, () -> Chan.nil().close());
        assertEquals(RunStatus.PANIC, r.status());
        assertEquals("panic: close of nil channel", r.failureHeadline());
    }

    /** The idiom nil channels exist for: a drained input is switched off by setting it to nil. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void aNilCaseInASelectNeverProceeds(String sched) {
        List<Integer> got = new ArrayList<>();
        assertOk(Kit.run(sched, 2, () -> {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make();
            Go.go(() -> {
                a.send(1);
                a.close();
            });
            Go.go(() -> {
                for (int i = 10; i < 13; i++) {
                    b.send(i);
                }
                b.close();
            });
            @SuppressWarnings("unchecked")
            Chan<Integer>[] in = new Chan[] {a, b};
            while (!in[0].isNil() || !in[1].isNil()) {
                Select.create().recv(in[0], (v, ok) -> {
                    if (ok) {
                        got.add(v);
                    } else {
                        in[0] = Chan.nil(); // a closed input is switched off
                    }
                }).recv(in[1], (v, ok) -> {
                    if (ok) {
                        got.add(v);
                    } else {
                        in[1] = Chan.nil();
                    }
                }).run();
            }
            assertEquals(0, Chan.nil().len());
            assertEquals(0, Chan.nil().cap());
            assertEquals(-1, Select.create().recv(Chan.nil(), (v, ok) -> { }).orDefault(() -> { }).run());
        }));
        got.sort(null);
        assertEquals(List.of(1, 10, 11, 12), got);
    }
}
