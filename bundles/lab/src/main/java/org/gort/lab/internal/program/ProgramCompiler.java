package org.gort.lab.internal.program;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Turns a program (a Java source file, a folder of them, or a jar) into class bytes.
 *
 * <p>Sources are compiled in-process with {@code javax.tools} against gort's exported API (the
 * class path the caller names: the kernel's jar), into a cache folder named by a SHA-256 of
 * everything the result depends on: the JDK's version, the class path entries' names, sizes and
 * times, and each source file's name and contents. A second run of an unchanged program loads
 * the cached classes without starting the compiler. A folder is written under a temporary name
 * and renamed into place, so a cache entry is complete or absent. Compile errors are never
 * cached: they are reported as javac prints them ({@code file:line: error: message}, the source
 * line and a caret).
 */
public final class ProgramCompiler {
    /** javac's errors for a program that does not compile, as javac prints them. */
    public static final class CompileFailure extends Exception {
        private final String diagnostics;
        private final int errors;

        CompileFailure(String diagnostics, int errors) {
            super(errors + (errors == 1 ? " compile error" : " compile errors"), null, false, false);
            this.diagnostics = diagnostics;
            this.errors = errors;
        }

        public String diagnostics() {
            return diagnostics;
        }

        public int errors() {
            return errors;
        }
    }

    private final Path cacheRoot;
    private final List<Path> classpath;

    public ProgramCompiler(Path cacheRoot, List<Path> classpath) {
        this.cacheRoot = cacheRoot;
        this.classpath = List.copyOf(classpath);
    }

    /** The sources of a program: the file itself, or every {@code .java} file under a folder. */
    public static List<Path> sources(Path program) throws IOException {
        if (!Files.isDirectory(program)) {
            return List.of(program);
        }
        try (Stream<Path> s = Files.walk(program)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".java") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    /** Class name → bytes of a jar's classes. */
    public static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entries = jf.entries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                String n = e.getName();
                if (n.endsWith(".class") && !n.equals("module-info.class") && !n.startsWith("META-INF/")) {
                    try (InputStream in = jf.getInputStream(e)) {
                        classes.put(n.substring(0, n.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** Compiles {@code sources} (or finds them compiled in the cache); class name → bytes. */
    public Map<String, byte[]> compile(List<Path> sources) throws IOException, CompileFailure {
        String key = key(sources);
        Path dir = cacheRoot.resolve(key);
        if (!Files.isRegularFile(dir.resolve(".complete"))) {
            compileInto(sources, dir);
        }
        return readClasses(dir);
    }

    private void compileInto(List<Path> sources, Path dir) throws IOException, CompileFailure {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("this JVM has no Java compiler (a JRE?); run gort with a full JDK 25");
        }
        Files.createDirectories(cacheRoot);
        Path tmp = Files.createTempDirectory(cacheRoot, "compiling-");
        try {
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                List<String> options = new ArrayList<>(List.of("-d", tmp.toString(), "-proc:none", "-implicit:none",
                        "-encoding", "UTF-8", "-Xlint:none", "-nowarn"));
                if (!classpath.isEmpty()) {
                    options.add("-classpath");
                    options.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
                }
                StringWriter javacOut = new StringWriter();
                boolean ok = javac.getTask(javacOut, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(sources)).call();
                if (!ok) {
                    throw failure(diagnostics, javacOut.toString(), sources);
                }
            }
            Files.writeString(tmp.resolve(".complete"), "");
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another gort compiled the same program meanwhile: its copy is as good
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** javac's own rendering: {@code Prog.java:7: error: ';' expected}, the line, the caret. */
    private static CompileFailure failure(DiagnosticCollector<JavaFileObject> diagnostics, String javacOut, List<Path> sources) {
        Map<Path, String> asGiven = new java.util.HashMap<>();
        for (Path p : sources) {
            asGiven.put(p.toAbsolutePath().normalize(), p.toString());
        }
        StringBuilder sb = new StringBuilder();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            errors++;
            String file = "";
            if (d.getSource() != null) {
                Path abs = Path.of(d.getSource().toUri()).toAbsolutePath().normalize();
                file = asGiven.getOrDefault(abs, abs.toString());
            }
            String message = d.getMessage(Locale.ROOT);
            String[] lines = message.split("\n", 2);
            if (!file.isEmpty()) {
                sb.append(file).append(':').append(d.getLineNumber()).append(": ");
            }
            sb.append("error: ").append(lines[0]).append('\n');
            String src = sourceLine(d);
            if (src != null) {
                sb.append(src).append('\n');
                sb.append(" ".repeat((int) Math.max(0, d.getColumnNumber() - 1))).append("^\n");
            }
            if (lines.length > 1) {
                sb.append(lines[1]).append('\n');
            }
        }
        sb.append(errors).append(errors == 1 ? " error" : " errors").append('\n');
        if (!javacOut.isBlank()) {
            sb.append(javacOut);
        }
        return new CompileFailure(sb.toString().stripTrailing(), Math.max(errors, 1));
    }

    private static String sourceLine(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null || d.getLineNumber() <= 0) {
            return null;
        }
        try {
            String[] lines = d.getSource().getCharContent(true).toString().split("\r?\n", -1);
            long n = d.getLineNumber();
            return n <= lines.length ? lines[(int) n - 1] : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String key(List<Path> sources) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, "jdk " + Runtime.version());
        for (Path cp : classpath) {
            update(sha, "cp " + cp.toAbsolutePath());
            if (Files.isRegularFile(cp)) {
                update(sha, Files.size(cp) + " " + Files.getLastModifiedTime(cp).toMillis());
            } else if (Files.isDirectory(cp)) {
                // a folder of classes (a build's target/classes): every file's name, size and time
                try (Stream<Path> s = Files.walk(cp)) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        update(sha, cp.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis());
                    }
                }
            }
        }
        for (Path src : sources) {
            update(sha, "src " + src.toAbsolutePath().normalize());
            sha.update(Files.readAllBytes(src));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static Map<String, byte[]> readClasses(Path dir) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".class")).sorted().toList()) {
                String rel = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                classes.put(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'), Files.readAllBytes(f));
            }
        }
        return classes;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
