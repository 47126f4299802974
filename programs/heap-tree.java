// Objects on gort's managed heap, and the rooting rule that keeps them alive.
//
// Heap.alloc(T) returns an address (a long) of an object the collector manages, like Go's
// new(T). An address held only in a Java local is NOT a root: before the next runtime call
// (an allocation, a channel operation, a pointer store) it must sit in a Roots slot (the
// goroutine's stack), in a Globals slot, or in an object reachable from them; otherwise a
// collection may free it. Here every node is rooted in a frame while its children are made.
// Look at: the rooting in build(), and the run under each collector with a small heap goal:
//   ./gort run programs/heap-tree.java --gc stw --gctrace
//   ./gort compare programs/heap-tree.java --gc stw,dijkstra,yuasa,hybrid --runs 3
//
//   ./gort run programs/heap-tree.java [depth] [--gc C] [--checkmark]
import org.gort.api.Heap;
import org.gort.api.Roots;
import org.gort.api.Type;

class HeapTree {
    // type Node struct { left, right *Node; value int64 }
    static final Type NODE = Type.register("heap-tree.Node", 2, 8);

    /** A complete tree of the given depth; returns it unrooted: the caller roots it at once. */
    static long build(int depth, long value) {
        int f = Roots.push(3); // left, right, the node itself
        try {
            if (depth > 0) {
                Roots.set(f, build(depth - 1, 2 * value));
                Roots.set(f + 1, build(depth - 1, 2 * value + 1));
            }
            Roots.set(f + 2, Heap.alloc(NODE)); // rooted before the next runtime call
            long node = Roots.get(f + 2);
            Heap.storePtr(node, 0, Roots.get(f));
            Heap.storePtr(node, 1, Roots.get(f + 1));
            Heap.storeLong(node, 0, value);
            return node;
        } finally {
            Roots.pop(f);
        }
    }

    /** Loads are not safepoints: walking the tree needs no rooting of the nodes it visits. */
    static long sum(long node) {
        if (node == 0) {
            return 0;
        }
        return Heap.loadLong(node, 0) + sum(Heap.loadPtr(node, 0)) + sum(Heap.loadPtr(node, 1));
    }

    public static void main(String[] args) {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int f = Roots.push(1);
        long total = 0;
        for (int round = 0; round < 4; round++) {
            Roots.set(f, build(depth, 1)); // the old tree becomes garbage
            total += sum(Roots.get(f));
            Heap.gc();
        }
        int nodes = (1 << (depth + 1)) - 1;
        System.out.println("4 trees of " + nodes + " nodes, values summed: " + total / 4);
        System.out.println("a collection after each: " + (Heap.memStats().numGC() >= 4));
        Roots.pop(f);
    }
}
// Output:
// 4 trees of 2047 nodes, values summed: 2096128
// a collection after each: true
