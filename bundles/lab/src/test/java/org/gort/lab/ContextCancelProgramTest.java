package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * programs/context-cancel.java on a machine slow enough that its 30 ms deadline passes before
 * main asks for the generator's first number: the generator sees ctx.done() closed and returns,
 * so the program must not wait for that number unconditionally. The delay is made certain here by
 * a sleep longer than the deadline, put in just after the generator starts.
 */
class ContextCancelProgramTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gmp", "legacy-gm"})
    void endsAsDeclaredWhenTheDeadlinePassesBeforeTheFirstNumber(String sched) throws IOException {
        String source = Files.readString(Path.of("../../programs/context-cancel.java"), StandardCharsets.UTF_8);
        String start = "Chan<Integer> slow = generate(timed);";
        assertTrue(source.contains(start), "context-cancel.java starts its timed generator with: " + start);
        Path copy = dir.resolve(sched).resolve("context-cancel.java");
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, source.replace(start, start + " Go.sleep(Duration.ofMillis(60));"), StandardCharsets.UTF_8);

        Program p = Program.load(copy, List.of(), dir.resolve(sched + "-cache"), Program.apiClasspath());
        RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(2).scheduler(sched).build();
        RunResult r = Runtime.run(config, StrategyCatalog.serviceLoader(), () -> p.main(p.params(List.of())),
                Duration.ofSeconds(60));
        assertEquals(RunStatus.OK, r.status(), r.failure());
        assertTrue(p.check(p.params(List.of()), r.output()).passed(), p.failureReport(r.output()));
    }
}
