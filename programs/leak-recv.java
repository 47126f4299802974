// Leak 2: a goroutine blocks for ever receiving from a channel nobody sends on or closes.
//
// A worker ranges over a jobs channel; main sends its jobs and forgets close(jobs). The worker
// has finished every job but waits in "chan receive" for one more that never comes.
// Look at: NumGoroutine after the work is done. With --schedtrace 50 the leaked goroutine
// does not show as runnable: a parked goroutine costs memory, not CPU.
// The fix: close(jobs) once the last job is sent; the range then ends.
//
//   ./gort run programs/leak-recv.java
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;

class LeakRecv {
    public static void main(String[] args) {
        Chan<Integer> jobs = Chan.make();
        Chan<Integer> results = Chan.make(3);
        Go.go(() -> jobs.forEach(j -> results.send(j * j))); // for j := range jobs
        for (int j = 1; j <= 3; j++) {
            jobs.send(j);
        }
        // forgot: jobs.close();
        int sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += results.recv();
        }
        System.out.println("sum of squares: " + sum);
        Go.sleep(Duration.ofMillis(20));
        System.out.println("goroutines: " + Go.numGoroutine() + " (the worker is leaked in chan receive)");
    }
}
// Output:
// sum of squares: 14
// goroutines: 2 (the worker is leaked in chan receive)
