// A blocking system call hands its P to another M, so the other goroutines keep running.
//
// Go.syscall(fn) really blocks the M (the worker thread) in fn. While it is blocked, its P
// would be wasted; Go's sysmon retakes it after 20 µs and hands it to another M (handoffp). So
// with a single P a goroutine stuck in a 300 ms read does not stop a ticking goroutine.
// Look at: the ticks counted while the syscall blocks (stderr), under --gomaxprocs 1; the run's metrics
// sched.retakes and sched.handoffs; ./gort scenario syscall-handoff for the numbers.
//
//   ./gort run programs/syscall-handoff.java --gomaxprocs 1
import java.time.Duration;
import org.gort.api.Chan;
import org.gort.api.Go;

class SyscallHandoff {
    public static void main(String[] args) throws Exception {
        Chan<String> done = Chan.make(1);
        Go.go(() -> {
            String data = Go.syscall(() -> {
                Thread.sleep(300); // stands for a blocking read(2): the M blocks, the P moves on
                return "300 ms of data";
            });
            done.send(data);
        });
        int ticks = 0;
        String got = null;
        while (got == null) {
            Go.sleep(Duration.ofMillis(10));
            ticks++;
            got = done.len() > 0 ? done.recv() : null;
        }
        System.out.println("read " + got);
        System.err.println(ticks + " ticks of 10 ms during the 300 ms syscall");
        System.out.println(ticks > 1 ? "main kept running during the syscall" : "main starved: " + ticks + " tick");
    }
}
// Output:
// read 300 ms of data
// main kept running during the syscall
