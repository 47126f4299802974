package org.gort.shell;

import java.util.concurrent.CountDownLatch;
import org.apache.felix.service.command.Job;

/**
 * Leaving the interactive shell: {@code exit} stops the framework only once the command line
 * that asked for it has ended.
 *
 * <p>Why. Gogo runs a command line as a job: the shell's thread starts it and waits on the
 * job ({@code Object.wait}) while a pipe thread runs the command. Stopping the framework stops
 * the Gogo JLine bundle, which interrupts the shell's thread. Had {@code exit} stopped the
 * framework itself, that interrupt could land while the shell's thread still waited for the
 * {@code exit} job (the framework stops bundles on a thread of its own, so it is a race the
 * loaded machine loses now and then): the wait throws, and the shell prints
 * {@code java.lang.InterruptedException} as the result of {@code exit}. Once the job is done,
 * the shell's thread is past that wait, and the interrupt only ends its read of the next line,
 * which the JLine bundle expects and keeps silent.
 *
 * <p>Implementation notes. A waiter thread enters the job's wait set before the job can end,
 * and the job notifies its monitor when its status changes (that is how Gogo's own
 * {@code JobImpl.start} waits for it). The command's thread blocks until the waiter has
 * released the job's monitor, which, while the command still runs, only {@code wait()} does; so
 * the waiter is woken by the same {@code notifyAll} that wakes the shell's thread, and a thread
 * already notified returns from {@code wait} normally even if interrupted next. The wait is
 * timed, so a Gogo that never notified would delay the stop by at most a second, never hang it.
 */
final class ShellExit {
    private ShellExit() {
    }

    /**
     * Runs {@code stop} on a thread of its own once the command line running on this thread has
     * ended; at once if this thread runs no Gogo job. Returns that thread, or null.
     */
    static Thread afterCurrentJob(Runnable stop) {
        return after(Job.Utils.current(), stop);
    }

    static Thread after(Job job, Runnable stop) {
        if (job == null) {
            stop.run();
            return null;
        }
        CountDownLatch holding = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            synchronized (job) {
                holding.countDown();
                try {
                    while (job.status() != Job.Status.Done) {
                        job.wait(1000);
                    }
                } catch (InterruptedException e) {
                    // nobody interrupts this thread; if someone does, stop now rather than never
                }
            }
            stop.run();
        }, "gort-exit");
        waiter.start();
        boolean interrupted = false;
        while (true) {
            try {
                holding.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        synchronized (job) {
            // the waiter has let go of the monitor: it is in the job's wait set
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return waiter;
    }
}
