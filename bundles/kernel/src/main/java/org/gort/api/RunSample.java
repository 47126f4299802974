package org.gort.api;

/**
 * One look at a running program, for a timeline ({@link RunHandle#sample()}): the heap, the
 * goroutines by state and the Ps by state at one instant. Counts are read without stopping the
 * world, each field at a slightly different moment (weakly consistent, as Go's
 * {@code runtime/metrics} reads are); the collector's own goroutines are left out.
 *
 * @param atNanos    when, in nanoseconds since the program started
 * @param heapLive   bytes of the managed heap in use (Go's {@code heapLive}: marked live by the
 *                   last cycle plus allocated since); 0 without a heap
 * @param heapGoal   the heap goal the next cycle is paced to (Go's {@code NextGC})
 * @param gcCycles   GC cycles completed so far
 * @param goroutines user goroutines alive (every state but dead)
 * @param runnable   of those, waiting for a P ({@code _Grunnable})
 * @param running    running on an M ({@code _Grunning})
 * @param syscall    in a blocking syscall ({@code _Gsyscall})
 * @param waiting    parked: on a channel, a lock, a timer ({@code _Gwaiting})
 * @param psRunning  Ps held by an M running Go code ({@code _Prunning})
 * @param psIdle     Ps on the idle list ({@code _Pidle})
 * @param psSyscall  Ps whose M is in a syscall ({@code _Psyscall})
 * @param psStopped  Ps stopped for a stop-the-world ({@code _Pgcstop})
 */
public record RunSample(long atNanos, long heapLive, long heapGoal, long gcCycles,
                        int goroutines, int runnable, int running, int syscall, int waiting,
                        int psRunning, int psIdle, int psSyscall, int psStopped) {
}
