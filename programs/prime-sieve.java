// The concurrent prime sieve, from the Go tour: a chain of goroutines, one filter per prime.
//
// A generator sends 2, 3, 4, ... down a channel; each prime found gets a filter goroutine that
// passes on only the numbers it does not divide. Every number crosses as many channels as
// there are primes below it: the program is almost all channel hand-offs and goroutine
// switches, which is why it is the scheduler's classic benchmark.
// Look at: ./gort compare programs/prime-sieve.java 500 --sched gmp,legacy-gm --runs 5
// (GMP's runnext hands the receiver the P at once; legacy GM goes through its global queue).
//
//   ./gort run programs/prime-sieve.java [count]
import org.gort.api.Chan;
import org.gort.api.Go;

class PrimeSieve {
    static void generate(Chan<Integer> ch) {
        for (int i = 2; ; i++) {
            ch.send(i);
        }
    }

    static void filter(Chan<Integer> in, Chan<Integer> out, int prime) {
        while (true) {
            int i = in.recv();
            if (i % prime != 0) {
                out.send(i);
            }
        }
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Chan<Integer> ch = Chan.make();
        Go.go(() -> generate(ch));
        Chan<Integer> in = ch;
        StringBuilder primes = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int prime = in.recv();
            primes.append(i == 0 ? "" : " ").append(prime);
            Chan<Integer> out = Chan.make();
            Chan<Integer> from = in;
            Go.go(() -> filter(from, out, prime));
            in = out;
        }
        System.out.println(primes);
        // main returns: the generator and the filters, all blocked, end with the program
    }
}
// Output:
// 2 3 5 7 11 13 17 19 23 29
