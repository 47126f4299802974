package org.gort.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * The deploy folder's faults, each as one line on stderr that names the file and the reason, at
 * once, in one-shot and interactive use alike.
 *
 * <p>Three sources report: this class's own check of every jar that appears or changes in the
 * folder (FileInstall passes over a file that is not a bundle without a word: an empty, corrupt
 * or truncated jar, or one without a {@code Bundle-SymbolicName}); the framework's log, which
 * {@link #felixLogger()} replaces (Felix prints {@code ERROR:} lines on stdout, where they would
 * corrupt csv or json output, and stack traces on stderr), for bundles that do not resolve or
 * whose activator throws while the start level rises; and FileInstall's log, which
 * {@link #fileInstallHandler()} receives through java.util.logging, for the same faults of a
 * jar dropped in later. A stack trace follows only with {@code GORT_DEBUG=1}.
 *
 * <p>Each file's fault is said once (a file that changes is checked again), and a file whose
 * fault was said counts as settled, so a one-shot command does not wait for it
 * ({@link #settled}).
 */
final class DeployFolder {
    private static final Pattern MISSING_PACKAGE = Pattern.compile("osgi\\.wiring\\.package=([\\w.]+)");
    private static final Pattern LOCATION = Pattern.compile("(file:\\S+?\\.jar)");

    private final Path dir;
    private final PrintStream err;
    private final boolean debug;
    /** The size and modification time of each jar when it was last checked. */
    private final Map<Path, String> checked = new ConcurrentHashMap<>();
    /** The jars whose fault was reported, with that fault: said once each. */
    private final Map<Path, String> faults = new ConcurrentHashMap<>();
    private final Set<String> saidElsewhere = ConcurrentHashMap.newKeySet();

    DeployFolder(Path dir, PrintStream err) {
        this.dir = dir.toAbsolutePath().normalize();
        this.err = err;
        this.debug = System.getenv("GORT_DEBUG") != null;
    }

    Path dir() {
        return dir;
    }

    /** The jars in the folder now, sorted. */
    List<Path> jars() {
        List<Path> jars = new ArrayList<>();
        // (a loop, not a stream: every ./gort run asks, and its lambdas would be spun at each start)
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path f : s) {
                if (f.getFileName().toString().endsWith(".jar")) {
                    jars.add(f.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            // no folder, nothing deployed
        }
        Collections.sort(jars);
        return jars;
    }

    /** Checks each jar that is new or changed since the last scan, and reports those that are not bundles. */
    void scan() {
        List<Path> now = jars();
        checked.keySet().retainAll(now);
        faults.keySet().retainAll(now);
        for (Path jar : now) {
            String stamp;
            try {
                stamp = Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis();
            } catch (IOException e) {
                continue; // gone meanwhile
            }
            if (stamp.equals(checked.put(jar, stamp))) {
                continue;
            }
            faults.remove(jar);
            String problem = jarProblem(jar);
            if (problem != null) {
                report(jar, problem, null);
            }
        }
    }

    /** True once the jar is known to be bad: it was reported and is not to be waited for. */
    boolean settled(Path jar) {
        return faults.containsKey(jar.toAbsolutePath().normalize());
    }

    /**
     * Why {@code jar} is not a bundle FileInstall can install, or null if it is one: empty, not a
     * zip (or cut short: its central directory is at the end), an entry that does not read back
     * (CRC), no manifest, or no {@code Bundle-SymbolicName}.
     */
    static String jarProblem(Path jar) {
        try {
            if (Files.size(jar) == 0) {
                return "the file is empty, not a bundle";
            }
        } catch (IOException e) {
            return "cannot read it: " + e.getMessage();
        }
        try (JarFile j = new JarFile(jar.toFile(), true)) {
            byte[] buffer = new byte[8192];
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                try (InputStream in = j.getInputStream(entry)) {
                    while (in.read(buffer) >= 0) {
                        // read to the end: a damaged entry fails its CRC here
                    }
                }
            }
            Manifest m = j.getManifest();
            if (m == null) {
                return "it has no META-INF/MANIFEST.MF, so it is not an OSGi bundle (build it with bnd or the maven-bundle-plugin)";
            }
            if (m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "its manifest has no Bundle-SymbolicName, so it is not an OSGi bundle (build it with bnd or the maven-bundle-plugin)";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "not a readable jar, corrupt or cut short (" + e.getMessage() + ")";
        }
    }

    /** Says {@code problem} about {@code jar} on stderr, once. */
    void report(Path jar, String problem, Throwable t) {
        Path file = jar.toAbsolutePath().normalize();
        if (problem.equals(faults.put(file, problem))) {
            return;
        }
        err.println("gort: " + file + ": " + problem);
        if (debug && t != null) {
            t.printStackTrace(err);
        }
        err.flush();
    }

    /** A framework or FileInstall error: about a deploy-folder jar if its location says so, else about a bundle. */
    private void error(String location, String bundleName, String message, Throwable t) {
        String reason = reason(message, t);
        Path file = fileOf(location);
        if (file == null && message != null) {
            Matcher m = LOCATION.matcher(message);
            if (m.find()) {
                file = fileOf(m.group(1));
            }
        }
        if (file != null && file.startsWith(dir)) {
            report(file, reason, t);
            return;
        }
        String line = "gort: " + (bundleName != null ? "bundle " + bundleName + ": " : "") + reason;
        if (saidElsewhere.add(line)) {
            err.println(line);
            if (debug && t != null) {
                t.printStackTrace(err);
            }
            err.flush();
        }
    }

    private static Path fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(location.replace("file:/", "file:///").replace("file:////", "file:///"))).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /**
     * The fault in a few words, from the exception when there is one (the framework and
     * FileInstall word the same fault differently; the exception is the same): what does not
     * resolve, or what the activator threw.
     */
    static String reason(String message, Throwable t) {
        String text = t != null && t.getMessage() != null ? t.getMessage() : message == null ? "" : message;
        if (text.contains("Unable to resolve")) {
            Matcher m = MISSING_PACKAGE.matcher(text);
            return m.find() ? "it does not resolve: it imports package " + m.group(1) + ", which no installed bundle exports"
                    : "it does not resolve: " + firstLine(text);
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClassNotFoundException || (c instanceof BundleException && String.valueOf(c.getMessage()).startsWith("Not found: "))) {
                String cls = String.valueOf(c.getMessage()).replaceFirst("^Not found: ", "");
                return "its activator failed: ClassNotFoundException: " + cls + " is not in the bundle";
            }
        }
        if (t instanceof BundleException be && be.getType() == BundleException.ACTIVATOR_ERROR && t.getCause() != null) {
            Throwable c = t.getCause();
            return "its activator failed: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + firstLine(c.getMessage()));
        }
        return firstLine(text);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /**
     * Felix's logger, passed as {@code felix.log.logger}: errors become one line on stderr
     * (Felix's own prints them on stdout, with stack traces on stderr).
     */
    org.apache.felix.framework.Logger felixLogger() {
        return new org.apache.felix.framework.Logger() {
            @Override
            protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
                if (level > LOG_ERROR) {
                    return;
                }
                error(bundle == null ? null : bundle.getLocation(), bundle == null ? null : bundle.getSymbolicName(), msg, throwable);
            }

            @Override
            protected void doLog(int level, String msg, Throwable throwable) {
                doLog(null, null, level, msg, throwable);
            }
        };
    }

    /** Receives FileInstall's log ({@code felix.fileinstall.log.default=jul}): its errors, one line each. */
    Handler fileInstallHandler() {
        return new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    error(null, null, r.getMessage(), r.getThrown());
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Checks the folder every {@code millis} ms on a daemon thread, for jars dropped in while the shell runs. */
    void watch(long millis) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(millis);
                    scan();
                }
            } catch (InterruptedException e) {
                // the launcher is leaving
            }
        }, "gort-deploy-check");
        t.setDaemon(true);
        t.start();
    }
}
