package org.gort.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/*
 * The strategies and workloads ./gort run's fast path found on its jars, kept in a file beside
 * its start-up cache so that the next run need not look for them.
 *
 * ServiceLoader finds providers by reading META-INF/services in every jar of the class path.
 * With the start-up cache every class is loaded already, so that search is the only reason the
 * run opens its jars at all: some 20 ms of a ./gort run's start, mostly the jars' manifests read
 * by the JDK's class-path code before it has been compiled. With the index, the run names each
 * provider class and constructs it, as ServiceLoader would, in the order ServiceLoader found
 * them.
 *
 * The file starts with one line per jar: its name, size and modification time. When any of them
 * differs from the jars the run has (a rebuild, a jar added or removed), the file is stale and
 * the run searches with ServiceLoader and writes the file again (a temporary file moved into
 * place, so that a concurrent run reads the old file or the new one, never half of one). A file
 * that cannot be read or parsed counts as stale; one that cannot be written is left as it is.
 *
 *   jar <tab> name <tab> size <tab> modified-millis
 *   provider <tab> service interface <tab> class <tab> bundle <tab> version
 */
final class ProviderIndex {
    /** One provider: the service it implements, its class, and the bundle and version of its jar. */
    record Provider(String service, String className, String bundle, String version) {
    }

    private static final String JAR = "jar";
    private static final String PROVIDER = "provider";

    private ProviderIndex() {
    }

    /** The providers the file lists, or null when it is missing, unreadable, malformed, or names other jars than {@code jars}. */
    static List<Provider> read(Path file, List<Path> jars) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        List<String> expected;
        try {
            expected = stamps(jars);
        } catch (IOException e) {
            return null;
        }
        List<String> found = new ArrayList<>();
        List<Provider> providers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[0].equals(JAR) && f.length == 4 && providers.isEmpty()) {
                found.add(line);
            } else if (f[0].equals(PROVIDER) && f.length == 5) {
                providers.add(new Provider(f[1], f[2], f[3], f[4]));
            } else {
                return null;
            }
        }
        return found.equals(expected) ? providers : null;
    }

    /** Writes the index of {@code providers} found on {@code jars}; quietly leaves the file as it is when it cannot. */
    static void write(Path file, List<Path> jars, List<Provider> providers) {
        Path tmp = null;
        try {
            StringBuilder sb = new StringBuilder();
            for (String stamp : stamps(jars)) {
                sb.append(stamp).append('\n');
            }
            for (Provider p : providers) {
                sb.append(String.join("\t", PROVIDER, p.service(), p.className(), p.bundle(), p.version())).append('\n');
            }
            tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // a folder gort cannot write: the next run searches again
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // left behind in the launcher's folder; harmless
                }
            }
        }
    }

    /** The jar lines {@code jars} have now, in their order. */
    private static List<String> stamps(List<Path> jars) throws IOException {
        List<String> out = new ArrayList<>(jars.size());
        for (Path jar : jars) {
            out.add(String.join("\t", JAR, jar.getFileName().toString(), Long.toString(Files.size(jar)),
                    Long.toString(Files.getLastModifiedTime(jar).toMillis())));
        }
        return out;
    }
}
