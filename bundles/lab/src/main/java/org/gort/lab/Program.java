package org.gort.lab;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.gort.api.Check;
import org.gort.api.Go;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.ProgramExit;
import org.gort.api.ProgramStreams;
import org.gort.api.Workload;
import org.gort.lab.internal.program.ExpectedOutput;
import org.gort.lab.internal.program.ProgramCompiler;

/**
 * A program of the user's own, run as a workload: a Java source file, a folder of sources or a
 * jar whose {@code main} runs as goroutine 1 against {@code org.gort.api}, as {@code java
 * Prog.java} runs a single file.
 *
 * <p>{@link #load} compiles the sources in-process ({@code javax.tools}) against the API's class
 * path, caching the classes by a hash of their sources, and finds the entry point with the JDK's
 * launch protocol: a {@code static void main(String[])}, else a {@code static void main()}, else
 * an instance {@code main} of a class with a no-argument constructor. In a single file the main
 * class is the one named after the file, else the only class with a main; in a folder, the only
 * class with a main; in a jar, its {@code Main-Class}.
 *
 * <p>Its classes are defined with every {@code System.exit(n)} rewritten to {@link Go#exit}
 * ({@link ProgramExit}), so a program's exit ends its run with status {@code n}, never the JVM, and its reads of
 * {@code System.out}/{@code System.err} become the run's streams ({@link ProgramStreams}).
 *
 * <p>What the program prints with {@code System.out} or {@link Go#println} is its output. A
 * trailing {@code // Output:} (or {@code // Unordered output:}) comment block makes it checked,
 * as Go's example tests are ({@link #check}), when the program runs without arguments (with
 * arguments its output is another one); without the block, any output passes. The first line of
 * the file's opening comment is its {@link #description()}. A program is a stateless workload
 * with no parameters: its arguments are fixed when it is loaded.
 */
public final class Program implements Workload {
    /** The program could not be compiled: javac's errors, as javac prints them. */
    public static final class CompileException extends IllegalArgumentException {
        private final String diagnostics;

        CompileException(String summary, String diagnostics) {
            super(summary);
            this.diagnostics = diagnostics;
        }

        /** {@code Prog.java:7: error: ';' expected}, the source line and a caret, for each error. */
        public String diagnostics() {
            return diagnostics;
        }
    }

    private final Path path;
    private final String name;
    private final String description;
    private final List<String> args;
    private final MethodHandle entry;
    private final ExpectedOutput expected;

    private Program(Path path, String name, String description, List<String> args, MethodHandle entry, ExpectedOutput expected) {
        this.path = path;
        this.name = name;
        this.description = description;
        this.args = List.copyOf(args);
        this.entry = entry;
        this.expected = expected;
    }

    /** True when {@code word} names a program rather than a workload: a .java file, a .jar, or a folder. */
    public static boolean isProgramPath(String word) {
        return word.endsWith(".java") || word.endsWith(".jar") || word.contains("/") || word.contains(java.io.File.separator);
    }

