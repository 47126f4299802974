import java.util.concurrent.CountDownLatch;

/**
 * binary-trees on the JVM's own heap and collector: the same program as bench/go/binarytrees
 * and gort's binary-trees workload (one thread per depth, a long-lived tree beside many
 * short-lived ones), with plain Java objects and virtual threads. It is the floor under gort's
 * cold binary-trees row: what the JVM itself takes, cold, for the same allocation pattern,
 * with no managed heap, rooting, barrier or goroutine scheduler of gort's in the way. Prints
 * the output lines and "s=<seconds>" timed inside the program, as bench/go/binarytrees does.
 */
public final class BinaryTrees {
    private static final int MIN_DEPTH = 4;

    private record Node(Node left, Node right) {
        int itemCheck() {
            return left == null ? 1 : 1 + left.itemCheck() + right.itemCheck();
        }
    }

    private static Node bottomUpTree(int depth) {
        return depth <= 0 ? new Node(null, null) : new Node(bottomUpTree(depth - 1), bottomUpTree(depth - 1));
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        long t0 = System.nanoTime();
        int maxDepth = Math.max(MIN_DEPTH + 2, n);
        int stretch = maxDepth + 1;
        StringBuilder out = new StringBuilder();
        out.append("stretch tree of depth ").append(stretch).append("\t check: ").append(bottomUpTree(stretch).itemCheck()).append('\n');
        Node longLived = bottomUpTree(maxDepth);
        int depths = (maxDepth - MIN_DEPTH) / 2 + 1;
        int[] trees = new int[depths];
        int[] checks = new int[depths];
        CountDownLatch done = new CountDownLatch(depths);
        for (int k = 0; k < depths; k++) {
            int kk = k;
            Thread.ofVirtual().start(() -> {
                int depth = MIN_DEPTH + 2 * kk;
                int iterations = 1 << (maxDepth - depth + MIN_DEPTH);
                int check = 0;
                for (int i = 1; i <= iterations; i++) {
                    check += bottomUpTree(depth).itemCheck();
                }
                trees[kk] = iterations;
                checks[kk] = check;
                done.countDown();
            });
        }
        done.await();
        for (int k = 0; k < depths; k++) {
            out.append(trees[k]).append("\t trees of depth ").append(MIN_DEPTH + 2 * k).append("\t check: ").append(checks[k]).append('\n');
        }
        out.append("long lived tree of depth ").append(maxDepth).append("\t check: ").append(longLived.itemCheck()).append('\n');
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.print(out);
        System.out.printf("binarytrees n=%d s=%.3f%n", n, s);
    }
}
