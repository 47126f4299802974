package org.gort.workloads;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Go's concurrent prime sieve (the {@code sieve.go} of the Go tour and test suite): a
 * generator goroutine sends 2, 3, 4, ... down an unbuffered channel; each prime found starts
 * one more filter goroutine in the chain, so finding n primes creates n+1 goroutines and every
 * number hops through the filters of all smaller primes until one divides it. The program is
 * almost nothing but channel hand-offs between goroutines that ready each other, which is what
 * GMP's {@code runnext} keeps on one P and the GM scheduler scatters over Ms.
 *
 * <p>Output: one line per prime, in order, as the Go program prints them. When main returns,
 * the generator and the filters are still blocked in sends, as in Go, where the program simply
 * exits.
 */
@Component(service = Workload.class, property = "gort.workload.name=sieve")
public final class Sieve extends StandardWorkload {
    /** Caps the chain so a typo cannot ask for billions of goroutines. */
    static final int MAX_PRIMES = 1_000_000;

    public Sieve() {
        super("sieve", "Go's concurrent prime sieve: a chain of filter goroutines joined by unbuffered channels",
                Param.ofInt("n", 2000, "how many primes to find (one filter goroutine each)").range(1, MAX_PRIMES));
    }

    @Override
    void run(Params p) {
        int n = p.intValue("n");
        Chan<Integer> source = Chan.make();
        Go.go(() -> generate(source));
        Chan<Integer> ch = source;
        for (int i = 0; i < n; i++) {
            int prime = ch.recv();
            Go.println(Integer.toString(prime));
            Chan<Integer> next = Chan.make();
            Chan<Integer> in = ch;
            Go.go(() -> filter(in, next, prime));
            ch = next;
        }
    }

    /** {@code func Generate(ch chan<- int)}. */
    private static void generate(Chan<Integer> ch) {
        for (int i = 2; ; i++) {
            ch.send(i);
        }
    }

    /** {@code func Filter(in <-chan int, out chan<- int, prime int)}. */
    private static void filter(Chan<Integer> in, Chan<Integer> out, int prime) {
        while (true) {
            int i = in.recv();
            if (i % prime != 0) {
                out.send(i);
            }
        }
    }

    @Override
    public Check check(Params p, List<String> output) {
        List<String> expected = new ArrayList<>();
        for (int prime : firstPrimes(p.intValue("n"))) {
            expected.add(Integer.toString(prime));
        }
        return Check.expectLines(expected, output);
    }

    /** The first {@code n} primes by a plain sieve of Eratosthenes, independent of the program above. */
    static int[] firstPrimes(int n) {
        // p_n < n (ln n + ln ln n) for n >= 6 (Rosser's theorem); 15 covers the smaller n.
        int limit = n < 6 ? 15 : (int) Math.ceil(n * (Math.log(n) + Math.log(Math.log(n))));
        boolean[] composite = new boolean[limit + 1];
        int[] primes = new int[n];
        int found = 0;
        for (int i = 2; i <= limit && found < n; i++) {
            if (!composite[i]) {
                primes[found++] = i;
                for (long j = (long) i * i; j <= limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        if (found < n) {
            throw new IllegalStateException("sieve bound " + limit + " too small for " + n + " primes");
        }
        return primes;
    }
}
