package org.gort.launcher;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The fast path of a one-shot {@code ./gort run}: the bundles' jars on one class loader, the
 * strategies and workloads found through {@link java.util.ServiceLoader}, and the shell's own
 * {@code run} (its {@code OneShotRun}), without booting the OSGi framework. Booting Felix,
 * resolving and starting some twenty bundles and activating their components is most of a
 * short run's time; the run itself is the same code either way, so it prints the same lines and
 * exits with the same status.
 *
 * <p>The {@code gort} script starts such a run with gort's jars on the JVM's class path, after
 * the launcher's: the JVM's ahead-of-time cache then serves their classes as it serves the
 * JDK's, lambdas and linked call sites included, without reading the jars. Started with the
 * launcher's jar alone ({@code java -jar}), the launcher puts them on a class loader of its own.
 *
 * <p>When it applies ({@link #words}): the command is {@code run}, each word reaches the command
 * as typed (the process's arguments, or one argument of plain words separated by blanks, with
 * none of the words Gogo would turn into something else), the deploy folder holds no jar (its
 * bundles need the framework: FileInstall installs them, and the framework weaves their
 * classes), and {@code GORT_FELIX} is not set. Everything else, the interactive shell and every
 * other command, boots Felix; {@code GORT_FELIX=1} forces it for {@code run} too.
 */
final class FastRun {
    /** The shell's entry point, reached by name: the launcher does not see the bundles' classes. */
    private static final String ENTRY = "org.gort.shell.OneShotRun";
    /** Words that Gogo evaluates to something other than the word itself. */
    private static final List<String> GOGO_VALUES = List.of("null", "true", "false");

    private FastRun() {
    }

    /**
     * The words of {@code ./gort <args>} when the fast path can run it, else null: Felix runs it.
     * {@code forceFelix} is {@code GORT_FELIX} (any value but empty or {@code 0}).
     */
    static List<String> words(List<String> args, List<Path> deployed, String forceFelix) {
        if (forceFelix != null && !forceFelix.isEmpty() && !forceFelix.equals("0")) {
            return null;
        }
        if (!deployed.isEmpty() || args.isEmpty()) {
            return null;
        }
        List<String> words = args;
        if (args.size() == 1 && args.get(0).chars().anyMatch(Character::isWhitespace)) {
            // a whole command line: plain words only, else Gogo's parser decides what it means
            words = List.of(args.get(0).strip().split("\\s+"));
            if (!words.stream().allMatch(w -> CommandLine.quote(w).equals(w))) {
                return null;
            }
        }
        if (!words.get(0).equals("run") || words.stream().anyMatch(GOGO_VALUES::contains)) {
            return null;
        }
        return List.copyOf(words.subList(1, words.size()));
    }

    /**
     * The jars a run needs: gort's (the kernel, the strategies, the workloads, the lab, the
     * shell) and Gogo's runtime (the shell's command API); not the framework's services, the
     * interactive shell or the deploy folder's watcher, which would only be opened and searched.
     */
    static boolean needed(Path jar) {
        String name = jar.getFileName().toString();
        return name.startsWith("gort-") || name.startsWith("org.apache.felix.gogo.runtime");
    }

    /** Whether the shell's classes are on the launcher's own class path (the script's fast path). */
    static boolean onClassPath() {
        // By name, not as a resource: the start-up cache has the class loaded already, where a
        // resource is looked up jar by jar (some 20 ms of a run's start).
        try {
            Class.forName(ENTRY, false, FastRun.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A class loader of {@code jars} (those a run needs), over the launcher's own (SLF4J, HdrHistogram, the OSGi API). */
    static URLClassLoader loader(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new Main.LaunchException("cannot read " + jar + ": " + e.getMessage());
            }
        }
        return new URLClassLoader("gort-bundles", urls.toArray(URL[]::new), FastRun.class.getClassLoader());
    }

    /**
     * Runs {@code run <words>} with the shell's classes from the class path, else from {@code jars}; {@code exit} hears the
     * status to exit with. A failure of the command is thrown as the command threw it. {@code index}: the file where
     * the shell keeps the providers it found on the jars (see the shell's ProviderIndex).
     */
    static void run(List<Path> jars, List<String> words, Path home, Path index, IntConsumer exit) throws Exception {
        Thread me = Thread.currentThread();
        ClassLoader previous = me.getContextClassLoader();
        ClassLoader loader = FastRun.class.getClassLoader();
        List<Path> needed = jars.stream().filter(FastRun::needed).toList();
        if (!onClassPath()) {
            // not closed: a thread the run could not stop may still load classes until the process halts
            loader = loader(needed);
        }
        try {
            me.setContextClassLoader(loader);
            Class<?> entry;
            try {
                entry = Class.forName(ENTRY, true, loader);
            } catch (ClassNotFoundException e) {
                throw new Main.LaunchException("the shell bundle in the bundles folder lacks " + ENTRY + "; rebuild with ./gort build");
            }
            try {
                Reflective.invoke(entry.getMethod("run", List.class, String.class, List.class, Path.class, IntConsumer.class), null,
                        words, home.toString(), needed, index, exit);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                throw new Main.LaunchException("the shell bundle is not the one this launcher was built with (" + e
                        + "); rebuild with ./gort build");
            }
        } finally {
            me.setContextClassLoader(previous);
        }
    }
}
