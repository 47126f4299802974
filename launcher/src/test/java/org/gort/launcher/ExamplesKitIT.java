package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
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
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(25), "./gort kit");
        String report = f.out() + f.err();
        assertEquals(0, f.status(), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("collector\\s+dijkstra-conditional\\s+(\\d+)\\s+\\1\\s+0\\s+0\\s.*")),
                report);
        assertTrue(report.lines().anyMatch(l -> l.matches("allocator\\s+region\\s+(\\d+)\\s+\\1\\s+0\\s+0\\s.*")), report);
    }

}
