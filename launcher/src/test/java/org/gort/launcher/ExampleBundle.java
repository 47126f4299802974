package org.gort.launcher;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds an example of {@code examples/} from its sources the way its own Maven build does
 * (javac against the kernel jar, then bnd with the example's {@code bnd.bnd}, its classes and
 * resources), so the deploy test drops the real example into the deploy folder, and the kit
 * checks the others, without making them modules of gort's build.
 */
final class ExampleBundle {
    private ExampleBundle() {
    }

    static void build(Path root, Path bundles, Path out) throws Exception {
        build(root, "scheduler-fifo", bundles, out);
    }

    /** Builds {@code examples/<example>} into the jar {@code out}; its folder is the work area. */
    static void build(Path root, String example, Path bundles, Path out) throws Exception {
        Path project = root.resolve("examples").resolve(example);
        Path work = out.getParent();
        Path classes = work.resolve("classes");
        deleteTree(work);
        Files.createDirectories(classes);

        Path kernel;
        try (Stream<Path> s = Files.list(bundles)) {
            kernel = s.filter(p -> p.getFileName().toString().startsWith("gort-kernel-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no gort-kernel jar in " + bundles));
        }
        Path annotations = Path.of(org.osgi.service.component.annotations.Component.class
                .getProtectionDomain().getCodeSource().getLocation().toURI());

        List<String> args = new ArrayList<>(List.of("--release", "25", "-proc:none", "-d", classes.toString(),
                "-cp", kernel + File.pathSeparator + annotations));
        try (Stream<Path> s = Files.walk(project.resolve("src/main/java"))) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("the example did not compile; see the compiler's output above");
        }
        Path resources = project.resolve("src/main/resources");
        try (Stream<Path> s = Files.walk(resources)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path target = classes.resolve(resources.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }

        Properties bnd = new Properties();
        try (InputStream in = Files.newInputStream(project.resolve("bnd.bnd"))) {
            bnd.load(in);
        }
        try (Builder b = new Builder()) {
            b.setBase(project.toFile());
            b.setProperties(bnd);
            b.setClasspath(new File[] {classes.toFile(), kernel.toFile(), annotations.toFile()});
            // bnd-maven-plugin adds the project's resources the same way
            b.setProperty("-includeresource", "META-INF/services=" + classes.resolve("META-INF/services"));
            try (Jar jar = b.build()) {
                if (!b.getErrors().isEmpty()) {
                    throw new IllegalStateException("bnd could not build the example: " + b.getErrors());
                }
                jar.write(out.toFile());
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
