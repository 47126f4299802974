// A channel of heap pointers (Go's chan *T): the channel keeps what it carries alive.
//
// Chan.ofPointers(n) carries addresses and is a root for every address in its buffer, in a
// blocked sender, or on its way to a receiver, so send(Heap.alloc(T)) is safe. What recv()
// returns is in a Java local only: root it before the next runtime call. A receive on a closed,
// drained pointer channel returns 0 (nil).
// Look at: the consumer roots each message at once; run with --gc dijkstra, yuasa, stw and a
// forced collection in the middle.
//
//   ./gort run programs/heap-pointer-chan.java [--gc C] [--checkmark]
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.Type;

class HeapPointerChan {
    // type Msg struct { seq int64; payload int64 }
    static final Type MSG = Type.register("heap-pointer-chan.Msg", 0, 16);

    public static void main(String[] args) {
        Chan<Long> messages = Chan.ofPointers(8);
        Chan<Long> total = Chan.make(1);
        Go.go(() -> {
            int f = Roots.push(1);
            long sum = 0;
            for (long m; (m = messages.recv()) != 0; ) {
                Roots.set(f, m); // rooted before the next runtime call
                if (Heap.loadLong(Roots.get(f), 0) == 500) {
                    Heap.gc(); // a collection while messages sit in the buffer
                }
                sum += Heap.loadLong(Roots.get(f), 8);
            }
            Roots.pop(f);
            total.send(sum);
        });
        for (long seq = 1; seq <= 1000; seq++) {
            long m = Heap.alloc(MSG); // no runtime call before the send: safe
            Heap.storeLong(m, 0, seq);
            Heap.storeLong(m, 8, seq * seq);
            messages.send(m);
        }
        messages.close();
        System.out.println("sum of squares 1..1000: " + total.recv());
    }
}
// Output:
// sum of squares 1..1000: 333833500
