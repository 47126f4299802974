package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast path's index of providers: read back as written while the jars are the same, stale as soon as one differs. */
class ProviderIndexTest {
    @TempDir
    Path dir;

    private static final List<ProviderIndex.Provider> PROVIDERS = List.of(
            new ProviderIndex.Provider("org.gort.spi.sched.SchedulerStrategy", "org.gort.scheduler.gmp.GmpStrategy", "org.gort.scheduler.gmp", "0.1.0"),
            new ProviderIndex.Provider("org.gort.api.Workload", "org.gort.workloads.Sieve", "org.gort.workloads", "0.1.0"));

    private List<Path> jars() throws Exception {
        Path a = dir.resolve("a.jar");
        Path b = dir.resolve("b.jar");
        Files.write(a, new byte[10]);
        Files.write(b, new byte[20]);
        Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(b, FileTime.fromMillis(2_000_000));
        return List.of(a, b);
    }

    @Test
    void readsBackWhatWasWrittenForTheSameJars() throws Exception {
        List<Path> jars = jars();
        Path index = dir.resolve("gort-run.providers");
        assertNull(ProviderIndex.read(index, jars), "no file yet");
        ProviderIndex.write(index, jars, PROVIDERS);
        assertEquals(PROVIDERS, ProviderIndex.read(index, jars));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")), "a temporary file was left");
        }
    }

    @Test
    void anyChangeToTheJarsMakesItStale() throws Exception {
        List<Path> jars = jars();
        Path index = dir.resolve("gort-run.providers");
        ProviderIndex.write(index, jars, PROVIDERS);
        Files.setLastModifiedTime(jars.get(1), FileTime.fromMillis(2_000_001));
        assertNull(ProviderIndex.read(index, jars), "a jar modified");
        ProviderIndex.write(index, jars, PROVIDERS);
        Files.write(jars.get(0), new byte[11]);
        Files.setLastModifiedTime(jars.get(0), FileTime.fromMillis(1_000_000));
        assertNull(ProviderIndex.read(index, jars), "a jar of another size");
        ProviderIndex.write(index, jars, PROVIDERS);
        assertNull(ProviderIndex.read(index, jars.subList(0, 1)), "a jar gone");
        Path c = Files.write(dir.resolve("c.jar"), new byte[5]);
        assertNull(ProviderIndex.read(index, List.of(jars.get(0), jars.get(1), c)), "a jar added");
        assertNull(ProviderIndex.read(index, List.of(jars.get(1), jars.get(0))), "the same jars in another order");
        assertEquals(PROVIDERS, ProviderIndex.read(index, jars));
    }

    @Test
    void aMalformedFileIsStaleAndAnUnwritableFolderIsQuiet() throws Exception {
        List<Path> jars = jars();
        Path index = dir.resolve("gort-run.providers");
        ProviderIndex.write(index, jars, PROVIDERS);
        Files.writeString(index, Files.readString(index).replace("provider\t", "provider "));
        assertNull(ProviderIndex.read(index, jars), "a provider line without its fields");
        Files.writeString(index, Files.readString(index) + "something else\n");
        assertNull(ProviderIndex.read(index, jars), "a line of no kind");
        ProviderIndex.write(dir.resolve("no-such-folder").resolve("gort-run.providers"), jars, PROVIDERS); // says nothing
        assertNull(ProviderIndex.read(index, List.of(dir.resolve("missing.jar"))), "a jar that is not there");
    }
}
