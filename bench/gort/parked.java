// parked: n goroutines each block receiving on one channel that nobody sends on; prints the
// time from the first go statement until every goroutine has started (each calls wg.done just
// before it parks), in the same line as bench/go/parked. Peak memory is the process's
// (bench/rows.sh reads it with /usr/bin/time -v).
//
//   ./gort run bench/gort/parked.java 1000000
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.WaitGroup;

class Parked {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Chan<Integer> ch = Chan.make();
        WaitGroup wg = new WaitGroup();
        wg.add(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Go.go(() -> {
                wg.done();
                ch.recv();
            });
        }
        wg.await();
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("parked n=%d procs=%d s=%.3f goroutines=%d%n", n, Go.gomaxprocs(), s, Go.numGoroutine());
        Go.exit(0);
    }
}
