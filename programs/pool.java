// sync.Pool: reuse temporary objects instead of allocating anew, until the next GC.
//
// Get returns an object put back earlier (first from the calling goroutine's P, then stolen
// from other Ps) or a new one from New. As in Go 1.13+, every GC cycle moves the pool's contents
// to a victim cache and drops the previous victims: an object nobody takes back within two
// cycles is gone. A pool is a cache, never a place to keep anything.
// Look at: how many buffers New made for 1000 gets, and again after two runtime.GC().
//
//   ./gort run programs/pool.java
import java.util.concurrent.atomic.AtomicInteger;
import org.gort.api.Heap;
import org.gort.api.Pool;

class PoolDemo {
    public static void main(String[] args) {
        AtomicInteger made = new AtomicInteger();
        Pool<StringBuilder> buffers = new Pool<>(() -> {
            made.incrementAndGet();
            return new StringBuilder(64);
        });
        for (int i = 0; i < 1000; i++) {
            StringBuilder b = buffers.get();
            b.setLength(0);
            b.append("request ").append(i);
            buffers.put(b); // back for the next request
        }
        System.out.println("1000 gets, New called " + made.get() + " time(s)");
        Heap.gc(); // the pool's contents become victims
        Heap.gc(); // and the victims are dropped: nothing was taken back in between
        buffers.get();
        System.out.println("after two GCs, New called " + made.get() + " time(s): the pooled buffer was dropped");
    }
}
// Output:
// 1000 gets, New called 1 time(s)
// after two GCs, New called 2 time(s): the pooled buffer was dropped
