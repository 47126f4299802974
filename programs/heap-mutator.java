// A Mutator: the managed heap's calls in a hot loop, with the goroutine found once.
//
// Heap.alloc, Heap.storePtr and Roots.set find the calling goroutine (from the continuation
// mounted on the worker thread; Go reads its g from a register) and its heap on every call.
// Mutator.current() finds them once; passing the mutator down a recursion is what Go's code
// does with its g. Heap.alloc(T, l, r) (here mu.alloc) is Go's composite literal &T{l, r}: the
// allocation, then both pointer slots stored with the write barrier and no safepoint between
// them, so l and r must be rooted and the new node is fresh until the caller roots it.
// Look at: tree() against heap-tree.java's build(), and the time of each way:
//   ./gort run programs/heap-mutator.java 20 mutator     # stderr: its time, about a tenth less
//   ./gort run programs/heap-mutator.java 20 static
//
//   ./gort run programs/heap-mutator.java [depth] [mutator|static] [--gc C] [--check-roots]
import org.gort.api.Heap;
import org.gort.api.Mutator;
import org.gort.api.Roots;
import org.gort.api.Type;

class HeapMutator {
    // type Node struct { left, right *Node }
    static final Type NODE = Type.register("heap-mutator.Node", 2, 0);

    /** &Node{tree(d-1), tree(d-1)}, through the goroutine's mutator; returns it unrooted. */
    static long tree(Mutator mu, int depth) {
        if (depth == 0) {
            return mu.alloc(NODE);
        }
        int f = mu.push(2);                  // each child rooted while the other is built
        mu.set(f, tree(mu, depth - 1));
        mu.set(f + 1, tree(mu, depth - 1));
        long node = mu.alloc(NODE, mu.get(f), mu.get(f + 1));
        mu.pop(f);
        return node;
    }

    /** The same tree through the static calls, each of which finds the goroutine again. */
    static long treeStatic(int depth) {
        if (depth == 0) {
            return Heap.alloc(NODE);
        }
        int f = Roots.push(2);
        Roots.set(f, treeStatic(depth - 1));
        Roots.set(f + 1, treeStatic(depth - 1));
        long node = Heap.alloc(NODE, Roots.get(f), Roots.get(f + 1));
        Roots.pop(f);
        return node;
    }

    static long count(Mutator mu, long node) {
        return node == 0 ? 0 : 1 + count(mu, mu.loadPtr(node, 0)) + count(mu, mu.loadPtr(node, 1));
    }

    public static void main(String[] args) {
        int depth = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean viaMutator = args.length < 2 || args[1].equals("mutator");
        Mutator mu = Mutator.current();
        int f = mu.push(1);
        long t0 = System.nanoTime();
        for (int round = 0; round < 8; round++) {
            mu.set(f, viaMutator ? tree(mu, depth) : treeStatic(depth)); // the old tree becomes garbage
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("8 trees of " + count(mu, mu.get(f)) + " nodes, the last one kept");
        System.err.println((viaMutator ? "mutator" : "static") + ": " + ms + " ms");
        mu.pop(f);
    }
}
// Output:
// 8 trees of 2047 nodes, the last one kept
