package org.gort.shell;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.jar.Manifest;
import org.gort.api.Workload;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.pacer.PacerStrategy;
import org.gort.spi.sched.SchedulerStrategy;

/**
 * {@code ./gort run ...} without the OSGi framework: the launcher's fast path for a one-shot run.
 *
 * <p>Design. The launcher puts the bundles' jars on one class loader and calls {@link #run}. The
 * shell's components are then made by hand, as Declarative Services would make them: the
 * strategies and workloads come from {@link ServiceLoader} (each jar declares them in
 * {@code META-INF/services} as well as a component), into the same {@link RegistryCatalog} and
 * {@link WorkloadRegistry} the framework fills, in the order the framework would number their
 * services (the jars' order); then {@link GortCommands#run} runs exactly as under Gogo. Names are
 * the strategies' own ({@code name()}), the value of their service property. What needs the framework (hot deploy, the interactive shell, a jar in the deploy
 * folder, whose classes the framework weaves) stays on it: the launcher decides.
 */
public final class OneShotRun {
    private OneShotRun() {
    }

    /**
     * Runs {@code run <words>} as {@code ./gort run} does: the program's output and the verdict on
     * stdout, the status the process exits with to {@code exit} (set before anything can fail),
     * a failure as the command's exception, for the launcher to print as under Gogo.
     *
     * @param home gort's home folder, where compiled programs are cached
     */
    public static void run(List<String> words, String home, IntConsumer exit) {
        ClassLoader loader = OneShotRun.class.getClassLoader();
        RegistryCatalog catalog = new RegistryCatalog();
        long[] id = {0};
        find(loader, SchedulerStrategy.class, (s, m) -> catalog.addFound(Kind.SCHEDULER, s, s.name(), s.description(),
                m.bundle, m.version, ++id[0]));
        find(loader, AllocatorStrategy.class, (a, m) -> catalog.addFound(Kind.ALLOCATOR, a, a.name(), a.description(),
                m.bundle, m.version, ++id[0]));
        find(loader, CollectorStrategy.class, (c, m) -> catalog.addFound(Kind.COLLECTOR, c, c.name(), c.description(),
                m.bundle, m.version, ++id[0]));
        find(loader, PacerStrategy.class, (p, m) -> catalog.addFound(Kind.PACER, p, p.name(), p.description(),
                m.bundle, m.version, ++id[0]));
        WorkloadRegistry workloads = new WorkloadRegistry();
        find(loader, Workload.class, (w, m) -> workloads.addFound(w.name(), w, ++id[0]));
        RunManager runs = new RunManager(catalog);
        // Ctrl-C: stop the run as the framework's shutdown would (it deactivates the run manager)
        Thread stop = new Thread(runs::deactivate, "gort-shutdown");
        java.lang.Runtime.getRuntime().addShutdownHook(stop);
        try {
            new GortCommands(catalog, workloads, runs, null, true, new Programs(home))
                    .run(exit, () -> System.out, words.toArray());
        } finally {
            try {
                java.lang.Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** A provider's bundle, as its jar's manifest names it. */
    private record Origin(String bundle, String version) {
    }

    private interface Found<T> {
        void add(T provider, Origin origin);
    }

    private static <T> void find(ClassLoader loader, Class<T> type, Found<T> found) {
        java.util.Map<URL, Origin> origins = new java.util.HashMap<>();
        Function<URL, Origin> read = OneShotRun::origin;
        for (T provider : ServiceLoader.load(type, loader)) {
            var source = provider.getClass().getProtectionDomain().getCodeSource();
            Origin o = source == null ? new Origin("?", "?") : origins.computeIfAbsent(source.getLocation(), read);
            found.add(provider, o);
        }
    }

    private static Origin origin(URL jar) {
        try (InputStream in = java.net.URI.create("jar:" + jar + "!/META-INF/MANIFEST.MF").toURL().openStream()) {
            var a = new Manifest(in).getMainAttributes();
            String bsn = a.getValue("Bundle-SymbolicName");
            String version = a.getValue("Bundle-Version");
            return new Origin(bsn == null ? "?" : bsn.split(";")[0].strip(), version == null ? "0.0.0" : version);
        } catch (IOException e) {
            return new Origin("?", "?");
        }
    }
}
