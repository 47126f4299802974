package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The goroutine-leak analysis at the end of a run: a goroutine blocked on a channel nothing
 * live can reach is leaked; one blocked on a channel that a live goroutine or a global still
 * holds is not. A leak is a finding: the run is still OK.
 */
class LeakTest {
    /** A global: what it refers to is reachable. */
    static Chan<Integer> held;

    /** The seeds' "send without a receiver": the generator blocks on its second send. */
    private static Chan<Integer> gen(int... nums) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            for (int n : nums) {
                out.send(n);
            }
            out.close();
        });
        return out;
    }

    private static long leaked(RunResult r) {
        return (long) r.metrics().get("run.goroutines.leaked");
    }

    /** Repeated: whichever goroutine last waited on the channel, no stale runtime reference may keep it reachable. */
    @RepeatedTest(5)
    void aSenderWhoseReceiverLeftIsLeaked() {
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> out = gen(2, 3);
            Go.println(Integer.toString(out.recv()));
            Go.sleep(Duration.ofMillis(100)); // the generator parks on its next send
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(1, leaked(r), r.failure());
        assertTrue(r.failure().matches("(?s).*leaked: 1 goroutine blocked on chan send, created at LeakTest\\.java:27.*"), r.failure());
    }

    /**
     * Goroutines that have exited still name the channel in their functions: they must not keep
     * it, and the sender left on it, reachable (the runtime keeps a dead goroutine in its slot
     * for a while). Repeated: which slots the exited ones leave differs from run to run.
     */
    @RepeatedTest(5)
    void aSenderIsLeakedThoughExitedSendersNamedItsChannel() {
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            for (int i = 0; i < 64; i++) {
                Go.go(() -> c.send(1));
            }
            for (int i = 0; i < 63; i++) {
                c.recv();
            }
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(1, leaked(r), r.failure());
    }

    @Test
    void aReceiveOnANilChannelIsLeaked() {
        RunResult r = Kit.run("gmp", 2, () -> {
            Go.go(() -> Chan.<Integer>nil().recv());
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(1, leaked(r), r.failure());
        assertTrue(r.failure().contains("leaked: 1 goroutine blocked on chan receive (nil chan)"), r.failure());
    }

    @Test
    void aReceiverWhoseChannelALiveGoroutineHoldsIsNotLeaked() {
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.recv());
            Go.go(() -> {
                Go.sleep(Duration.ofHours(1)); // sleeping, not blocked on a channel: its stack is a root
                c.send(1);
            });
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(0, leaked(r), r.failure());
        assertEquals(2, (long) r.metrics().get("run.goroutines.left"));
    }

    @Test
    void aReceiverOnAGlobalChannelIsNotLeakedAndTheSameWithoutTheGlobalIs() {
        RunResult global = Kit.run("gmp", 2, () -> {
            held = Chan.make();
            Chan<Integer> c = held;
            Go.go(() -> c.recv());
            Go.sleep(Duration.ofMillis(100));
        });
        held = null;
        assertEquals(0, leaked(global), global.failure());
        RunResult local = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.recv());
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(1, leaked(local), local.failure());
    }

    /** The concurrent prime sieve's case: a goroutine still runs when main returns (it would be unwound at the end). */
    @Test
    void aLeakIsFoundWhenAGoroutineStillRunsAsMainReturns() {
        java.util.concurrent.atomic.AtomicBoolean never = new java.util.concurrent.atomic.AtomicBoolean();
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.recv()); // nobody else holds c: leaked
            Go.go(() -> {
                while (!never.get()) {
                    Go.checkpoint(); // still running at main's return
                }
            });
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(1, leaked(r), r.failure());
        assertTrue(r.failure().contains("leaked: 1 goroutine blocked on chan receive"), r.failure());
    }

    @Test
    void aReceiverOnAChannelThatAGoroutineRunningAsMainReturnsHoldsIsNotLeaked() {
        java.util.concurrent.atomic.AtomicBoolean never = new java.util.concurrent.atomic.AtomicBoolean();
        RunResult r = Kit.run("gmp", 2, () -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> d = Chan.make();
            Go.go(() -> c.recv());
            Go.go(() -> d.recv()); // leaked: makes the analysis run at main's return
            Go.go(() -> {
                while (!never.get()) {
                    Go.checkpoint(); // running, with c on its stack
                }
                c.send(1);
            });
            Go.sleep(Duration.ofMillis(100));
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(1, leaked(r), r.failure());
        assertTrue(r.failure().contains("leaked: 1 goroutine blocked on chan receive, created at LeakTest.java:" ), r.failure());
    }
}
