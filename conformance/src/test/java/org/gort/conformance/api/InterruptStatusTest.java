package org.gort.conformance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.WaitGroup;
import org.gort.conformance.Kit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A goroutine's interrupt status ({@code Thread.currentThread().interrupt()}, the usual
 * {@code catch (InterruptedException e)} idiom) is the goroutine's: it never reaches the M's
 * thread between goroutines, nor the program's output path. The output here goes to a
 * {@link FileChannel}, which, like a terminal's channel, closes for good when an interrupted
 * thread writes to it.
 */
class InterruptStatusTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<String> schedulers() {
        return Kit.schedulers();
    }

    /** A program whose goroutines interrupt themselves, then print, park and print again. */
    private static Runnable selfInterrupting(int goroutines, List<Boolean> statusAfterPark) {
        return () -> {
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            Chan<Integer> relay = Chan.make();
            for (int i = 0; i < goroutines; i++) {
                int id = i;
                Go.go(() -> {
                    try {
                        throw new InterruptedException("a blocking call was interrupted");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the idiom
                    }
                    Go.println("goroutine " + id + " before");
                    Go.sleepNanos(100_000);
                    Go.gosched();
                    boolean still = Thread.interrupted();
                    synchronized (statusAfterPark) {
                        statusAfterPark.add(still);
                    }
                    Go.println("goroutine " + id + " after");
                    wg.done();
                });
            }
            Go.go(() -> relay.send(1));
            relay.recv();
            wg.await();
            Go.println("main done");
        };
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void theOutputChannelSurvivesAndEveryLineArrives(String sched) throws IOException {
        Path file = dir.resolve(sched + ".out");
        List<Throwable> failures = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int run = 0; run < 3; run++) {
                List<Boolean> statuses = new ArrayList<>();
                RunResult r = Kit.run(Kit.config(sched, 2).output(line -> write(channel, line, failures)).build(),
                        selfInterrupting(8, statuses));
                assertEquals(RunStatus.OK, r.status(), r.failure());
                assertTrue(failures.isEmpty(), () -> "the output channel failed: " + failures);
                assertTrue(channel.isOpen(), "an interrupted M closed the program's output channel");
                assertEquals(List.of(true, true, true, true, true, true, true, true), statuses,
                        "a goroutine keeps its own interrupt status across parks");
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3 * 17, lines.size(), String.join("\n", lines));
    }

    @RepeatedTest(10)
    void noMThreadIsLeftInterrupted() {
        AtomicBoolean interruptedAtStart = new AtomicBoolean();
        RunResult r = Kit.run(Kit.config("gmp", 2).build(), () -> {
            Chan<Boolean> done = Chan.make();
            for (int i = 0; i < 4; i++) {
                Go.go(() -> {
                    Thread.currentThread().interrupt();
                    Go.gosched(); // suspends with the flag set: the M must not keep it
                    done.send(true);
                });
            }
            for (int i = 0; i < 4; i++) {
                done.recv();
            }
            // Fresh goroutines on the same Ms start with no interrupt status.
            for (int i = 0; i < 8; i++) {
                Go.go(() -> {
                    if (Thread.currentThread().isInterrupted()) {
                        interruptedAtStart.set(true);
                    }
                    done.send(true);
                });
            }
            for (int i = 0; i < 8; i++) {
                done.recv();
            }
        });
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(!interruptedAtStart.get(), "a new goroutine found its M interrupted");
    }

    private static void write(FileChannel channel, String line, List<Throwable> failures) {
        try {
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            synchronized (failures) {
                failures.add(e);
            }
        } catch (UncheckedIOException e) {
            failures.add(e);
        }
    }
}
