package org.gort.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.felix.service.command.CommandSession;
import org.gort.api.Go;
import org.gort.api.RunStatus;
import org.gort.lab.Program;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * The shell's side of a user's own programs ({@code run path/Prog.java}): where the compiled
 * classes are cached, what they compile against, the listing of {@code programs/}, and the exit
 * status a one-shot {@code ./gort run} reports.
 *
 * <p>Under Felix the API's classes live in the kernel bundle, so javac compiles against that
 * bundle's jar, found from its location; outside Felix, against wherever {@link Go} was loaded
 * from. Compiled classes are cached under {@code <gort home>/.gort/programs} (the launcher sets
 * {@code gort.home}), else under {@code ~/.cache/gort/programs}.
 *
 * <p>Exit statuses, one table in docs/shell-and-launcher.md: 0 when the command succeeded; 1
 * when it failed (bad input, a compile error, a wrong output, a run stopped or timed out); 2 when
 * the program panicked or hit a fatal error (deadlock, out of memory), as a Go program exits; n
 * when the program called {@code exit(n)}.
 * The one-shot launcher reads the status from the session variable {@link #EXIT_VARIABLE}.
 */
final class Programs {
    /** The session variable holding the status {@code ./gort <command>} exits with. */
    static final String EXIT_VARIABLE = "gort.exit";
    static final int EXIT_FAILED = 1;
    static final int EXIT_PANIC = 2;

    /** gort's home folder (the launcher's {@code gort.home}), or null. */
    private final String home;

    Programs(BundleContext context) {
        this(context == null ? null : context.getProperty("gort.home"));
    }

    Programs(String home) {
        this.home = home;
    }

    /** Compiles (or takes from the cache) and loads the program at {@code word}, relative to where gort was started. */
    Program load(String word, List<String> args, PrintStream err) {
        Path path;
        try {
            path = Path.of(word);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException("not a file name: '" + word + "'");
        }
        try {
            return Program.load(path, args, cacheRoot(), classpath());
        } catch (Program.CompileException e) {
            err.println(e.diagnostics());
            throw new CommandException(e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
    }

    Path cacheRoot() {
        return home != null ? Path.of(home, ".gort", "programs") : Program.defaultCache();
    }

    /** The kernel bundle's jar under Felix, else where the API classes were loaded from. */
    List<Path> classpath() {
        Bundle kernel = FrameworkUtil.getBundle(Go.class);
        if (kernel != null) {
            try {
                Path jar = Path.of(java.net.URI.create(kernel.getLocation()));
                if (Files.exists(jar)) {
                    return List.of(jar);
                }
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                // a location that is not a file: fall back to the class's code source
            }
        }
        return Program.apiClasspath();
    }

    /** The folder {@code programs} lists: {@code <gort home>/programs}, or ./programs. */
    Path folder() {
        return home != null ? Path.of(home, "programs") : Path.of("programs");
    }

    /** The {@code .java} files of {@code dir}, sorted, each with its description. */
    static List<String[]> list(Path dir) {
        List<String[]> rows = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String name = f.getFileName().toString();
                rows.add(new String[] {name.substring(0, name.length() - 5), Program.describe(text),
                        Program.declaresOutput(text) ? "yes" : "no"});
            }
        } catch (IOException e) {
            throw new CommandException("cannot list programs in " + dir + ": " + e.getMessage());
        }
        return rows;
    }

    /**
     * The status a finished run exits with: 0 when it passed; the program's own status after
     * {@code exit(n)}; 2 after a panic or a fatal error; 1 for a wrong output, a stop or a timeout.
     */
    static int exitStatus(Run.Outcome o) {
        if (o.passed()) {
            return 0;
        }
        RunStatus s = o.result().status();
        return switch (s) {
            case OK, STOPPED -> EXIT_FAILED;
            case EXIT -> o.result().exitCode();
            default -> EXIT_PANIC;
        };
    }

    static void setExit(CommandSession session, int status) {
        if (session != null) {
            session.put(EXIT_VARIABLE, status);
        }
    }
}
