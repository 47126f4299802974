package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up caches of the {@code gort} script (the JDK's AOT cache): {@code ./gort aot} trains
 * the framework's and {@code ./gort run}'s, a run then takes the launcher's and the bundles'
 * classes from its path's cache (Felix's too on the framework's path) and prints what it prints
 * without it, and a cache older than the jars is not used. The caches here are temporary files
 * trained on a short run ({@code GORT_AOT_CACHE}, {@code GORT_AOT_TRAINING}), so the tree's own
 * are left alone.
 */
class AotCacheIT {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    private Result gort(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("gort.root")).toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(java.util.stream.Stream.concat(
                java.util.stream.Stream.of(root.resolve("gort").toString()), java.util.Arrays.stream(args)).toList());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("GORT_DEPLOY", Files.createDirectories(dir.resolve("deploy")).toString());
        pb.environment().put("GORT_AOT_CACHE", dir.resolve("gort.aot").toString());
        pb.environment().put("GORT_AOT_TRAINING", "run sieve n=10");
        pb.environment().remove("GORT_JAVA_OPTS");
        pb.environment().putAll(env);
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(5), "gort " + String.join(" ", args));
        return new Result(f.status(), f.out(), f.err());
    }


    /** Where the JVM took the kernel's goroutine class from, per its class+load log. */
    private String sourceOfKernelG(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains(" org.gort.kernel.G source: "))
                .findFirst().orElseThrow(() -> new AssertionError("org.gort.kernel.G was not loaded; log " + log));
    }

    /** The program's own lines (the primes), without the timed verdict and metrics lines. */
    private static List<String> primes(String out) {
        return out.lines().filter(l -> l.matches("\\d+")).toList();
    }

    @Test
    void aTrainedCacheServesTheBundlesClassesAndAStaleOneIsNotUsed() throws Exception {
        Result train = gort(Map.of(), "aot");
        assertEquals(0, train.status(), train.err());
        Path cache = dir.resolve("gort.aot");
        Path runCache = dir.resolve("gort-run.aot");
        assertTrue(Files.size(cache) > 1_000_000, "the cache is " + Files.size(cache) + " bytes");
        assertTrue(Files.size(runCache) > 1_000_000, "./gort run's cache is " + Files.size(runCache) + " bytes");

        Path withLog = dir.resolve("with.log");
        Result with = gort(Map.of("GORT_JAVA_OPTS", "-Xlog:class+load:file=" + withLog), "run", "sieve", "n=10");
        assertEquals(0, with.status(), with.err());
        assertEquals("", with.err(), "the cache must start quietly");
        assertTrue(sourceOfKernelG(withLog).endsWith("source: shared objects file"),
                "a bundle's class comes from ./gort run's cache: " + sourceOfKernelG(withLog));

        Path felixLog = dir.resolve("felix.log");
        Result felix = gort(Map.of("GORT_JAVA_OPTS", "-Xlog:class+load:file=" + felixLog, "GORT_FELIX", "1"), "run", "sieve", "n=10");
        assertEquals(0, felix.status(), felix.err());
        assertEquals("", felix.err(), "the cache must start quietly");
        assertTrue(sourceOfKernelG(felixLog).endsWith("source: shared objects file"),
                "a bundle's class (Felix's class loader) comes from the framework's cache: " + sourceOfKernelG(felixLog));
        assertEquals(primes(felix.out()), primes(with.out()));

        Result without = gort(Map.of("GORT_AOT", "0"), "run", "sieve", "n=10");
        assertEquals(0, without.status(), without.err());
        assertEquals(primes(without.out()), primes(with.out()));
        assertEquals(List.of("2", "3", "5", "7", "11", "13", "17", "19", "23", "29"), primes(with.out()));
        assertTrue(with.out().contains("sieve n=10: OK, output checked"), with.out());

        // Older than the jars it was trained on: the script leaves it out.
        Files.setLastModifiedTime(cache, FileTime.fromMillis(0));
        Files.setLastModifiedTime(runCache, FileTime.fromMillis(0));
        Path staleLog = dir.resolve("stale.log");
        Result stale = gort(Map.of("GORT_JAVA_OPTS", "-Xlog:class+load:file=" + staleLog), "run", "sieve", "n=10");
        assertEquals(0, stale.status(), stale.err());
        assertFalse(sourceOfKernelG(staleLog).endsWith("source: shared objects file"),
                "a stale cache must not be used: " + sourceOfKernelG(staleLog));
    }
}