    /**
     * Compiles (or finds in {@code cacheRoot}) and loads the program at {@code path}.
     *
     * @param classpath the jars or folders holding {@code org.gort.api} (see {@link #apiClasspath()})
     * @throws CompileException         the sources do not compile (javac's errors in it)
     * @throws IllegalArgumentException no such file, no main, several mains: one line saying what to do
     */
    public static Program load(Path path, List<String> args, Path cacheRoot, List<Path> classpath) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no program at " + path + " (a .java file, a folder of them, or a jar)");
        }
        String fileName = path.toAbsolutePath().normalize().getFileName().toString();
        boolean jar = fileName.endsWith(".jar") && Files.isRegularFile(path);
        boolean folder = Files.isDirectory(path);
        if (!jar && !folder && !fileName.endsWith(".java")) {
            throw new IllegalArgumentException(path + " is not a program: give a .java file, a folder of them, or a jar");
        }
        String name = jar ? fileName.substring(0, fileName.length() - 4)
                : folder ? fileName : fileName.substring(0, fileName.length() - 5);
        Map<String, byte[]> classes;
        String mainClass = null;
        String description;
        ExpectedOutput expected = null;
        try {
            if (jar) {
                classes = ProgramCompiler.readJar(path);
                try (JarFile jf = new JarFile(path.toFile())) {
                    var mf = jf.getManifest();
                    mainClass = mf == null ? null : mf.getMainAttributes().getValue("Main-Class");
                }
                description = "the jar " + fileName;
            } else {
                List<Path> sources = ProgramCompiler.sources(path);
                if (sources.isEmpty()) {
                    throw new IllegalArgumentException("no .java files in " + path);
                }
                try {
                    classes = new ProgramCompiler(cacheRoot, classpath).compile(sources);
                } catch (ProgramCompiler.CompileFailure f) {
                    throw new CompileException(path + ": " + f.getMessage(), f.diagnostics());
                }
                Path first = sources.get(0);
                String text = Files.readString(first, StandardCharsets.UTF_8);
                description = folder ? "the " + sources.size() + " sources in " + fileName : describe(text);
                for (Path src : sources) {
                    ExpectedOutput e = ExpectedOutput.parse(src.equals(first) ? text : Files.readString(src, StandardCharsets.UTF_8));
                    if (e != null) {
                        expected = e;
                    }
                }
                if (!folder) {
                    mainClass = preferredMain(classes, name);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
        }
        ClassLoader loader = new ProgramLoader(classes, Go.class.getClassLoader(), name);
        MethodHandle entry = entryPoint(loader, classes, mainClass, path);
        // The block states the output of the program as it stands, with no arguments (a Go
        // example takes none); with arguments the output is another one, and is not checked.
        return new Program(path, name, description, args, entry, args.isEmpty() ? expected : null);
    }

    /**
     * The class path that holds gort's API for compiling programs outside OSGi: where
     * {@link Go}'s class was loaded from (the kernel's jar, or its classes folder in a build).
     */
    public static List<Path> apiClasspath() {
        try {
            return List.of(Path.of(Go.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate gort's API classes to compile against: " + e.getMessage());
        }
    }

    /** The default cache of compiled programs: {@code $XDG_CACHE_HOME/gort/programs} or {@code ~/.cache/gort/programs}. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("gort").resolve("programs");
    }

    /** The first line of the file's opening comment (empty without one). */
    public static String describe(String source) {
        for (String line : source.split("\r?\n")) {
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("//") || t.startsWith("/*") || t.startsWith("*")) {
                String text = t.replaceFirst("^(//+|/\\*+|\\*+)", "").replaceFirst("\\*+/$", "").strip();
                if (!text.isEmpty()) {
                    return text;
                }
                continue;
            }
            return "";
        }
        return "";
    }

    /** True when {@code source} declares its output with a {@code // Output:} block. */
    public static boolean declaresOutput(String source) {
        return ExpectedOutput.parse(source) != null;
    }

    /** The program's name: its file name without {@code .java}/{@code .jar}, or its folder's name. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    public Path path() {
        return path;
    }

    public List<String> args() {
        return args;
    }

    /** {@code leak-send} or {@code sieve 100}: the name and the arguments. */
    public String title() {
        return args.isEmpty() ? name : name + " " + String.join(" ", args);
    }

    /** True when the program declares its output ({@code // Output:}) and so is checked. */
    public boolean checksOutput() {
        return expected != null;
    }

    @Override
    public List<Param> parameters() {
        return List.of();
    }

    /** A program has no {@code name=value} parameters: its arguments were given to {@link #load}. */
    @Override
    public Params params(List<String> ignored) {
        return Params.parse(this, List.of());
    }

    /** Runs the program's main with its arguments, on the calling goroutine. */
    @Override
    public void main(Params params) {
        try {
            entry.invokeExact(args.toArray(String[]::new));
        } catch (Throwable t) {
            throw Program.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t; // the program's own exception, unwrapped: it is the panic's value
    }

    @Override
    public Check check(Params params, List<String> output) {
        if (expected == null || expected.matches(output)) {
            return Check.ok();
        }
        return Check.failed(expected.firstDifference(output));
    }

    /** Go's report of a failed check ({@code got:} and {@code want:}); empty when the output passes. */
    public String failureReport(List<String> output) {
        return expected == null || expected.matches(output) ? "" : expected.report(output);
    }

    // ------------------------------------------------------------------ loading

    private static String preferredMain(Map<String, byte[]> classes, String fileName) {
        for (String c : classes.keySet()) {
            String simple = c.substring(c.lastIndexOf('.') + 1);
            if (simple.equals(fileName)) {
                return c;
            }
        }
        return null;
    }

    private static MethodHandle entryPoint(ClassLoader loader, Map<String, byte[]> classes, String mainClass, Path path) {
        List<String> candidates = new ArrayList<>();
        if (mainClass != null) {
            candidates.add(mainClass);
        } else {
            classes.keySet().stream().filter(c -> !c.contains("$")).forEach(candidates::add);
        }
        List<MethodHandle> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String c : candidates) {
            MethodHandle h = entryOf(loader, c, path);
            if (h != null) {
                found.add(h);
                names.add(c);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(path + " has no main method: add public static void main(String[] args) to "
                    + (mainClass != null ? mainClass : "its class"));
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(path + " has several classes with a main (" + String.join(", ", names)
                    + "); keep one, or name the file after the class to run");
        }
        return found.get(0);
    }

    /** The JDK's launch protocol (JEP 512), as a handle of type {@code (String[])void}; null if the class has no main. */
    private static MethodHandle entryOf(ClassLoader loader, String className, Path path) {
        Class<?> c;
        try {
            c = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("cannot load " + className + " of " + path + ": " + e);
        }
        try {
            for (boolean withArgs : new boolean[] {true, false}) {
                java.lang.reflect.Method m;
                try {
                    m = withArgs ? c.getDeclaredMethod("main", String[].class) : c.getDeclaredMethod("main");
                } catch (NoSuchMethodException e) {
                    continue;
                }
                if (Modifier.isPrivate(m.getModifiers()) || m.getReturnType() != void.class) {
                    continue;
                }
                m.setAccessible(true);
                MethodHandle h = MethodHandles.lookup().unreflect(m);
                if (!Modifier.isStatic(m.getModifiers())) {
                    var ctor = c.getDeclaredConstructor();
                    ctor.setAccessible(true);
                    MethodHandle make = MethodHandles.lookup().unreflectConstructor(ctor);
                    h = MethodHandles.foldArguments(h, make.asType(MethodType.methodType(c)));
                }
                if (!withArgs) {
                    h = MethodHandles.dropArguments(h, 0, String[].class);
                }
                return h.asType(MethodType.methodType(void.class, String[].class));
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot call the main of " + className + " in " + path + ": " + e);
        }
    }

    /** Defines a program's classes from their bytes; everything else comes from gort's API. */
    private static final class ProgramLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        ProgramLoader(Map<String, byte[]> classes, ClassLoader parent, String name) {
            super("program " + name, parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            b = ProgramExit.rewrite(b); // System.exit(n) ends the run with status n, not the JVM
            b = ProgramStreams.rewrite(b); // System.out is the run's output, even when a shell took System.out back
            return defineClass(name, b, 0, b.length);
        }
    }
}
