package org.gort.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code gort} command line: an embedded Apache Felix with Declarative Services, the Gogo
 * shell and a hot-deploy folder.
 *
 * <p>{@code gort} with no arguments opens the interactive shell (line editing and history from
 * Gogo's JLine shell); {@code gort <command> [args]} runs one shell command, prints what it
 * printed, and exits 0 if it succeeded, 1 if it failed (the failure as one line on stderr), 2
 * if the program it ran panicked or hit a fatal error (as Go's), 3 if gort could not start.
 *
 * <p>A one-shot {@code gort run ...} does not boot the framework at all ({@link FastRun}): the
 * shell's {@code run} runs on the bundles' jars with the strategies and workloads found through
 * {@link ServiceLoader}, in a fraction of the framework's start-up, and prints the same. The
 * interactive shell, every other command, a run with a jar in the deploy folder, and any run with
 * {@code GORT_FELIX} set boot Felix as below.
 *
 * <p>Start levels order the boot so that nothing races:
 * <ol>
 *   <li>libraries the rest needs (OSGi promises, Config Admin);</li>
 *   <li>Declarative Services (SCR) and the Gogo runtime and its basic commands;</li>
 *   <li>the kernel, the strategies, the workloads, the lab and the gort shell bundle (every bundle
 *       not named here);</li>
 *   <li>FileInstall, which installs and starts the bundles dropped into the deploy folder;</li>
 *   <li>the interactive shell last, so every command is registered before its first prompt.</li>
 * </ol>
 * Felix's start() returns once level 5 is reached; SCR registers the components of a bundle
 * while the bundle starts, so by then every built-in strategy and command is a service.
 *
 * <p>The SLF4J API and its one binding live on this class path and reach the bundles through
 * {@code org.osgi.framework.system.packages.extra}; Gogo's command API does not (see
 * {@link #extraPackages()}): this class runs one command through {@link GogoSession}. The kernel's goroutines
 * use {@code jdk.internal.vm.Continuation} and its heap {@code jdk.internal.misc.Unsafe}, both reached by
 * boot delegation.
 *
 * <p>Each launch has its own Felix cache under {@code .gort/felix-cache/<pid>}, removed on exit,
 * so two gort processes never share one; caches left by killed processes are removed at the next
 * start. gort opens no network listener.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    /** 2 is a program's panic or fatal error, as Go's; a launch that fails is 3. */
    static final int EXIT_LAUNCH_ERROR = 3;

    /**
     * Packages of this class path that the bundles import from the system bundle: SLF4J (the API
     * and its one binding live here) and HdrHistogram (its manifest requires javax.xml.bind,
     * which the JDK no longer has). Not Gogo's command API: {@code Process.Utils.current()} reads
     * a thread-local of the Gogo runtime's {@code Pipe} class, so the API must come from the same
     * bundle as the runtime that runs the pipes, or every command sees no current process (and
     * pipes, {@code echo} and {@code clear} fail). The launcher reaches the command processor by
     * reflection instead ({@link GogoSession}).
     */
    static String extraPackages() {
        java.util.Properties v = new java.util.Properties();
        try (InputStream in = Main.class.getResourceAsStream("versions.properties")) {
            v.load(in);
        } catch (IOException | NullPointerException e) {
            throw new LaunchException("the launcher jar lacks its versions.properties; rebuild it");
        }
        String slf4j = v.getProperty("slf4j");
        String hdr = v.getProperty("hdrhistogram");
        return String.join(",",
                "org.slf4j;version=" + slf4j,
                "org.slf4j.spi;version=" + slf4j,
                "org.slf4j.event;version=" + slf4j,
                "org.slf4j.helpers;version=" + slf4j,
                "org.HdrHistogram;version=" + hdr,
                "org.HdrHistogram.packedarray;version=" + hdr);
    }

    /** Bundles by start level; every bundle not named here starts at level 3. */
    static final Map<String, Integer> START_LEVELS = Map.of(
            "org.osgi.util.function", 1,
            "org.osgi.util.promise", 1,
            "org.apache.felix.configadmin", 1,
            "org.apache.felix.scr", 2,
            "org.apache.felix.gogo.runtime", 2,
            "org.apache.felix.gogo.command", 2,
            "org.apache.felix.fileinstall", 4,
            "org.jline", 5,
            "org.apache.felix.gogo.jline", 5);
    static final int DEFAULT_START_LEVEL = 3;
    private static final int DEPLOY_START_LEVEL = 4;
    private static final int FINAL_START_LEVEL = 5;
    private static final String JLINE_SHELL = "org.apache.felix.gogo.jline";
    private static final String JLINE = "org.jline";

    private final Path home;
    private final Path bundles;
    private final Path deploy;
    private final Path cache;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    /** The deploy folder's faults, one line each on stderr. */
    private final DeployFolder deployFolder;
    /** FileInstall's java.util.logging logger, held: the logging framework keeps loggers only weakly. */
    private java.util.logging.Logger fileInstallLog;
    /** JLine's logger, held likewise. */
    private java.util.logging.Logger jlineLog;

    Main(Path home, Path bundles, Path deploy) {
        this.home = home;
        this.bundles = bundles;
        this.deploy = deploy;
        this.cache = home.resolve(".gort").resolve("felix-cache").resolve(Long.toString(ProcessHandle.current().pid()));
        this.deployFolder = new DeployFolder(deploy, err);
    }

    public static void main(String[] args) {
        configureLogging();
        int status;
        try {
            Path home = Path.of(System.getProperty("gort.home", ".")).toAbsolutePath().normalize();
            Path bundles = System.getProperty("gort.bundles") != null ? Path.of(System.getProperty("gort.bundles"))
                    : launcherDirectory().resolve("bundles");
            String deployDir = System.getProperty("gort.deploy", System.getenv("GORT_DEPLOY"));
            Path deploy = deployDir != null && !deployDir.isBlank() ? Path.of(deployDir) : defaultDeploy(home);
            Main main = new Main(home, bundles.toAbsolutePath(), deploy.toAbsolutePath());
            status = System.getProperty(TRAIN_RUNS) != null ? main.trainRuns(List.of(args)) : main.launch(List.of(args));
        } catch (LaunchException e) {
            System.err.println("gort: " + e.getMessage());
            status = EXIT_LAUNCH_ERROR;
        }
        System.out.flush();
        System.err.flush();
        // Halt rather than exit: a goroutine stuck in a loop with no safepoint must not keep the JVM up.
        Runtime.getRuntime().halt(status);
    }

    /** {@code deploy/} under gort's home, made on first use (a folder named by GORT_DEPLOY must exist). */
    private static Path defaultDeploy(Path home) {
        Path deploy = home.resolve("deploy");
        try {
            Files.createDirectories(deploy);
        } catch (IOException e) {
            throw new LaunchException("cannot create the deploy folder " + deploy + " (" + e.getMessage()
                    + "); set GORT_DEPLOY to a folder you can write");
        }
        return deploy;
    }

    /** slf4j-simple, configured for a terminal: level and short logger name, no thread or date. */
    private static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The folder of the launcher's jar (or classes), next to which the build puts {@code bundles/}. */
    private static Path launcherDirectory() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(p) ? p.getParent() : p.getParent();
        } catch (URISyntaxException | NullPointerException e) {
            throw new LaunchException("cannot locate the launcher's own jar; pass -Dgort.bundles=<folder of bundles>");
        }
    }

    /**
     * Set by {@code ./gort aot}: the argument is {@code run} commands separated by {@code ;}, each
     * run on the fast path in this one process, to train the fast path's start-up cache.
     */
    static final String TRAIN_RUNS = "gort.trainRuns";

    /**
     * The fast path's index of the strategies and workloads on its jars, beside the bundles'
     * folder: written by the first run after a build (the training's), read by the next ones.
     */
    static final String PROVIDER_INDEX = "gort-run.providers";

    /** The training run of the fast path's cache: each {@code ;}-separated {@code run}; the worst status. */
    int trainRuns(List<String> args) {
        int worst = EXIT_OK;
        List<Path> jars = bundleJars();
        for (String line : String.join(" ", args).split(";")) {
            List<String> words = FastRun.words(List.of(line.strip() + " "), List.of(), null);
            if (words == null) {
                throw new LaunchException("the fast path's training takes run commands of plain words only, got '" + line.strip() + "'");
            }
            worst = Math.max(worst, runFast(jars, words));
        }
        return worst;
    }

    /**
     * Runs one {@code run} on the fast path ({@link FastRun}) when it applies, else boots the
     * framework and runs the shell or one command; returns the exit status.
     */
    int launch(List<String> command) {
        List<Path> jars = bundleJars();
        List<String> fast = FastRun.words(command, deployFolder.jars(), System.getenv("GORT_FELIX"));
        if (fast != null) {
            return runFast(jars, fast);
        }
        if (FastRun.onClassPath()) {
            // the bundles' classes on the class path would shadow nothing, but Gogo's would
            throw new LaunchException("this command needs the OSGi framework, but gort's jars are on the class path "
                    + "(started as ./gort run's fast path); run it with GORT_FELIX=1");
        }
        return launchFelix(command, jars);
    }

    /** {@code run <words>} without the framework; its failure is said as under Gogo. */
    private int runFast(List<Path> jars, List<String> words) {
        int[] exit = {EXIT_FAILED};
        try {
            FastRun.run(jars, words, home, bundles.resolveSibling(PROVIDER_INDEX), s -> exit[0] = s);
            return EXIT_OK;
        } catch (LaunchException e) {
            throw e;
        } catch (Exception e) {
            int status = exit[0] > 0 && exit[0] < 256 ? exit[0] : EXIT_FAILED;
            return failed(e, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), status);
        }
    }

    /** Says a failed command in one line on stderr (its stack trace with GORT_DEBUG) and returns {@code status}. */
    private int failed(Exception e, String msg, int status) {
        err.println("gort: " + msg);
        if (System.getenv("GORT_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return status;
    }

    /** Boots the framework and runs the shell or one command; returns the exit status. */
    private int launchFelix(List<String> command, List<Path> jars) {
        boolean oneShot = !command.isEmpty();
        removeStaleCaches();
        Framework framework = newFramework(oneShot);
        Thread cleanup = new Thread(() -> stopQuietly(framework), "gort-shutdown");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            Bundle jlineShell = null;
            Bundle jline = null;
            for (Path jar : jars) {
                Bundle b = install(ctx, jar);
                String bsn = b.getSymbolicName();
                if (JLINE_SHELL.equals(bsn)) {
                    jlineShell = b;
                } else if (JLINE.equals(bsn)) {
                    jline = b;
                } else {
                    b.start();
                }
            }
            deployFolder.scan(); // jars FileInstall would pass over in silence
            framework.start();
            if (oneShot) {
                awaitDeployedBundles(ctx);
                return runOne(ctx, command);
            }
            printBanner();
            deployFolder.watch(500);
            startInteractiveShell(jline, jlineShell);
            FrameworkEvent stop = framework.waitForStop(0);
            return stop.getType() == FrameworkEvent.ERROR ? EXIT_FAILED : EXIT_OK;
        } catch (BundleException e) {
            err.println("gort: " + e.getMessage());
            return EXIT_LAUNCH_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        } finally {
            stopQuietly(framework);
            deleteTree(cache);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
    }

    private Framework newFramework(boolean oneShot) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BOOTDELEGATION, "jdk.internal.vm,jdk.internal.misc");
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, extraPackages());
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(FINAL_START_LEVEL));
        p.put("felix.startlevel.bundle", Integer.toString(DEFAULT_START_LEVEL));
        p.put("felix.log.level", "1");
        p.put("felix.fileinstall.dir", deploy.toString());
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.start.level", Integer.toString(DEPLOY_START_LEVEL));
        p.put("felix.fileinstall.filter", ".*\\.jar");
        p.put("felix.fileinstall.log.level", "2");
        p.put("felix.fileinstall.log.default", "jul");
        fileInstallLog = java.util.logging.Logger.getLogger("fileinstall");
        fileInstallLog.setUseParentHandlers(false);
        fileInstallLog.addHandler(deployFolder.fileInstallHandler());
        p.put("gosh.home", goshHome().toString());
        p.put("gort.oneshot", Boolean.toString(oneShot));
        p.put("gort.home", home.toString());
        Map<String, String> overrides = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("felix.") || key.startsWith("gosh.") || key.startsWith("org.osgi.framework.")) {
                overrides.put(key, v.toString());
            }
        });
        p.putAll(overrides);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<Object, Object> objects = (Map) p;
        objects.put("felix.log.logger", deployFolder.felixLogger()); // errors as one line on stderr, not ERROR: on stdout
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Main.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new LaunchException("no OSGi framework on the class path; rebuild with ./gort (mvn package)"));
        return factory.newFramework(p);
    }

    /** The jars of {@code bundles/}. */
    private List<Path> bundleJars() {
        if (!Files.isDirectory(bundles)) {
            throw new LaunchException("no bundles in " + bundles + "; build them with: mvn -DskipTests package");
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(bundles)) {
            s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException("cannot read " + bundles + ": " + e.getMessage());
        }
        return jars;
    }

    private static Bundle install(BundleContext ctx, Path jar) throws BundleException {
        Bundle b = ctx.installBundle(jar.toUri().toString());
        String bsn = b.getSymbolicName();
        int level = bsn == null ? DEFAULT_START_LEVEL : START_LEVELS.getOrDefault(bsn, DEFAULT_START_LEVEL);
        b.adapt(BundleStartLevel.class).setStartLevel(level);
        return b;
    }

    /**
     * One-shot mode: wait (10 s at most) until FileInstall has started every jar in the deploy
     * folder, so {@code gort strategies} lists what the folder holds. A jar whose fault was
     * reported (not a bundle, does not resolve, its activator threw) is not waited for.
     */
    private void awaitDeployedBundles(BundleContext ctx) throws InterruptedException {
        List<Path> expected = deployFolder.jars();
        if (expected.isEmpty()) {
            return;
        }
        Object changed = new Object();
        BundleListener listener = e -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        ctx.addBundleListener(listener);
        List<Path> missing;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (changed) {
                while (!(missing = notYetActive(ctx, expected)).isEmpty() && System.nanoTime() < deadline) {
                    // a fault is reported from another thread without a bundle event: look again soon
                    changed.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                }
            }
        } finally {
            ctx.removeBundleListener(listener);
        }
        for (Path jar : missing) {
            err.println("gort: " + jar + " in the deploy folder did not start within 10 s; it is left out");
        }
    }

    private List<Path> notYetActive(BundleContext ctx, List<Path> expected) {
        List<Path> missing = new ArrayList<>(expected);
        missing.removeIf(deployFolder::settled);
        for (Bundle b : ctx.getBundles()) {
            if (b.getState() == Bundle.ACTIVE) {
                missing.removeIf(jar -> sameFile(jar.toUri().toString(), b.getLocation()));
            }
        }
        return missing;
    }

    /** FileInstall writes {@code file:/x}, a URI {@code file:///x}: compare the files. */
    private static boolean sameFile(String expectedUri, String location) {
        try {
            return Path.of(java.net.URI.create(location)).equals(Path.of(java.net.URI.create(expectedUri)));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }

    /** Runs one command through Gogo's CommandProcessor; 0 if it succeeded. */
    private int runOne(BundleContext ctx, List<String> words) throws InterruptedException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(ctx, ctx.createFilter("(objectClass=" + GogoSession.PROCESSOR + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        tracker.open();
        try {
            if (tracker.waitForService(10_000) == null) {
                err.println("gort: the Gogo shell did not start; see the log above");
                return EXIT_LAUNCH_ERROR;
            }
            awaitGortCommands(ctx);
            GogoSession session = GogoSession.open(ctx, tracker.getServiceReference(), System.in, out, err);
            try (session) {
                session.put("SCOPE", "gort:*");
                session.put("gort.home", home.toString());
                Object result = session.execute(CommandLine.of(words));
                if (result != null) {
                    out.println(session.format(result));
                }
                return EXIT_OK;
            } catch (Exception e) {
                int status = commandStatus(session);
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (msg.startsWith("Command not found: ")) {
                    msg = "unknown command '" + msg.substring("Command not found: ".length()) + "'; gort's commands: "
                            + String.join(", ", gortCommands(ctx)) + " (help lists every command; Gogo's grep, echo and "
                            + "the like are the interactive shell's: here, pipe through your own shell)";
                }
                return failed(e, msg, status);
            }
        } finally {
            tracker.close();
        }
    }

    /**
     * The status a failed command asked to exit with (the session variable {@code gort.exit}: 2
     * for a program that panicked or hit a fatal error, as Go's), else 1.
     */
    private static int commandStatus(GogoSession session) {
        try {
            Object s = session.get("gort.exit");
            return s instanceof Integer i && i > 0 && i < 256 ? i : EXIT_FAILED;
        } catch (Exception e) {
            return EXIT_FAILED;
        }
    }

    /** The functions the gort command services declare, sorted. */
    private static List<String> gortCommands(BundleContext ctx) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try {
            var refs = ctx.getServiceReferences((String) null, "(osgi.command.scope=gort)");
            for (var ref : refs == null ? new org.osgi.framework.ServiceReference<?>[0] : refs) {
                Object f = ref.getProperty("osgi.command.function");
                if (f instanceof String[] a) {
                    names.addAll(List.of(a));
                } else if (f != null) {
                    names.add(f.toString());
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(names);
    }

    /** The gort commands are DS components; their service may follow SCR by a moment. */
    private static void awaitGortCommands(BundleContext ctx) throws InterruptedException {
        try {
            ServiceTracker<Object, Object> t = new ServiceTracker<>(ctx, ctx.createFilter("(osgi.command.scope=gort)"), null);
            t.open();
            try {
                t.waitForService(10_000);
            } finally {
                t.close();
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts Gogo's JLine shell. JLine finds its terminal providers through the thread context
     * class loader, so the shell bundle is started with JLine's own class loader as the context;
     * its shell thread inherits it. Otherwise JLine falls back to a dumb terminal.
     */
    private void startInteractiveShell(Bundle jline, Bundle jlineShell) throws BundleException {
        if (jline == null || jlineShell == null) {
            throw new LaunchException("the interactive shell needs org.jline and org.apache.felix.gogo.jline in " + bundles);
        }
        // with stdin a pipe or a file (a script), JLine warns that it uses a dumb terminal: that is the point
        jlineLog = java.util.logging.Logger.getLogger("org.jline");
        jlineLog.setLevel(java.util.logging.Level.SEVERE);
        jline.start();
        Thread me = Thread.currentThread();
        ClassLoader previous = me.getContextClassLoader();
        try {
            BundleWiring wiring = jline.adapt(BundleWiring.class);
            me.setContextClassLoader(wiring.getClassLoader());
            jlineShell.start();
        } finally {
            me.setContextClassLoader(previous);
        }
    }

    private void printBanner() {
        try (InputStream in = Main.class.getResourceAsStream("motd")) {
            if (in != null) {
                out.print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("{deploy}", deployShown()));
                out.flush();
            }
        } catch (IOException ignored) {
            // no banner, no harm
        }
    }

    /** The deploy folder as the banner names it: relative to the repository if inside it ({@code deploy/}), else in full. */
    private String deployShown() {
        Path d = deployFolder.dir();
        return (d.startsWith(home) ? home.relativize(d).toString() : d.toString()) + "/";
    }

    /** {@code gosh.home}: a folder with gort's {@code etc/gosh_profile} (prompt, command scope). */
    private Path goshHome() {
        Path dir = home.resolve(".gort").resolve("gosh");
        try {
            Files.createDirectories(dir.resolve("etc"));
            for (String name : List.of("gosh_profile")) {
                try (InputStream in = Main.class.getResourceAsStream(name)) {
                    if (in == null) {
                        throw new LaunchException("the launcher jar lacks its " + name + "; rebuild it");
                    }
                    Files.copy(in, dir.resolve("etc").resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new LaunchException("cannot write " + dir + ": " + e.getMessage());
        }
        return dir;
    }

    /** Removes the caches of gort processes that no longer run. */
    private void removeStaleCaches() {
        Path root = cache.getParent();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.forEach(dir -> {
                String name = dir.getFileName().toString();
                boolean stale;
                try {
                    stale = ProcessHandle.of(Long.parseLong(name)).map(ph -> !ph.isAlive()).orElse(true);
                } catch (NumberFormatException e) {
                    stale = false; // not ours
                }
                if (stale) {
                    deleteTree(dir);
                }
            });
        } catch (IOException ignored) {
            // a cache we cannot list is one we do not need
        }
    }

    private static void stopQuietly(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                framework.stop();
                framework.waitForStop(15_000);
            }
        } catch (BundleException | InterruptedException e) {
            // stopping on the way out: nothing more to do
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover cache is removed at the next start
        }
    }

    /** A launch that cannot proceed; its message says what to do. */
    static final class LaunchException extends RuntimeException {
        LaunchException(String message) {
            super(message);
        }
    }
}
