package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gort run} takes its fast path (no OSGi framework) by default, and prints what the
 * framework's path ({@code GORT_FELIX=1}) prints for the same run: the same program output,
 * the same verdict and metrics lines (their timed figures aside), the same stderr and the same
 * exit status, for a run that passes, a program that deadlocks, and a bad word. A jar in the
 * deploy folder sends the run to the framework.
 */
class FastRunIT {
    @TempDir
    Path dir;

    record Result(int status, String out, String err, List<String> classLog) {
    }

    private Result gort(Map<String, String> env, Path deploy, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("gort.root")).toAbsolutePath().normalize();
        Path log = Files.createTempFile(dir, "classes", ".log");
        List<String> cmd = new ArrayList<>(List.of(root.resolve("gort").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("GORT_DEPLOY", deploy.toString());
        pb.environment().remove("GORT_FELIX");
        pb.environment().put("GORT_JAVA_OPTS", "-Xlog:class+load:file=" + log);
        pb.environment().putAll(env);
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(3), "gort " + String.join(" ", args));
        return new Result(f.status(), f.out(), f.err(), Files.readAllLines(log));
    }


    private static boolean bootedFelix(Result r) {
        return r.classLog().stream().anyMatch(l -> l.contains(" org.apache.felix.framework.Felix source: "));
    }

    /** The output with the figures of the timed lines (verdict, metrics) left out; every other line as printed. */
    private static String untimed(String text) {
        return text.lines().map(l -> l.contains(" ms, sched=") || l.startsWith("  ") ? l.replaceAll("\\d+(\\.\\d+)?", "N") : l)
                .collect(Collectors.joining("\n"));
    }

    private void assertSameOnBothPaths(Path deploy, String... args) throws Exception {
        Result fast = gort(Map.of(), deploy, args);
        Result felix = gort(Map.of("GORT_FELIX", "1"), deploy, args);
        String what = String.join(" ", args);
        assertFalse(bootedFelix(fast), "./gort " + what + " booted the framework by default");
        assertTrue(bootedFelix(felix), "GORT_FELIX=1 ./gort " + what + " did not boot the framework");
        assertEquals(felix.status(), fast.status(), what + "\n" + fast.err() + "\n" + felix.err());
        assertEquals(untimed(felix.out()), untimed(fast.out()), what);
        assertEquals(untimed(felix.err()), untimed(fast.err()), what);
    }

    @Test
    void theFastPathPrintsWhatTheFrameworkPrints() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("deploy"));
        Path programs = Path.of(System.getProperty("gort.root")).resolve("programs").toAbsolutePath().normalize();
        // not the sieve: whether its leak line comes is up to a race in the run, on either path
        assertSameOnBothPaths(empty, "run", "spawn", "n=100", "--sched", "legacy-gm");
        assertSameOnBothPaths(empty, "run", programs.resolve("deadlock-main-send.java").toString(), "--sched", "legacy-gm");
        assertSameOnBothPaths(empty, "run sieve m=3");
    }

    /**
     * The index of providers beside the bundles' folder: the first run writes it, the next one
     * reads it as it is, and one naming a class that is not there is searched again and
     * rewritten. (The bundles are copies here, so that the build's own index is not touched.)
     */
    @Test
    void theFirstRunWritesTheProviderIndexTheNextReadsItAndABadOneIsRewritten() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("deploy"));
        Path root = Path.of(System.getProperty("gort.root")).toAbsolutePath().normalize();
        Path bundles = Files.createDirectories(dir.resolve("launcher").resolve("bundles"));
        try (var jars = Files.list(root.resolve("launcher/target/bundles"))) {
            for (Path j : jars.toList()) {
                Files.copy(j, bundles.resolve(j.getFileName()));
            }
        }
        Path index = bundles.resolveSibling(Main.PROVIDER_INDEX);
        Map<String, String> env = Map.of("GORT_JAVA_OPTS", "-Dgort.bundles=" + bundles);
        Result first = gort(env, empty, "run", "sieve", "n=10");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("sieve n=10: OK"), first.out());
        String written = Files.readString(index);
        assertTrue(written.contains("\torg.gort.scheduler.gmp.GmpStrategy\t") && written.contains("\torg.gort.workloads.Sieve\t"), written);

        java.nio.file.attribute.FileTime stamp = java.nio.file.attribute.FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(index, stamp);
        Result second = gort(env, empty, "run", "sieve", "n=10", "--sched", "legacy-gm");
        assertEquals(0, second.status(), second.err());
        assertEquals(stamp, Files.getLastModifiedTime(index), "a fresh index was written again");

        Files.writeString(index, written.replace("org.gort.workloads.Sieve", "org.gort.workloads.NoSuchWorkload"));
        Result third = gort(env, empty, "run", "sieve", "n=10");
        assertEquals(0, third.status(), third.err());
        assertTrue(third.out().contains("sieve n=10: OK"), third.out());
        assertEquals(written, Files.readString(index), "the index naming a missing class was not rewritten");
    }

    @Test
    void aJarInTheDeployFolderSendsTheRunToTheFramework() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("with-jar"));
        Files.write(deploy.resolve("empty.jar"), new byte[0]); // said as one line, and the run goes on
        Result r = gort(Map.of(), deploy, "run", "sieve", "n=10");
        assertEquals(0, r.status(), r.err());
        assertTrue(bootedFelix(r), "a jar in the deploy folder needs the framework");
        assertTrue(r.err().contains("empty.jar"), r.err());
    }
}
