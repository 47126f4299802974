// runtime.GOMAXPROCS(n) while the program runs: Ps destroyed and added, watched in schedtrace.
//
// GOMAXPROCS(n) stops the world and resizes the set of Ps (Go's procresize): a destroyed P's
// queued goroutines move to the others and its allocator cache is flushed; new Ps start idle
// and are handed work. Eight busy workers keep running through every change, on one P, then
// on all of them again. The calls return the previous setting, as Go's do.
// Look at: the schedtrace lines' gomaxprocs= and the per-P run queues [..] shrinking to one
// queue and growing back; the run's metrics sched.procresizes (2 here).
//
//   ./gort run programs/gomaxprocs-resize.java --gomaxprocs 4 --schedtrace 20
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.gort.api.Go;
import org.gort.api.WaitGroup;

class GomaxprocsResize {
    static final int WORKERS = 8;

    public static void main(String[] args) {
        AtomicLongArray work = new AtomicLongArray(WORKERS);
        AtomicBoolean stop = new AtomicBoolean();
        WaitGroup wg = new WaitGroup();
        for (int i = 0; i < WORKERS; i++) {
            int w = i;
            wg.add(1);
            Go.go(() -> {
                while (!stop.get()) {
                    long end = System.nanoTime() + 200_000; // a little CPU, then a yield
                    while (System.nanoTime() < end) {
                        Go.checkpoint();
                    }
                    work.incrementAndGet(w);
                    Go.gosched();
                }
                wg.done();
            });
        }
        int start = Go.gomaxprocs();
        phase("at the start", work);

        int prev = Go.gomaxprocs(1);
        System.out.println("GOMAXPROCS(1) returned the starting value: " + (prev == start));
        phase("on one P", work);

        prev = Go.gomaxprocs(start);
        System.out.println("GOMAXPROCS(start) returned 1: " + (prev == 1) + ", now " + (Go.gomaxprocs() == start ? "back" : "not back"));
        phase("back on every P", work);

        stop.set(true);
        wg.await();
        System.err.println("GOMAXPROCS went " + start + " -> 1 -> " + start);
    }

    /** Waits until every worker has made progress, then says so. */
    static void phase(String what, AtomicLongArray work) {
        long[] before = new long[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            before[i] = work.get(i);
        }
        for (int i = 0; i < WORKERS; i++) {
            while (work.get(i) <= before[i] + 3) {
                Go.sleep(Duration.ofMillis(5));
            }
        }
        System.out.println(what + ": all " + WORKERS + " workers ran");
    }
}
// Output:
// at the start: all 8 workers ran
// GOMAXPROCS(1) returned the starting value: true
// on one P: all 8 workers ran
// GOMAXPROCS(start) returned 1: true, now back
// back on every P: all 8 workers ran
