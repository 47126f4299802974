package org.gort.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gort.api.Go;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;

/*
 * A runtime instance kept alive for the length of a JMH iteration, so that starting one (its Ps,
 * Ms, sysmon and timer threads) is never inside a measured operation.
 *
 * Goroutine 1 of the instance is the driver: it waits for a job in a blocking system call
 * (Go.syscall, so its M blocks and the scheduler may hand its P to others, as Go's entersyscall
 * does), runs the job as ordinary goroutine code, completes the job's future and waits again.
 * The benchmark thread, which is not a goroutine and cannot touch channels, only submits jobs
 * and waits for their futures.
 *
 * Each job runs many operations (JMH's @OperationsPerInvocation), so the fixed cost of one
 * hand-off between the benchmark thread and the driver (two thread wake-ups, measured by
 * SchedulerBench.driverHandoff) is divided by that count in the per-operation figure.
 */
final class GoroutineDriver implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Job STOP = new Job(() -> { });

    private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final RunHandle handle;

    private record Job(Runnable body, CompletableFuture<Void> done) {
        Job(Runnable body) {
            this(body, new CompletableFuture<>());
        }
    }

    GoroutineDriver(RuntimeConfig config) {
        this.handle = Runtime.start(config, StrategyCatalog.serviceLoader(), this::serve);
    }

    /** A runtime with the given scheduler and GOMAXPROCS, trace lines dropped. */
    static GoroutineDriver start(String scheduler, int gomaxprocs) {
        return new GoroutineDriver(RuntimeConfig.builder()
                .scheduler(scheduler)
                .gomaxprocs(gomaxprocs)
                .trace(line -> { })
                .build());
    }

    private void serve() {
        while (true) {
            Job job = Go.syscall(jobs::take);
            if (job == STOP) {
                return;
            }
            try {
                job.body.run();
                job.done.complete(null);
            } catch (Throwable t) {
                job.done.completeExceptionally(t);
            }
        }
    }

    /**
     * Runs {@code body} on the driver goroutine and returns when it has returned; rethrows what
     * it threw, and fails at once if the program has died instead of waiting for ever.
     */
    void run(Runnable body) {
        Job job = new Job(body);
        jobs.add(job);
        while (true) {
            try {
                job.done.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (handle.isDone()) {
                    RunResult r = handle.await(STOP_TIMEOUT);
                    throw new IllegalStateException("the benchmark's runtime ended while a job was running: "
                            + r.status() + " " + r.failureHeadline());
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("the benchmark job failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the benchmark job", e);
            }
        }
    }

    /** Ends the program (goroutine 1 returns) and fails if the run did not end cleanly. */
    @Override
    public void close() {
        jobs.add(STOP);
        RunResult r = handle.await(STOP_TIMEOUT);
        if (!r.ok()) {
            throw new IllegalStateException("the benchmark's runtime ended badly: " + r.status() + " " + r.failureHeadline());
        }
    }
}
