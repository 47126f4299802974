// Deadlock: a WaitGroup whose counter never reaches zero.
//
// Three workers are added but one returns early without calling Done (an error path without
// defer wg.Done()). Main waits in "sync.WaitGroup.Wait" for ever; once the other workers have
// ended nothing else can run, and the runtime reports the deadlock.
// Look at: the goroutine list in the message: only main is left, waiting.
// The fix: try { ... } finally { wg.done(); } (Go: defer wg.Done()).
// Exit status: 2
//
//   ./gort run programs/deadlock-waitgroup.java
import org.gort.api.Go;
import org.gort.api.WaitGroup;

class DeadlockWaitGroup {
    public static void main(String[] args) {
        WaitGroup wg = new WaitGroup();
        for (int i = 1; i <= 3; i++) {
            int id = i;
            wg.add(1);
            Go.go(() -> {
                if (id == 2) {
                    return; // the bug: an early return that skips wg.done()
                }
                wg.done();
            });
        }
        wg.await();
        System.out.println("never printed");
    }
}
