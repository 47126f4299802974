package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@code exit} under a real Gogo runtime: stopping the framework interrupts the shell's thread
 * (the Gogo JLine bundle does so when it stops); that interrupt must not reach the shell's wait
 * for the {@code exit} command line, or the shell prints {@code java.lang.InterruptedException}.
 */
class ShellExitTest {
    /** A command that leaves the way {@code exit} does; {@code stop} stands for the framework's stop. */
    public static final class Leave {
        private final Runnable stop;

        Leave(Runnable stop) {
            this.stop = stop;
        }

        public void leave() {
            ShellExit.afterCurrentJob(stop);
        }
    }

    @RepeatedTest(50)
    void theShellIsInterruptedOnlyAfterTheCommandLineHasEnded() throws Exception {
        CommandProcessorImpl processor = new CommandProcessorImpl();
        AtomicReference<Thread> shell = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        processor.addCommand("gort", new Leave(() -> {
            shell.get().interrupt(); // what stopping the Gogo JLine bundle does to the shell's thread
            stopped.countDown();
        }), "leave");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch executed = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                    new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
                session.execute("leave");
            } catch (Throwable e) {
                failure.set(e);
            }
            executed.countDown();
        }, "shell");
        shell.set(t);
        t.start();
        assertTrue(stopped.await(1, TimeUnit.MINUTES), "the stop never ran");
        assertTrue(executed.await(1, TimeUnit.MINUTES), "the command line never returned");
        t.join();
        assertNull(failure.get(), () -> "the command line failed: " + failure.get());
        processor.stop();
    }

    @RepeatedTest(5)
    void outsideAJobTheStopRunsAtOnce() {
        int[] ran = {0};
        assertNull(ShellExit.afterCurrentJob(() -> ran[0]++));
        assertEquals(1, ran[0]);
    }
}
