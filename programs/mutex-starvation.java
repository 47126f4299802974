// sync.Mutex fairness: Go 1.9's starvation mode rescues a waiter that a greedy goroutine starves.
//
// A hog locks and unlocks a mutex in a tight loop; a second goroutine wants it once. In normal
// mode a woken waiter competes with the running hog, which relocks before the waiter gets on a
// P, so the waiter could wait for ever. Once it has waited more than 1 ms the mutex switches to
// starvation mode: unlock hands it straight to the oldest waiter, and newcomers queue behind.
// Look at: how long the waiter waited and the starvation count (stderr), under both schedulers
// (with --gomaxprocs 1 only gmp works: legacy GM never preempts the hog, see cpu-hog.java).
//
//   ./gort run programs/mutex-starvation.java --gomaxprocs 2
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Mutex;

class MutexStarvation {
    public static void main(String[] args) {
        Mutex mu = new Mutex();
        Chan<Long> waited = Chan.make(1);
        Chan<Boolean> stop = Chan.make(1);
        Go.go(() -> { // the hog: lock, a little work, unlock, at once again
            long rounds = 0;
            while (stop.len() == 0) {
                mu.lock();
                for (int i = 0; i < 200; i++) {
                    rounds += i & 1;
                }
                mu.unlock();
            }
        });
        Go.gosched();
        Go.go(() -> {
            long t0 = System.nanoTime();
            mu.lock(); // waits more than 1 ms, then the mutex turns to starvation mode
            long ns = System.nanoTime() - t0;
            mu.unlock();
            waited.send(ns);
        });
        long ns = waited.recv();
        stop.send(true);
        System.err.printf("the waiter waited %.2f ms; the mutex entered starvation mode %d time(s)%n",
                ns / 1e6, mu.starvations());
        System.out.println("waiter: got the lock");
    }
}
// Output:
// waiter: got the lock
