/**
 * How often a running thread stops running on this machine, unseen by the program: threads
 * (one by default, leaving the other CPUs to the rest of the system) read the clock in a tight
 * loop for a few seconds and count the gaps between consecutive reads longer than 4, 10 and
 * 50 µs (interrupts and the hypervisor's exits on a virtual machine, the OS running something
 * else). Every stop-the-world, lock hold and time to safepoint measured here is exposed to these
 * gaps, Go's as much as gort's.
 *
 * <pre>java bench/java/Stalls.java [seconds] [threads]</pre>
 */
public final class Stalls {
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Thread[] threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(() -> {
                long over4 = 0, over10 = 0, over50 = 0, max = 0;
                long start = System.nanoTime();
                long end = start + seconds * 1_000_000_000L;
                long prev = start;
                for (long t = start; t < end; t = System.nanoTime()) {
                    long gap = t - prev;
                    prev = t;
                    if (gap > 4_000) {
                        over4++;
                        over10 += gap > 10_000 ? 1 : 0;
                        over50 += gap > 50_000 ? 1 : 0;
                        max = Math.max(max, gap);
                    }
                }
                System.out.printf("%s: per second, gaps over 4 µs %.0f, over 10 µs %.0f, over 50 µs %.0f; longest %.0f µs%n",
                        Thread.currentThread().getName(), (double) over4 / seconds, (double) over10 / seconds,
                        (double) over50 / seconds, max / 1e3);
            }, "thread-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
