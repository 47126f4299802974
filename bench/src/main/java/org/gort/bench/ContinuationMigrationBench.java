package org.gort.bench;

import java.util.concurrent.TimeUnit;
import org.gort.kernel.Coroutine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * The floor under a goroutine's migration: what a continuation costs to resume on another
 * thread (so, on two cores, another core) than the one that last ran it.
 *
 * Two threads take turns, handing the turn over through one volatile field and spinning (no
 * parking, so no wake-up is measured). In each turn a thread resumes a continuation that yields
 * at once. With mode=hop both threads resume the same continuation, which therefore runs on
 * alternate threads, as a goroutine handed between two Ps does; with mode=stay each thread
 * resumes its own. An operation is one turn of each thread; (hop - stay) / 2 is the extra cost
 * of one resume on a thread other than the last, the continuation's frames, chunk and fields
 * being in the other core's cache. The frames sit a few calls deep, as a parked goroutine's do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_VM, BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.COMPACT_HEADERS})
public class ContinuationMigrationBench {
    @Param({"hop", "stay"})
    public String mode;

    /** Calls between the body and the yield. */
    @Param({"4"})
    public int depth;

    private Coroutine mine;
    private Coroutine theirs;
    /** 0: the benchmark thread's turn; 1: the partner's; -1: the partner stops. */
    private volatile int turn;
    private Thread partner;

    private static Coroutine coroutine(Object owner, int depth) {
        Coroutine c = new Coroutine(owner, () -> {
            while (true) {
                deep(depth);
            }
        });
        c.resume(); // the first resume only enters the body
        return c;
    }

    private static int deep(int n) {
        if (n == 0) {
            Coroutine.suspend();
            return 0;
        }
        return deep(n - 1) + 1;
    }

    @Setup
    public void start() {
        mine = coroutine(this, depth);
        theirs = mode.equals("hop") ? mine : coroutine(this, depth);
        turn = 0;
        partner = new Thread(() -> {
            while (true) {
                int t;
                while ((t = turn) == 0) {
                    Thread.onSpinWait();
                }
                if (t < 0) {
                    return;
                }
                theirs.resume();
                turn = 0;
            }
        }, "migration-partner");
        partner.setDaemon(true);
        partner.start();
    }

    @TearDown
    public void stop() throws InterruptedException {
        turn = -1;
        partner.join();
    }

    /** ns per two turns: one resume on each thread, and two hand-overs of the turn. */
    @Benchmark
    public void twoTurns() {
        mine.resume();
        turn = 1;
        while (turn != 0) {
            Thread.onSpinWait();
        }
    }
}
