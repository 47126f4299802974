package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gort.api.RunHandle;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program's {@code System.out.println} stays its run's output when the host puts another
 * stream into {@code System.out} while the program runs, as the interactive shell (Gogo) does
 * after each command, so a background run's output is checked like a foreground one's.
 */
class ProgramStreamsTest {
    private static final String SOURCE = """
            import java.time.Duration;
            import org.gort.api.Go;
            class Late {
                public static void main(String[] args) {
                    System.out.println("before");
                    for (int i = 0; i < 20_000 && System.getProperty("gort.test.streams") == null; i++) {
                        Go.sleep(Duration.ofMillis(1));
                    }
                    System.out.println("after the host took System.out back");
                    System.err.println("to stderr");
                }
            }
            """;

    @TempDir
    static Path dir;

    @RepeatedTest(3)
    void outputStaysWithTheRunWhenTheHostReplacesSystemOut() throws IOException {
        Path file = dir.resolve("Late.java");
        Files.writeString(file, SOURCE, StandardCharsets.UTF_8);
        Program p = Program.load(file, List.of(), dir.resolve("cache"), Program.apiClasspath());
        List<String> trace = new java.util.concurrent.CopyOnWriteArrayList<>();
        RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(2).trace(trace::add).build();
        PrintStream hostOut = System.out;
        PrintStream hostErr = System.err;
        ByteArrayOutputStream elsewhere = new ByteArrayOutputStream();
        RunResult r;
        try {
            RunHandle h = Runtime.start(config, StrategyCatalog.serviceLoader(), () -> p.main(p.params(List.of())));
            PrintStream taken = new PrintStream(elsewhere, true, StandardCharsets.UTF_8);
            System.setOut(taken); // what Gogo's ThreadIO does after a command
            System.setErr(taken);
            System.setProperty("gort.test.streams", "go");
            r = h.await(Duration.ofSeconds(60));
        } finally {
            System.setOut(hostOut);
            System.setErr(hostErr);
            System.clearProperty("gort.test.streams");
        }
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertEquals(List.of("before", "after the host took System.out back"), r.output());
        assertEquals(List.of("to stderr"), trace.stream().filter(l -> l.equals("to stderr")).toList(), "stderr: " + trace);
        assertFalse(elsewhere.toString(StandardCharsets.UTF_8).contains("after"), elsewhere.toString(StandardCharsets.UTF_8));
    }
}
