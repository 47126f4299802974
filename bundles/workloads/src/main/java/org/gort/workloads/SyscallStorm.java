package org.gort.workloads;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gort.api.Chan;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Component;

/**
 * Hand-off on blocking system calls: many goroutines each make {@code calls} blocking calls
 * of {@code blockMicros} ({@link Go#syscall}: the M really sleeps in the call). While an M is
 * blocked its P is either idle (GM blocks the thread and starts another) or handed off by
 * sysmon's {@code retake} to an M that runs the other goroutines (GMP); either way the kernel
 * must create threads, and the run's {@code sched.*} metrics count them and the P idle time.
 *
 * <p>Each call returns a token derived from the goroutine and call number, and the goroutine
 * counts the calls whose token came back right. Output: {@code syscalls returned: <count>},
 * which must equal goroutines × calls. Reported: {@code syscall.ns} (wall time per call).
 */
@Component(service = Workload.class, property = "gort.workload.name=syscall-storm")
public final class SyscallStorm extends StandardWorkload {
    public SyscallStorm() {
        super("syscall-storm", "syscall hand-off: many goroutines each make blocking calls; counts threads and P idle time",
                Param.ofInt("goroutines", 200, "goroutines making calls").atLeast(1),
                Param.ofInt("calls", 5, "blocking calls per goroutine").atLeast(1),
                Param.ofLong("blockMicros", 1000, "how long each call blocks its thread, in microseconds").range(0, TimeUnit.SECONDS.toMicros(60)));
    }

    @Override
    void run(Params p) {
        int goroutines = p.intValue("goroutines");
        int calls = p.intValue("calls");
        long blockNanos = TimeUnit.MICROSECONDS.toNanos(p.longValue("blockMicros"));
        Chan<Integer> returned = Chan.make(goroutines);
        long start = System.nanoTime();
        for (int g = 0; g < goroutines; g++) {
            int id = g;
            Go.go(() -> {
                int ok = 0;
                for (int c = 0; c < calls; c++) {
                    long token = (long) id * calls + c;
                    long back = Go.syscall(() -> blockingCall(blockNanos, token));
                    if (back == token) {
                        ok++;
                    }
                }
                returned.send(ok);
            });
        }
        long total = 0;
        for (int g = 0; g < goroutines; g++) {
            total += returned.recv();
        }
        long elapsed = System.nanoTime() - start;
        Go.println("syscalls returned: " + total);
        Go.report("syscall.ns", (double) elapsed / ((long) goroutines * calls));
    }

    /** The "system call": block the calling thread for {@code nanos}, then return {@code token}. */
    private static long blockingCall(long nanos, long token) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(java.time.Duration.ofNanos(nanos));
        }
        return token;
    }

    @Override
    public Check check(Params p, List<String> output) {
        long expected = (long) p.intValue("goroutines") * p.intValue("calls");
        return Check.expectLines(List.of("syscalls returned: " + expected), output);
    }
}
