package org.gort.conformance.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.Test;

/**
 * The Go 1.0 scheduler's defining properties on the real kernel: no preemption at all, and
 * one global lock taken for every schedule. Assertions are on counts.
 */
class LegacyGmSchedulingTest {

    /**
     * GOMAXPROCS=1: a goroutine loops on {@code checkpoint()} for a bounded number of rounds.
     * Under legacy-gm nothing preempts it, so main, which yielded to it, runs again only after
     * the loop ends: main sees the final count, and the run records zero preemptions.
     */
    @Test
    void aCheckpointLoopIsNeverPreempted() {
        long rounds = 3_000_000;
        AtomicLong seenByMain = new AtomicLong(-1);
        RunResult r = Kit.run(Kit.config("legacy-gm", 1).build(), () -> {
            AtomicLong spins = new AtomicLong();
            AtomicBoolean started = new AtomicBoolean();
            Chan<Boolean> done = Chan.make(1);
            Go.go(() -> {
                started.set(true);
                for (long i = 0; i < rounds; i++) {
                    spins.incrementAndGet();
                    Go.checkpoint();
                }
                done.send(true);
            });
            while (!started.get()) {
                Go.gosched();
            }
            seenByMain.set(spins.get());
            done.recv();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(rounds, seenByMain.get(), "main ran while the loop held the only P");
        assertEquals(0, r.metrics().count("sched.preemptions"));
        assertEquals(0, r.metrics().count("sched.preempt.requests"));
    }

    /** Every schedule takes sched.lock: acquisitions are at least the schedules. */
    @Test
    void everyScheduleTakesTheGlobalLock() {
        RunResult r = Kit.run(Kit.config("legacy-gm", 4).build(), () -> {
            WaitGroup wg = new WaitGroup();
            Chan<Integer> c = Chan.make();
            for (int i = 0; i < 2000; i++) {
                wg.add(1);
                Go.go(() -> {
                    c.send(1);
                    wg.done();
                });
            }
            for (int i = 0; i < 2000; i++) {
                c.recv();
            }
            wg.await();
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        long schedules = r.metrics().count("sched.schedules");
        long acquisitions = r.metrics().count("sched.lock.acquisitions");
        assertTrue(schedules > 2000, "schedules " + schedules);
        assertTrue(acquisitions >= schedules, "acquisitions " + acquisitions + " < schedules " + schedules);
    }
}
