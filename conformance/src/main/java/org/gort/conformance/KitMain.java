package org.gort.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.gort.api.StrategyCatalog;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code ./gort kit path/to/strategy.jar}: runs the conformance kit on the strategies a jar
 * registers in {@code META-INF/services}, and only on them, then prints the per-strategy
 * table. Builds nothing: the {@code gort} script puts the jar on the class path beside the
 * built kit. Exit status 0 if every test passed, 1 if one failed, 2 if the kit could not run.
 */
public final class KitMain {
    private static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("META-INF/services/org.gort.spi.sched.SchedulerStrategy", "scheduler");
        SERVICES.put("META-INF/services/org.gort.spi.alloc.AllocatorStrategy", "allocator");
        SERVICES.put("META-INF/services/org.gort.spi.gc.CollectorStrategy", "collector");
        SERVICES.put("META-INF/services/org.gort.spi.pacer.PacerStrategy", "pacer");
    }

    private KitMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (UsageException e) {
            System.err.println("gort: kit: " + e.getMessage());
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] args) throws UsageException {
        List<Path> jars = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a + "; usage: ./gort kit path/to/strategy.jar [more.jar ...]");
            }
            jars.add(Path.of(a));
        }
        if (jars.isEmpty()) {
            throw new UsageException("usage: ./gort kit path/to/strategy.jar [more.jar ...] (runs the conformance kit on"
                    + " the strategies the jars register)");
        }
        List<String> classes = new ArrayList<>();
        for (Path jar : jars) {
            classes.addAll(registeredClasses(jar));
        }
        StrategyCatalog catalog;
        try {
            catalog = Kit.catalog();
        } catch (ServiceConfigurationError e) {
            throw new UsageException("a strategy could not be loaded: " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        List<String> described = new ArrayList<>();
        catalog.schedulers().forEach(s -> pick(classes, s, s.name(), "scheduler", names, described));
        catalog.allocators().forEach(s -> pick(classes, s, s.name(), "allocator", names, described));
        catalog.collectors().forEach(s -> pick(classes, s, s.name(), "collector", names, described));
        catalog.pacers().forEach(s -> pick(classes, s, s.name(), "pacer", names, described));
        if (names.isEmpty()) {
            throw new UsageException("the classes " + jars + " register were not found on the kit's class path: " + classes);
        }
        System.setProperty(KitExtension.ONLY, String.join(",", names));
        System.err.println("gort kit: testing " + String.join(", ", described) + "; this takes a few minutes");

        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("org.gort.conformance"))
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new Progress());

        boolean everyOneTested = true;
        for (String n : names) {
            if (KitReport.testsOf(n) == 0) {
                System.out.println("FAILED no kit test ran under " + n);
                everyOneTested = false;
            }
        }
        return everyOneTested && KitReport.allPassed() ? 0 : 1;
    }

    private static void pick(List<String> classes, Object strategy, String name, String kind, List<String> names,
            List<String> described) {
        if (classes.contains(strategy.getClass().getName()) && !names.contains(name)) {
            names.add(name);
            described.add(name + " (" + kind + ")");
        }
    }

    /** The strategy classes {@code jar} lists in its service files. */
    static List<String> registeredClasses(Path jar) throws UsageException {
        if (!Files.isRegularFile(jar)) {
            throw new UsageException(jar + ": no such file");
        }
        List<String> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (String service : SERVICES.keySet()) {
                ZipEntry e = jf.getEntry(service);
                if (e == null) {
                    continue;
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(jf.getInputStream(e), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        int hash = line.indexOf('#');
                        String c = (hash < 0 ? line : line.substring(0, hash)).trim();
                        if (!c.isEmpty()) {
                            out.add(c);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UsageException(jar + " is not a readable jar (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new UsageException(jar + " registers no strategy: it needs one of " + String.join(", ", SERVICES.keySet())
                    + " (see docs/writing-a-strategy.md)");
        }
        return out;
    }

    /** One line per test class on stderr, as it finishes, so a long kit run shows it is alive. */
    private static final class Progress implements TestExecutionListener {
        private final Map<String, int[]> counts = new LinkedHashMap<>();

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest() && result.getStatus() != TestExecutionResult.Status.ABORTED) {
                String parent = id.getParentIdObject().map(Object::toString).orElse("");
                int[] c = counts.computeIfAbsent(classOf(parent), k -> new int[2]);
                c[0]++;
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    c[1]++;
                }
            } else if (id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource)
                    .orElse(false)) {
                int[] c = counts.remove(classOf(id.getUniqueId()));
                if (c != null) {
                    System.err.printf("  %-34s %4d tests, %d failed%n", id.getDisplayName(), c[0], c[1]);
                }
            }
        }

        private static String classOf(String uniqueId) {
            int i = uniqueId.indexOf("/[class:");
            if (i < 0) {
                return uniqueId;
            }
            int end = uniqueId.indexOf(']', i);
            return uniqueId.substring(0, end + 1);
        }
    }
}
