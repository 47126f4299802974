package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The out-of-tree collector and allocator examples, each built from its own sources as its
 * Maven build would, pass the conformance kit through {@code ./gort kit}, as an author runs it.
 */
class ExamplesKitIT {
    @TempDir
    static Path work;

    @Test
    void theCollectorAndAllocatorExamplesPassTheKit() throws Exception {
        Path root = Path.of(System.getProperty("gort.root")).toAbsolutePath().normalize();
        Path bundles = Path.of(System.getProperty("gort.bundles"));
        Path collector = work.resolve("gc").resolve("gort-example-gc-conditional.jar");
        Path allocator = work.resolve("alloc").resolve("gort-example-alloc-region.jar");
        ExampleBundle.build(root, "gc-conditional", bundles, collector);
        ExampleBundle.build(root, "alloc-region", bundles, allocator);

        ProcessBuilder pb = new ProcessBuilder(root.resolve("gort").toString(), "kit", collector.toString(),
                allocator.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(25, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./gort kit did not finish within 25 minutes");
        }
        String report = out.join() + err.join();
        assertEquals(0, p.exitValue(), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("collector\\s+dijkstra-conditional\\s+(\\d+)\\s+\\1\\s+0\\s+0\\s.*")),
                report);
        assertTrue(report.lines().anyMatch(l -> l.matches("allocator\\s+region\\s+(\\d+)\\s+\\1\\s+0\\s+0\\s.*")), report);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
