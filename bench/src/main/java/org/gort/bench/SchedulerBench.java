package org.gort.bench;

import java.util.concurrent.TimeUnit;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.WaitGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * Scheduler micro-benchmarks on gort goroutines, the same three programs as bench/go and
 * VirtualThreadBench:
 *
 *   pingpong  two goroutines pass a token over two unbuffered channels; ns per round trip
 *             (Go's hand-off latency: send readies the peer into runnext, recv parks).
 *   spawn     `go wg.Done()` N times, then wg.Wait(); ns per goroutine created, run and exited
 *             (Go's CreateGoroutines: newproc, runqput, goexit).
 *   sieve     Go's concurrent prime sieve up to the 2000th prime (17389); ms per run. Each run
 *             leaves its 2000 filter goroutines parked, as the Go program does; the runtime is
 *             replaced every iteration, so they never pile up beyond one iteration.
 *
 * One runtime instance per iteration (GoroutineDriver), started in @Setup: its start-up is not
 * measured. driverHandoff measures the fixed cost of handing one job to the driver and back,
 * which the per-operation figures carry divided by OPS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_VM, BenchJvm.ADD_EXPORTS, BenchJvm.JDK_INTERNAL_MISC, BenchJvm.NATIVE_ACCESS,
        BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.COMPACT_HEADERS})
public class SchedulerBench {
    /** Operations per JMH invocation: makes the driver hand-off negligible per operation. */
    static final int OPS = 100_000;
    static final int SIEVE_PRIMES = 2000;
    static final int SIEVE_LAST_PRIME = 17389;

    private static final Object TOKEN = new Object();

    @Param({"gmp", "legacy-gm"})
    public String scheduler;

    @Param({"1", "2"})
    public int gomaxprocs;

    private GoroutineDriver driver;
    private Chan<Object> ping;
    private Chan<Object> pong;

    @Setup(Level.Iteration)
    public void start() {
        driver = GoroutineDriver.start(scheduler, gomaxprocs);
        ping = Chan.make();
        pong = Chan.make();
        Chan<Object> in = ping;
        Chan<Object> out = pong;
        // The partner lives as long as the runtime; it is parked in recv when the program ends.
        driver.run(() -> Go.go(() -> {
            while (true) {
                out.send(in.recv());
            }
        }));
    }

    @TearDown(Level.Iteration)
    public void stop() {
        driver.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void pingpong() {
        driver.run(this::pingpongJob);
    }

    private void pingpongJob() {
        Chan<Object> out = ping;
        Chan<Object> in = pong;
        for (int i = 0; i < OPS; i++) {
            out.send(TOKEN);
            if (in.recv() != TOKEN) {
                throw new AssertionError("pingpong lost its token");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void spawn() {
        driver.run(SchedulerBench::spawnJob);
    }

    private static void spawnJob() {
        WaitGroup wg = new WaitGroup();
        Runnable body = wg::done;
        wg.add(OPS);
        for (int i = 0; i < OPS; i++) {
            Go.go(body);
        }
        wg.await();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void sieve() {
        driver.run(SchedulerBench::sieveJob);
    }

    private static void sieveJob() {
        int last = sieve(SIEVE_PRIMES);
        if (last != SIEVE_LAST_PRIME) {
            throw new AssertionError("sieve: prime #" + SIEVE_PRIMES + " is 17389, got " + last);
        }
    }

    /** Go's concurrent prime sieve (the Go tour / go/test/chan/sieve1.go); returns the n-th prime. */
    static int sieve(int n) {
        Chan<Integer> ch = Chan.make();
        Go.go(() -> {
            for (int i = 2; ; i++) {
                ch.send(i);
            }
        });
        Chan<Integer> in = ch;
        int prime = 0;
        for (int i = 0; i < n; i++) {
            prime = in.recv();
            Chan<Integer> src = in;
            Chan<Integer> dst = Chan.make();
            int p = prime;
            Go.go(() -> {
                while (true) {
                    int v = src.recv();
                    if (v % p != 0) {
                        dst.send(v);
                    }
                }
            });
            in = dst;
        }
        return prime;
    }

    /** The fixed cost of one job hand-off (benchmark thread to driver goroutine and back), in ns. */
    @Benchmark
    public void driverHandoff() {
        driver.run(SchedulerBench::nothing);
    }

    private static void nothing() {
    }
}
