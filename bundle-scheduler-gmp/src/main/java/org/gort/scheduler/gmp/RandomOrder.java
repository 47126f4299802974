package org.gort.scheduler.gmp;

/**
 * Go's {@code randomOrder} / {@code randomEnum} ({@code runtime/proc.go}): enumerates
 * {@code 0..count-1} in a pseudo-random order by starting at a random position and stepping by
 * a random stride coprime to {@code count}, so every position is visited exactly once without
 * shuffling or allocating a permutation. Used by {@code stealWork} to pick victims.
 */
final class RandomOrder {
    private final int count;
    private final int[] coprimes;

    RandomOrder(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("randomOrder needs at least one position, got " + count);
        }
        this.count = count;
        int[] found = new int[count];
        int n = 0;
        for (int i = 1; i <= count; i++) {
            if (gcd(i, count) == 1) {
                found[n++] = i;
            }
        }
        this.coprimes = java.util.Arrays.copyOf(found, n);
    }

    /** {@code randomOrder.start(fastrand())}: {@code random} is read as an unsigned 32-bit value. */
    Enumeration start(int random) {
        int pos = Integer.remainderUnsigned(random, count);
        int inc = coprimes[Integer.remainderUnsigned(Integer.divideUnsigned(random, count), coprimes.length)];
        return new Enumeration(count, pos, inc);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** {@code randomEnum}. */
    static final class Enumeration {
        private final int count;
        private final int inc;
        private int i;
        private int pos;

        private Enumeration(int count, int pos, int inc) {
            this.count = count;
            this.pos = pos;
            this.inc = inc;
        }

        boolean done() {
            return i == count;
        }

        void next() {
            i++;
            pos = (pos + inc) % count;
        }

        int position() {
            return pos;
        }
    }
}
