package org.gort.workloads;

import java.util.List;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Work stealing and global-queue balance: a few producer goroutines fan a batch of tasks out
 * as goroutines, in bursts, yielding between bursts. Every task is a short CPU-bound goroutine.
 * A burst lands on the producer's P (GMP: its local queue, overflowing to the global queue by
 * halves, {@code runqputslow}); the other Ps only get work by stealing it or by taking it from
 * the global queue. Under GM every task goes through the one global queue.
 *
 * <p>Task i computes {@code work} rounds of SplitMix64 from {@code seed ^ i} and stores the
 * result in slot i; after all tasks are done main folds the slots in index order into a
 * checksum, so a lost, duplicated or misplaced task changes it. The check replays the same
 * computation sequentially.
 *
 * <p>Output: {@code tasks: <n> checksum: <hex>}. Reported: {@code checksum} (its low 52 bits),
 * {@code task.ns} (wall time per task).
 */
@Component(service = Workload.class, property = "gort.workload.name=fanout")
public final class Fanout extends StandardWorkload {
    public Fanout() {
        super("fanout", "work stealing: producers spawn bursts of short CPU-bound task goroutines",
                Param.ofInt("producers", 1, "producer goroutines, each spawning its share of the tasks").atLeast(1),
                Param.ofInt("tasks", 20_000, "task goroutines in all").atLeast(1),
                Param.ofInt("burst", 256, "tasks a producer spawns before it yields (runtime.Gosched)").atLeast(1),
                Param.ofInt("work", 2000, "rounds of SplitMix64 per task (about 1-2 ns each)").atLeast(0),
                Param.ofLong("seed", 1, "seed of the task inputs"));
    }

    @Override
    void run(Params p) {
        int producers = p.intValue("producers");
        int tasks = p.intValue("tasks");
        int burst = p.intValue("burst");
        int work = p.intValue("work");
        long seed = p.longValue("seed");
        long[] results = new long[tasks];
        WaitGroup wg = new WaitGroup();
        wg.add(tasks);
        long start = System.nanoTime();
        for (int k = 0; k < producers; k++) {
            int from = (int) ((long) tasks * k / producers);
            int to = (int) ((long) tasks * (k + 1) / producers);
            Go.go(() -> {
                for (int i = from; i < to; i++) {
                    int task = i;
                    Go.go(() -> {
                        results[task] = task(seed, task, work);
                        wg.done();
                    });
                    if ((i - from + 1) % burst == 0) {
                        Go.gosched();
                    }
                }
            });
        }
        wg.await(); // happens-after every task's store, as in Go's memory model
        long elapsed = System.nanoTime() - start;
        long checksum = checksum(results);
        Go.println("tasks: " + tasks + " checksum: " + Mix.hex(checksum));
        Go.report("checksum", Mix.reportable(checksum));
        Go.report("task.ns", (double) elapsed / tasks);
    }

    static long task(long seed, int i, int work) {
        return Mix.work(seed ^ (i * Mix.GOLDEN), work);
    }

    private static long checksum(long[] results) {
        long c = 0;
        for (long r : results) {
            c = Mix.fold(c, r);
        }
        return c;
    }

    @Override
    public Check check(Params p, List<String> output) {
        int tasks = p.intValue("tasks");
        long[] expected = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            expected[i] = task(p.longValue("seed"), i, p.intValue("work"));
        }
        return Check.expectLines(List.of("tasks: " + tasks + " checksum: " + Mix.hex(checksum(expected))), output);
    }
}
