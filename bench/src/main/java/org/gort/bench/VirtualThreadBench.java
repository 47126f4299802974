package org.gort.bench;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
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
 * The programs of SchedulerBench on JDK virtual threads, the JDK's own answer to goroutines:
 * SynchronousQueue for an unbuffered channel, CountDownLatch for the WaitGroup.
 *
 * As with gort, the measured code runs on a long-lived virtual thread (the driver) that the
 * benchmark thread hands jobs to, so both sides of pingpong are virtual threads and the
 * benchmark thread's own wake-up is divided by OPS.
 *
 * "gomaxprocs" sets the virtual-thread scheduler's parallelism (its carrier threads, the
 * JDK's counterpart of Ps). The property is read once, when the first virtual thread starts;
 * JMH forks a fresh JVM for every parameter combination, and nothing in the fork starts a
 * virtual thread before @Setup, so each trial runs with the parallelism it names.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.COMPACT_HEADERS})
public class VirtualThreadBench {
    static final int OPS = SchedulerBench.OPS;

    private static final Object TOKEN = new Object();
    private static final Runnable STOP = () -> { };

    @Param({"1", "2"})
    public int gomaxprocs;

    private final LinkedBlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    private final SynchronousQueue<Object> ping = new SynchronousQueue<>();
    private final SynchronousQueue<Object> pong = new SynchronousQueue<>();
    private Thread driver;
    private Thread partner;
    private volatile CompletableFuture<Void> current;
    /** Sieve threads left parked by this iteration's runs (only the driver adds). */
    private final Queue<Thread> parked = new ConcurrentLinkedQueue<>();

    @Setup(Level.Trial)
    public void start() {
        System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(gomaxprocs));
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", Integer.toString(Math.max(256, gomaxprocs)));
        driver = Thread.ofVirtual().name("driver").start(this::serve);
        partner = Thread.ofVirtual().name("pong").start(() -> {
            try {
                while (true) {
                    pong.put(ping.take());
                }
            } catch (InterruptedException e) {
                // end of the trial
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        jobs.add(STOP);
        partner.interrupt();
        driver.join();
        partner.join();
    }

    private void serve() {
        try {
            while (true) {
                Runnable job = jobs.take();
                if (job == STOP) {
                    return;
                }
                try {
                    job.run();
                    current.complete(null);
                } catch (Throwable t) {
                    current.completeExceptionally(t);
                }
            }
        } catch (InterruptedException e) {
            // end of the trial
        }
    }

    private void run(Runnable job) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        current = done;
        jobs.add(job);
        done.join();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void pingpong() {
        run(this::pingpongJob);
    }

    private void pingpongJob() {
        try {
            for (int i = 0; i < OPS; i++) {
                ping.put(TOKEN);
                if (pong.take() != TOKEN) {
                    throw new AssertionError("pingpong lost its token");
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void spawn() {
        run(VirtualThreadBench::spawnJob);
    }

    private static void spawnJob() {
        CountDownLatch latch = new CountDownLatch(OPS);
        Runnable body = latch::countDown;
        for (int i = 0; i < OPS; i++) {
            Thread.startVirtualThread(body);
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void sieve() {
        run(this::sieveJob);
    }

    private void sieveJob() {
        int last = sieve(SchedulerBench.SIEVE_PRIMES, parked);
        if (last != SchedulerBench.SIEVE_LAST_PRIME) {
            throw new AssertionError("sieve: prime #2000 is 17389, got " + last);
        }
    }

    /** Ends the sieve threads an iteration left parked, as gort replaces its runtime (not measured). */
    @TearDown(Level.Iteration)
    public void endParkedThreads() throws InterruptedException {
        for (Thread t : parked) {
            t.interrupt();
        }
        for (Thread t : parked) {
            t.join();
        }
        parked.clear();
    }

    /**
     * The concurrent prime sieve on virtual threads; returns the n-th prime. Its threads stay
     * parked after it returns, as the goroutines do; they are added to {@code started}.
     */
    static int sieve(int n, Queue<Thread> started) {
        SynchronousQueue<Integer> ch = new SynchronousQueue<>();
        started.add(Thread.startVirtualThread(() -> {
            try {
                for (int i = 2; ; i++) {
                    ch.put(i);
                }
            } catch (InterruptedException e) {
                // the iteration is over
            }
        }));
        SynchronousQueue<Integer> in = ch;
        int prime = 0;
        try {
            for (int i = 0; i < n; i++) {
                prime = in.take();
                SynchronousQueue<Integer> src = in;
                SynchronousQueue<Integer> dst = new SynchronousQueue<>();
                int p = prime;
                started.add(Thread.startVirtualThread(() -> {
                    try {
                        while (true) {
                            int v = src.take();
                            if (v % p != 0) {
                                dst.put(v);
                            }
                        }
                    } catch (InterruptedException e) {
                        // the iteration is over
                    }
                }));
                in = dst;
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return prime;
    }
}
