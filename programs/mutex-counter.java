// A data race and its fix: a counter shared by goroutines, without and with a sync.Mutex.
//
// count++ is a load, an add and a store; two goroutines on two Ps interleave them and lose
// increments. With a Mutex around it every increment survives. The racy total varies with the
// scheduler and GOMAXPROCS (with --gomaxprocs 1 and cooperative scheduling it may even come out
// right: a reason races hide), so only the locked total is printed.
// Look at: the racy total on stderr under --gomaxprocs 2 and --gomaxprocs 1.
//
//   ./gort run programs/mutex-counter.java --gomaxprocs 2
import org.gort.api.Go;
import org.gort.api.Mutex;
import org.gort.api.WaitGroup;

class MutexCounter {
    static int racy;
    static int locked;

    public static void main(String[] args) {
        Mutex mu = new Mutex();
        WaitGroup wg = new WaitGroup();
        int goroutines = 4;
        int increments = 20_000;
        for (int g = 0; g < goroutines; g++) {
            wg.add(1);
            Go.go(() -> {
                for (int i = 0; i < increments; i++) {
                    racy++;
                    mu.lock();
                    locked++;
                    mu.unlock();
                }
                wg.done();
            });
        }
        wg.await();
        System.err.println("without the mutex: " + racy + " of " + goroutines * increments);
        System.out.println("with the mutex: " + locked + " of " + goroutines * increments);
    }
}
// Output:
// with the mutex: 80000 of 80000
