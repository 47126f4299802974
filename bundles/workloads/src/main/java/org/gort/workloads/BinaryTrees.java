package org.gort.workloads;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.Check;
import org.gort.api.Globals;
import org.gort.api.Go;
import org.gort.api.Mutator;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Type;
import org.gort.api.WaitGroup;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * The Benchmarks Game's binary-trees (after Hans Boehm's GCBench), as its parallel Go program
 * does it, on gort's managed heap: build a "stretch" tree of depth maxDepth+1 and drop it; build
 * a long-lived tree of depth maxDepth and keep it in a global for the whole run; then, one
 * goroutine per depth d = 4, 6, ..., maxDepth, build and walk 2^(maxDepth-d+4) short-lived trees
 * of depth d. Almost every allocation dies young while the long-lived tree stays, so the
 * collector's work per cycle and the STW collector's pause grow with maxDepth.
 *
 * <p>A node is an object of type {@code binary-trees.Node}: two pointer slots (left, right), no
 * scalars, as Go's {@code type Node struct{ left, right *Node }}. Rooting: an address held only
 * in a Java local is not a root, so {@link #bottomUpTree} keeps each subtree in a root-stack slot
 * of its frame until the parent that points to it is allocated ({@code &Node{l, r}}: no safepoint
 * after the allocation), and returns the parent fresh for its caller to root; the long-lived tree
 * lives in global {@value #LONG_LIVED_GLOBAL}. A tree's slot is cleared once the tree is checked,
 * where Go's compiler ends its liveness: otherwise each goroutine would keep the tree it checked
 * alive while it builds the next one (twice Go's live heap at n=20).
 *
 * <p>Output: the program's exact lines (tabs as the Go program prints them). Since a tree of
 * depth d has 2^(d+1)-1 nodes, the check computes every line from the formula.
 */
@Component(service = Workload.class, property = "gort.workload.name=binary-trees")
public final class BinaryTrees extends StandardWorkload {
    static final int MIN_DEPTH = 4;
    /** Depth 30 already means 2^31 nodes of 16 bytes in one tree: beyond any sensible heap. */
    static final int MAX_N = 30;
    static final int LONG_LIVED_GLOBAL = 0;
    static final Type NODE = Type.register("binary-trees.Node", 2, 0);

    public BinaryTrees() {
        super("binary-trees", "allocator and collector: many short-lived binary trees beside a long-lived one (Benchmarks Game)",
                Param.ofInt("n", 10, "maximum tree depth (at least 6; 16 for comparisons, 21 for the classic size)").range(0, MAX_N));
    }

    static int maxDepth(Params p) {
        return Math.max(MIN_DEPTH + 2, p.intValue("n"));
    }

    @Override
    void run(Params p) {
        int maxDepth = maxDepth(p);
        int stretchDepth = maxDepth + 1;

        Mutator mu = Mutator.current();
        int f = mu.push(1);
        mu.set(f, bottomUpTree(mu, stretchDepth));
        Go.println("stretch tree of depth " + stretchDepth + "\t check: " + itemCheck(mu, mu.get(f)));
        // Go's liveness: the stretch tree is dead once checked, not while the next one is built
        mu.set(f, 0);

        // a global store is a safepoint: keep the new tree in the frame until the global holds it
        mu.set(f, bottomUpTree(mu, maxDepth));
        Globals.set(LONG_LIVED_GLOBAL, mu.get(f));
        mu.pop(f);

        int depths = (maxDepth - MIN_DEPTH) / 2 + 1;
        long[] resultTrees = new long[depths];
        long[] resultCheck = new long[depths];
        WaitGroup wg = new WaitGroup();
        for (int k = 0; k < depths; k++) {
            int slot = k;
            int depth = MIN_DEPTH + 2 * k;
            wg.add(1);
            Go.go(() -> {
                long iterations = 1L << (maxDepth - depth + MIN_DEPTH);
                long check = 0;
                Mutator gmu = Mutator.current(); // this goroutine's
                int t = gmu.push(1);
                for (long i = 1; i <= iterations; i++) {
                    long tree = bottomUpTree(gmu, depth);
                    gmu.set(t, tree);
                    check += itemCheck(gmu, tree);
                    gmu.set(t, 0); // dead once checked, as in Go: one tree per goroutine live, not two
                }
                gmu.pop(t);
                resultTrees[slot] = iterations;
                resultCheck[slot] = check;
                wg.done();
            });
        }
        wg.await();
        for (int k = 0; k < depths; k++) {
            Go.println(resultTrees[k] + "\t trees of depth " + (MIN_DEPTH + 2 * k) + "\t check: " + resultCheck[k]);
        }
        Go.println("long lived tree of depth " + maxDepth + "\t check: " + itemCheck(mu, Globals.get(LONG_LIVED_GLOBAL)));
        Globals.set(LONG_LIVED_GLOBAL, 0);
    }

    /**
     * {@code &Node{bottomUpTree(depth-1), bottomUpTree(depth-1)}}: the children first, then the
     * parent, as Go evaluates it. Returns an address not yet rooted: the caller roots it before
     * its next runtime call. {@code mu} is the calling goroutine's, passed down as Go's code
     * has its {@code g} at hand.
     */
    static long bottomUpTree(Mutator mu, int depth) {
        if (depth <= 0) {
            return mu.alloc(NODE);
        }
        // Each child is rooted before the next safepoint and then used from its local: a rooted
        // object stays where it is (no gort collector moves objects).
        int f = mu.push(2); // left, right
        long left = bottomUpTree(mu, depth - 1);
        mu.set(f, left);
        long right = bottomUpTree(mu, depth - 1);
        mu.set(f + 1, right);
        long node = mu.alloc(NODE, left, right); // &Node{left, right}
        mu.pop(f);
        return node;
    }

    /** {@code func (n *Node) itemCheck() int}: counts the nodes; loads are no safepoint, so nothing moves or dies meanwhile. */
    static long itemCheck(Mutator mu, long node) {
        long left = mu.loadPtr(node, 0);
        if (left == 0) {
            return 1;
        }
        return 1 + itemCheck(mu, left) + itemCheck(mu, mu.loadPtr(node, 1));
    }

    @Override
    public Check check(Params p, List<String> output) {
        return Check.expectLines(expectedLines(maxDepth(p)), output);
    }

    /** The program's output computed from the formula: a tree of depth d has 2^(d+1)-1 nodes. */
    static List<String> expectedLines(int maxDepth) {
        List<String> lines = new ArrayList<>();
        int stretch = maxDepth + 1;
        lines.add("stretch tree of depth " + stretch + "\t check: " + nodes(stretch));
        for (int d = MIN_DEPTH; d <= maxDepth; d += 2) {
            long iterations = 1L << (maxDepth - d + MIN_DEPTH);
            lines.add(iterations + "\t trees of depth " + d + "\t check: " + iterations * nodes(d));
        }
        lines.add("long lived tree of depth " + maxDepth + "\t check: " + nodes(maxDepth));
        return lines;
    }

    private static long nodes(int depth) {
        return (1L << (depth + 1)) - 1;
    }
}
