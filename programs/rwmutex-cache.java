// sync.RWMutex: many readers at once, one writer alone.
//
// A cache read by many goroutines and refreshed by one: readers take the read lock (RLock) and
// do not exclude each other; the writer's Lock waits for the readers inside to leave and keeps
// new ones out until it is done, so no reader ever sees a half-written entry.
// Look at: every reader sees the two fields agree, and the counts of reads per version.
//
//   ./gort run programs/rwmutex-cache.java
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Go;
import org.gort.api.RWMutex;
import org.gort.api.WaitGroup;

class RwmutexCache {
    static final RWMutex mu = new RWMutex();
    static int version;
    static String value = "v0";

    public static void main(String[] args) {
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int r = 0; r < 4; r++) {
            wg.add(1);
            Go.go(() -> {
                for (int i = 0; i < 500; i++) {
                    mu.rlock();
                    try {
                        if (!value.equals("v" + version)) {
                            torn.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    } finally {
                        mu.runlock();
                    }
                    Go.gosched();
                }
                wg.done();
            });
        }
        wg.add(1);
        Go.go(() -> {
            for (int v = 1; v <= 50; v++) {
                mu.lock();
                try {
                    version = v;
                    Go.gosched(); // a writer that yields mid-update: readers still cannot get in
                    value = "v" + v;
                } finally {
                    mu.unlock();
                }
            }
            wg.done();
        });
        wg.await();
        System.out.println(reads.get() + " reads, " + torn.get() + " torn, final " + value);
    }
}
// Output:
// 2000 reads, 0 torn, final v50
