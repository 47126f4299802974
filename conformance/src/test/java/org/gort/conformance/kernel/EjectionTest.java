package org.gort.conformance.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.gort.api.StrategyChange;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.gort.conformance.faults.FaultyStrategy;
import org.gort.conformance.faults.FaultyStrategy.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A faulty scheduler cannot lose a goroutine: the kernel ejects it, re-readies every runnable
 * goroutine on the default, and the run ends as it would have; every ejection and swap is in
 * the run's result.
 */
class EjectionTest {
    private static final Duration HUNG = Duration.ofSeconds(60);
    private static final int N = 300;

    /** N goroutines each send their number; main sums them. */
    private static void fanIn(AtomicLong sum) {
        Chan<Integer> c = Chan.make();
        for (int i = 1; i <= N; i++) {
            int v = i;
            Go.go(() -> c.send(v));
        }
        long s = 0;
        for (int i = 0; i < N; i++) {
            s += c.recv();
        }
        sum.set(s);
    }

    /** main waits, with a timer always pending, for the test thread's swap. */
    private static void waitFor(AtomicBoolean flag) {
        while (!flag.get()) {
            Go.sleep(Duration.ofMillis(1));
        }
    }

    /** A configuration for {@code scheduler}, its trace lines collected in {@code trace}. */
    private static RuntimeConfig.Builder config(String scheduler, int gomaxprocs, List<String> trace) {
        return Kit.config(scheduler, gomaxprocs).trace(trace::add);
    }

    private static void assertFinishedRight(RunResult r, AtomicLong sum, String strategy, String reason) {
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals((long) N * (N + 1) / 2, sum.get());
        List<StrategyChange> ej = r.ejections();
        assertEquals(1, ej.size(), r.changes().toString());
        assertEquals(strategy, ej.get(0).from());
        assertEquals("gmp", ej.get(0).to());
        assertTrue(ej.get(0).reason().contains(reason), ej.get(0).reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aSchedulerWhoseReadyThrowsLosesNoGoroutine(int procs) {
        FaultyStrategy faulty = new FaultyStrategy("ready", Fault.THROW, 50);
        StrategyCatalog catalog = Kit.catalogWith(faulty);
        for (int i = 0; i < 10; i++) {
            AtomicLong sum = new AtomicLong();
            List<String> trace = new CopyOnWriteArrayList<>();
            RunResult r = Runtime.run(config(faulty.name(), procs, trace).build(), catalog, () -> fanIn(sum), HUNG);
            assertFinishedRight(r, sum, faulty.name(), "ready() threw");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aSchedulerThatDropsGoroutinesIsEjectedNamingThem(int procs) {
        FaultyStrategy faulty = new FaultyStrategy("ready", Fault.DROP, 100);
        StrategyCatalog catalog = Kit.catalogWith(faulty);
        for (int i = 0; i < 5; i++) {
            AtomicLong sum = new AtomicLong();
            List<String> trace = new CopyOnWriteArrayList<>();
            RunResult r = Runtime.run(config(faulty.name(), procs, trace).build(), catalog, () -> fanIn(sum), HUNG);
            assertFinishedRight(r, sum, faulty.name(), "checkdead: runnable g");
            assertTrue(r.ejections().get(0).reason().matches("it lost goroutines? \\d+.*"), r.ejections().get(0).reason());
            assertTrue(trace.stream().anyMatch(l -> l.startsWith("gort: ejecting scheduler " + faulty.name() + ": it lost goroutine")),
                    trace.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aDrainThatThrowsIsInTheSwapLineAndLosesNothing(int procs) throws Exception {
        FaultyStrategy faulty = new FaultyStrategy("drain", Fault.THROW, 1);
        StrategyCatalog catalog = Kit.catalogWith(faulty);
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicLong sum = new AtomicLong();
        AtomicBoolean swapped = new AtomicBoolean();
        RunHandle h = Runtime.start(config(faulty.name(), procs, trace).build(), catalog, () -> {
            waitFor(swapped);
            fanIn(sum);
        });
        h.swapScheduler("gmp", "test");
        swapped.set(true);
        RunResult r = h.await(HUNG);
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals((long) N * (N + 1) / 2, sum.get());
        assertEquals(1, r.changes().size(), r.changes().toString());
        StrategyChange c = r.changes().get(0);
        assertEquals(StrategyChange.Cause.SWAP, c.cause());
        assertTrue(c.reason().contains(faulty.name() + "'s drain() threw"), c.reason());
        assertTrue(trace.stream().anyMatch(l -> l.startsWith("gort: scheduler " + faulty.name() + " -> gmp (test; " + faulty.name()
                + "'s drain() threw")), trace.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aSwapThenAnEjectionAreBothInTheResult(int procs) {
        FaultyStrategy faulty = new FaultyStrategy("ready", Fault.THROW, 20);
        StrategyCatalog catalog = Kit.catalogWith(faulty);
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicLong sum = new AtomicLong();
        AtomicBoolean swapped = new AtomicBoolean();
        RunHandle h = Runtime.start(config("gmp", procs, trace).build(), catalog, () -> {
            waitFor(swapped);
            fanIn(sum);
        });
        h.swapScheduler(faulty.name(), "test");
        swapped.set(true);
        RunResult r = h.await(HUNG);
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals((long) N * (N + 1) / 2, sum.get());
        List<StrategyChange> changes = r.changes();
        assertEquals(2, changes.size(), changes.toString());
        assertEquals("scheduler gmp -> " + faulty.name() + " (test)", changes.get(0).describe());
        assertEquals(StrategyChange.Cause.EJECTION, changes.get(1).cause());
        assertTrue(changes.get(1).describe().startsWith("scheduler " + faulty.name() + " ejected -> gmp: ready() threw"),
                changes.get(1).describe());
        assertEquals(changes.subList(1, 2), r.ejections());
    }
}
