package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.StrategyCatalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every program of the top-level {@code programs/} folder, compiled as {@code ./gort run} compiles
 * it and run in this JVM under both schedulers, and the programs that use the managed heap
 * under every collector too (with gccheckmark), all with --check-roots: each must end as its header says (an
 * {@code // Exit status: N} line for a program that shows a panic or a deadlock (2) or exits
 * with a status of its own, else OK) with
 * its {@code // Output:} matched (for a failing program, the part it printed before it failed). Programs run with their default (small) arguments.
 */
class ProgramsTest {
    private static final Path PROGRAMS = Path.of("../../programs");
    private static final Pattern EXIT = Pattern.compile("(?m)^// Exit status: (\\d+)$");
    private static final List<String> SCHEDULERS = List.of("gmp", "legacy-gm");
    private static final List<String> COLLECTORS = List.of("stw", "dijkstra", "yuasa", "hybrid", "greentea");

    @TempDir
    static Path cache;

    @TestFactory
    Stream<DynamicTest> everyProgramUnderEachSchedulerAndHeapProgramsUnderEachCollector() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(PROGRAMS)) {
            files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "programs/ holds " + files.size() + " programs");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String source = Files.readString(f, StandardCharsets.UTF_8);
            boolean heap = source.contains("Heap.") || source.contains("Roots.") || source.contains("ofPointers");
            for (String sched : SCHEDULERS) {
                tests.add(DynamicTest.dynamicTest(f.getFileName() + " sched=" + sched,
                        () -> run(f, source, sched, "hybrid")));
            }
            if (heap) {
                for (String gc : COLLECTORS) {
                    if (!gc.equals("hybrid")) {
                        tests.add(DynamicTest.dynamicTest(f.getFileName() + " gc=" + gc, () -> run(f, source, "gmp", gc)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void run(Path file, String source, String sched, String gc) {
        Program p = Program.load(file, List.of(), cache, Program.apiClasspath());
        assertFalse(p.description().isEmpty(), file + " opens with a comment saying what it shows");
        RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(2).scheduler(sched).collector(gc)
                .gccheckmark(!gc.equals("hybrid")).checkRoots(true).build();
        RunResult r = Runtime.run(config, StrategyCatalog.serviceLoader(), () -> p.main(p.params(List.of())),
                Duration.ofSeconds(60));
        Matcher m = EXIT.matcher(source);
        int expectedStatus = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (expectedStatus == 0) {
            assertEquals(RunStatus.OK, r.status(), r.failure());
            assertTrue(p.check(p.params(List.of()), r.output()).passed(), p.failureReport(r.output()));
        } else {
            assertEquals(expectedStatus, r.exitCode(), r.status() + ": " + r.failure());
            if (expectedStatus == 2) {
                assertTrue(r.status() == RunStatus.PANIC || r.status() == RunStatus.DEADLOCK || r.status() == RunStatus.FATAL,
                        r.status() + ": " + r.failure());
                // Go's traceback ends at the program's own frames: no runtime.main, no harness
                assertFalse(r.failure().contains("org.gort.lab.") || r.failure().contains("org.gort.shell."), r.failure());
            } else {
                assertEquals(RunStatus.EXIT, r.status(), r.failure());
            }
            // what the program printed before it failed is the start of what it declares
            if (p.checksOutput()) {
                assertTrue(p.check(p.params(List.of()), r.output()).passed(), p.failureReport(r.output()));
            }
        }
    }
}
