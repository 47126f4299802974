// A worker pool: N goroutines share a jobs channel, a WaitGroup says when all are done.
//
// Jobs go into a buffered channel that is closed when the last is sent; each worker ranges over
// it until it is closed and drained, then calls Done. Main waits, then closes results so that
// its own range over results ends. Which worker does which job varies from run to run and
// between schedulers; the results do not, so the output is checked unordered.
// Look at: --schedtrace 10 while it runs; compare the schedulers with
//   ./gort compare programs/worker-pool.java --sched gmp,legacy-gm --runs 5
//
//   ./gort run programs/worker-pool.java [workers] [jobs]
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.WaitGroup;

class WorkerPool {
    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Chan<Integer> jobs = Chan.make(n);
        Chan<String> results = Chan.make(n);
        WaitGroup wg = new WaitGroup();
        for (int w = 1; w <= workers; w++) {
            wg.add(1);
            Go.go(() -> {
                try {
                    jobs.forEach(j -> results.send("job " + j + " -> " + fib(j)));
                } finally {
                    wg.done();
                }
            });
        }
        for (int j = 1; j <= n; j++) {
            jobs.send(j + 10);
        }
        jobs.close();
        Go.go(() -> {
            wg.await();
            results.close();
        });
        results.forEach(System.out::println);
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
// Unordered output:
// job 11 -> 89
// job 12 -> 144
// job 13 -> 233
// job 14 -> 377
// job 15 -> 610
// job 16 -> 987
// job 17 -> 1597
// job 18 -> 2584
