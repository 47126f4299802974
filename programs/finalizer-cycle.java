// A finalizer on an object in a cycle never runs: the object and its cycle leak.
//
// runtime.SetFinalizer(obj, f) runs f on the finalizer goroutine after a collection finds obj
// unreachable; obj and everything it reaches are kept for one more cycle so that f can use them.
// If obj can reach itself, there is no order in which to finalize the cycle, so Go never runs
// the finalizer and never frees the cycle. Here two objects become garbage: one alone, one in a
// two-object cycle; only the lone one is finalized.
// Look at: --gctrace (the cycle's objects stay in the live heap), under each collector.
//
//   ./gort run programs/finalizer-cycle.java [--gc C]
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Go;
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.Type;

class FinalizerCycle {
    // type Node struct { next *Node; id int64 }
    static final Type NODE = Type.register("finalizer-cycle.Node", 1, 8);

    public static void main(String[] args) {
        AtomicBoolean loneRan = new AtomicBoolean();
        AtomicBoolean cycleRan = new AtomicBoolean();
        int f = Roots.push(3);
        Roots.set(f, Heap.alloc(NODE));                   // lone
        Heap.storeLong(Roots.get(f), 0, 1);
        Heap.setFinalizer(Roots.get(f), obj -> loneRan.set(Heap.loadLong(obj, 0) == 1));
        Roots.set(f + 1, Heap.alloc(NODE));               // a
        Roots.set(f + 2, Heap.alloc(NODE));               // b
        Heap.storePtr(Roots.get(f + 1), 0, Roots.get(f + 2)); // a.next = b
        Heap.storePtr(Roots.get(f + 2), 0, Roots.get(f + 1)); // b.next = a: a cycle
        Heap.setFinalizer(Roots.get(f + 1), obj -> cycleRan.set(true));
        Roots.pop(f); // all three are garbage now

        for (int i = 0; i < 200 && !loneRan.get(); i++) {
            Heap.gc();
            Go.sleep(Duration.ofMillis(10)); // the finalizer goroutine runs between collections
        }
        Heap.gc();
        Heap.gc();
        Go.sleep(Duration.ofMillis(20));
        System.out.println("lone object finalized: " + loneRan.get());
        System.out.println("object in a cycle finalized: " + cycleRan.get() + " (never, as in Go: the cycle leaks)");
    }
}
// Output:
// lone object finalized: true
// object in a cycle finalized: false (never, as in Go: the cycle leaks)
