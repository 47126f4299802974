package org.gort.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.header.Parameters;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gort's jars are named JPMS modules as well as OSGi bundles: each descriptor says what the
 * bundle's manifest says, and a program on the module path runs a workload and a comparison with
 * a third-party strategy module that {@link java.util.ServiceLoader} finds through its
 * {@code provides}.
 */
class ModulePathIT {
    @TempDir
    static Path work;

    private static Path bundles() {
        return Path.of(System.getProperty("gort.bundles"));
    }

    private static List<Path> gortJars() throws IOException {
        try (Stream<Path> s = Files.list(bundles())) {
            return s.filter(p -> p.getFileName().toString().startsWith("gort-")).sorted().toList();
        }
    }

    @Test
    void everyGortJarIsANamedModuleThatSaysWhatItsManifestSays() throws Exception {
        List<Path> jars = gortJars();
        assertTrue(jars.size() >= 12, "the kernel, lab, workloads, shell and the strategies: " + jars);
        for (Path jar : jars) {
            ModuleDescriptor d = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
            assertFalse(d.isAutomatic(), jar + " has no module-info.class");
            assertFalse(d.isOpen(), jar + " is an open module");
            try (JarFile f = new JarFile(jar.toFile())) {
                var main = f.getManifest().getMainAttributes();
                assertEquals(new Parameters(main.getValue("Bundle-SymbolicName")).keySet().iterator().next(), d.name(),
                        jar + ": the module is named after the bundle");
                Set<String> exported = new TreeSet<>(new Parameters(main.getValue("Export-Package")).keySet());
                Set<String> exports = d.exports().stream().map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(exported, exports, jar + ": the module exports the bundle's exported packages, no more");
                assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), jar.toString());

                Map<String, Set<String>> services = new TreeMap<>();
                f.stream().filter(e -> e.getName().startsWith("META-INF/services/") && !e.isDirectory()).forEach(e -> {
                    try (InputStream in = f.getInputStream(e)) {
                        services.put(e.getName().substring("META-INF/services/".length()),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(l -> l.replaceAll("#.*", "").trim())
                                        .filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new)));
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
                Map<String, Set<String>> provides = new TreeMap<>();
                d.provides().forEach(p -> provides.put(p.service(), new TreeSet<>(p.providers())));
                assertEquals(services, provides, jar + ": provides ... with ... lists what META-INF/services lists");
            }
        }
    }

    @Test
    void aWorkloadAndAComparisonRunOnTheModulePathWithAThirdPartySchedulerModule() throws Exception {
        Path root = Path.of(System.getProperty("gort.root")).toAbsolutePath().normalize();
        Path fifo = work.resolve("fifo").resolve("gort-example-scheduler-fifo.jar");
        ExampleBundle.build(root, bundles(), fifo);
        assertEquals("org.gort.example.fifo", ModuleFinder.of(fifo).findAll().iterator().next().descriptor().name());

        List<Path> modulePath = new ArrayList<>();
        for (Path jar : gortJars()) {
            if (!jar.getFileName().toString().startsWith("gort-shell-")) { // the shell needs Felix and Gogo
                modulePath.add(jar);
            }
        }
        // the kernel's one third-party module: an automatic module named after its jar
        modulePath.add(Path.of(org.HdrHistogram.Histogram.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        modulePath.add(fifo);

        Path src = work.resolve("main-src");
        Path classes = work.resolve("main-classes");
        Path pkg = src.resolve("org/gort/example/modulepath");
        Files.createDirectories(pkg);
        Files.createDirectories(classes);
        Files.writeString(src.resolve("module-info.java"), """
                module org.gort.example.modulepath {
                    requires org.gort.lab;
                }
                """);
        Files.writeString(pkg.resolve("Main.java"), """
                package org.gort.example.modulepath;

                import java.util.List;
                import org.gort.api.StrategyCatalog;
                import org.gort.lab.CompareRequest;
                import org.gort.lab.Comparison;
                import org.gort.lab.Format;
                import org.gort.lab.Lab;
                import org.gort.lab.Reports;
                import org.gort.lab.RunRecord;
                import org.gort.lab.RunRequest;
                import org.gort.lab.Selection;

                public final class Main {
                    public static void main(String[] args) {
                        Lab lab = Lab.serviceLoader();
                        Module kernel = StrategyCatalog.class.getModule();
                        System.out.println("kernel module " + kernel.getName() + ", exports org.gort.kernel: "
                                + kernel.isExported("org.gort.kernel"));
                        System.out.println("fifo from module " + lab.strategies().scheduler("fifo").getClass().getModule().getName());
                        System.out.println("sieve from module " + lab.workloads().workload("sieve").getClass().getModule().getName());
                        RunRecord r = lab.run(RunRequest.of("sieve", List.of("n=300"), Selection.defaults().withScheduler("fifo")));
                        System.out.println("run sieve n=300 under fifo: " + (r.ok() ? "ok" : r.failureHeadline()));
                        Comparison c = lab.compare(CompareRequest.of("sieve", List.of("n=300"), List.of(
                                Selection.defaults().withScheduler("gmp").withLabel("gmp"),
                                Selection.defaults().withScheduler("fifo").withLabel("fifo"))).withRounds(0, 2), line -> { });
                        System.out.print(Reports.render(c, Format.TEXT));
                        System.out.println("comparison failures: " + c.failures().size());
                    }
                }
                """);
        String mp = modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> javacArgs = new ArrayList<>(List.of("--release", "25", "--module-path", mp, "-d", classes.toString(),
                src.resolve("module-info.java").toString(), pkg.resolve("Main.java").toString()));
        assertEquals(0, javac.run(null, null, null, javacArgs.toArray(String[]::new)), "the program module did not compile");

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", mp + File.pathSeparator + classes,
                "--add-exports", "java.base/jdk.internal.vm=org.gort.kernel",
                "--add-exports", "java.base/jdk.internal.misc=org.gort.kernel",
                "--enable-native-access=org.gort.kernel",
                "-m", "org.gort.example.modulepath/org.gort.example.modulepath.Main");
        Finished f = Finished.of(pb.start(), null, Duration.ofMinutes(10), "the module-path program");
        String stdout = f.out();
        String all = stdout + f.err();
        assertEquals(0, f.status(), all);
        List<String> lines = stdout.lines().toList();
        assertTrue(lines.contains("kernel module org.gort.kernel, exports org.gort.kernel: false"), all);
        assertTrue(lines.contains("fifo from module org.gort.example.fifo"), all);
        assertTrue(lines.contains("sieve from module org.gort.workloads"), all);
        assertTrue(lines.contains("run sieve n=300 under fifo: ok"), all);
        assertTrue(lines.stream().anyMatch(l -> l.trim().startsWith("fifo ")), "the comparison has a fifo row:\n" + all);
        assertTrue(lines.contains("comparison failures: 0"), all);
    }

}
