// A CPU hog starves the other goroutines when nothing preempts it.
//
// A goroutine spins for 300 ms; a second one wants to wake every 10 ms. Preemption in gort is
// cooperative, as in Go before 1.14: a running goroutine yields only at a safepoint (a runtime
// call, Go.checkpoint()). This hog passes one on every turn. GMP's sysmon asks it to yield
// after 10 ms, so the sleeper runs on time; legacy GM (Go 1.0) never preempts, so with one P
// the sleeper waits until the hog is done.
// Look at: the sleeper's worst lateness (stderr) under
//   ./gort run programs/cpu-hog.java --gomaxprocs 1 --sched gmp
//   ./gort run programs/cpu-hog.java --gomaxprocs 1 --sched legacy-gm
// and the sched.preemptions metric; ./gort scenario preemption for the statistics.
//
//   ./gort run programs/cpu-hog.java --gomaxprocs 1 [--sched legacy-gm]
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;

class CpuHog {
    public static void main(String[] args) {
        long hogMillis = args.length > 0 ? Long.parseLong(args[0]) : 300;
        Chan<Long> lateness = Chan.make(1);
        Go.go(() -> {
            long worst = 0;
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                Go.sleep(Duration.ofMillis(10));
                worst = Math.max(worst, System.nanoTime() - start - 10_000_000);
            }
            lateness.send(worst);
        });
        Go.gosched(); // let the sleeper go to sleep first
        long end = System.nanoTime() + hogMillis * 1_000_000;
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
            Go.checkpoint(); // a safepoint: where a cooperative scheduler can preempt
        }
        long worst = lateness.recv();
        System.err.printf("the sleeper woke at worst %.1f ms late (gomaxprocs=%d)%n", worst / 1e6, Go.gomaxprocs());
        System.out.println("hog done after " + (spins > 0 ? "spinning" : "nothing"));
    }
}
// Output:
// hog done after spinning
