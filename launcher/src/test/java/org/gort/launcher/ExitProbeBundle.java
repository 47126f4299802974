package org.gort.launcher;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a third-party workload bundle whose code ends the JVM: its workload {@code quitter}
 * calls {@code System.exit(status)} on the main goroutine, and its activator calls
 * {@code System.exit(9)} while the bundle starts (and registers the workload with the refusal
 * it got). The shell's weaving hook must turn the first into the end of the run and refuse the
 * second; without it, either ends the JVM running the test.
 */
final class ExitProbeBundle {
    static final String SYMBOLIC_NAME = "exitprobe";

    private static final String WORKLOAD = """
            package exitprobe;

            import java.util.List;
            import org.gort.api.Check;
            import org.gort.api.Go;
            import org.gort.api.Param;
            import org.gort.api.Params;
            import org.gort.api.Workload;

            public final class Quitter implements Workload {
                public String name() { return "quitter"; }
                public String description() { return "prints a line, then calls System.exit(status)"; }
                public List<Param> parameters() { return List.of(Param.ofInt("status", 3, "the exit status")); }
                public void main(Params p) {
                    Go.println("bye");
                    System.exit(p.intValue("status"));
                    Go.println("still here");
                }
                public Check check(Params p, List<String> output) { return Check.expectLines(List.of("bye"), output); }
            }
            """;

    private static final String ACTIVATOR = """
            package exitprobe;

            import java.util.Hashtable;
            import org.gort.api.Workload;
            import org.osgi.framework.BundleActivator;
            import org.osgi.framework.BundleContext;

            public final class Activator implements BundleActivator {
                public void start(BundleContext context) {
                    String refused = "not refused";
                    try {
                        Runtime.getRuntime().halt(9);
                    } catch (SecurityException e) {
                        refused = e.getMessage();
                    }
                    Hashtable<String, Object> props = new Hashtable<>();
                    props.put("exit.refused", refused);
                    context.registerService(Workload.class, new Quitter(), props);
                }
                public void stop(BundleContext context) { }
            }
            """;

    private ExitProbeBundle() {
    }

    static void build(Path bundles, Path out) throws Exception {
        Path work = Files.createDirectories(out.getParent().resolve("exitprobe-src"));
        Path src = Files.createDirectories(work.resolve("exitprobe"));
        Files.writeString(src.resolve("Quitter.java"), WORKLOAD);
        Files.writeString(src.resolve("Activator.java"), ACTIVATOR);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path kernel;
        try (Stream<Path> s = Files.list(bundles)) {
            kernel = s.filter(p -> p.getFileName().toString().startsWith("gort-kernel-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no gort-kernel jar in " + bundles));
        }
        Path osgi = Path.of(org.osgi.framework.BundleActivator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = List.of("--release", "25", "-proc:none", "-d", classes.toString(),
                "-cp", kernel + File.pathSeparator + osgi,
                src.resolve("Quitter.java").toString(), src.resolve("Activator.java").toString());
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the exit probe did not compile; see the compiler's output above");
        }
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", SYMBOLIC_NAME);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", "exitprobe.Activator");
        a.putValue("Import-Package", "org.gort.api,org.osgi.framework");
        try (OutputStream o = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(o, mf)) {
            for (String name : List.of("Quitter.class", "Activator.class")) {
                jar.putNextEntry(new JarEntry("exitprobe/" + name));
                jar.write(Files.readAllBytes(classes.resolve("exitprobe").resolve(name)));
                jar.closeEntry();
            }
        }
    }
}
