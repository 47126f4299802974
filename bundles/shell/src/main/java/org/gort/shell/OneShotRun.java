package org.gort.shell;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code META-INF/services} as well as a component), or from the index of them the last run
 * wrote while the jars are the same ({@link ProviderIndex}), into the same {@link RegistryCatalog} and
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
     * @param jars the jars the shell's class loader has the bundles from (the index's key)
     * @param index the file of the providers found on {@code jars}; null: search every time
     */
    public static void run(List<String> words, String home, List<Path> jars, Path index, IntConsumer exit) {
        ClassLoader loader = OneShotRun.class.getClassLoader();
        List<Loaded> loaded = index == null ? null : fromIndex(loader, ProviderIndex.read(index, jars));
        if (loaded == null) {
            loaded = search(loader);
            if (index != null) {
                ProviderIndex.write(index, jars, loaded.stream().map(l -> new ProviderIndex.Provider(l.service.getName(),
                        l.provider.getClass().getName(), l.origin.bundle, l.origin.version)).toList());
            }
        }
        RegistryCatalog catalog = new RegistryCatalog();
        WorkloadRegistry workloads = new WorkloadRegistry();
        long id = 0;
        for (Loaded l : loaded) {
            Origin m = l.origin;
            ++id;
            // (an if chain, not a pattern switch: its bootstrap would spin classes at every start)
            if (l.provider instanceof SchedulerStrategy s) {
                catalog.addFound(Kind.SCHEDULER, s, s.name(), s.description(), m.bundle, m.version, id);
            } else if (l.provider instanceof AllocatorStrategy a) {
                catalog.addFound(Kind.ALLOCATOR, a, a.name(), a.description(), m.bundle, m.version, id);
            } else if (l.provider instanceof CollectorStrategy c) {
                catalog.addFound(Kind.COLLECTOR, c, c.name(), c.description(), m.bundle, m.version, id);
            } else if (l.provider instanceof PacerStrategy p) {
                catalog.addFound(Kind.PACER, p, p.name(), p.description(), m.bundle, m.version, id);
            } else {
                Workload w = (Workload) l.provider;
                workloads.addFound(w.name(), w, id);
            }
        }
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

    /** A provider of one of {@link #SERVICES}, with the bundle it came from. */
    private record Loaded(Class<?> service, Object provider, Origin origin) {
    }

    /** The services a run needs, in the order they are registered (and ids given). */
    private static final List<Class<?>> SERVICES = List.of(SchedulerStrategy.class, AllocatorStrategy.class,
            CollectorStrategy.class, PacerStrategy.class, Workload.class);

    /** Every provider of {@link #SERVICES}, by ServiceLoader, in its order. */
    private static List<Loaded> search(ClassLoader loader) {
        List<Loaded> out = new ArrayList<>();
        java.util.Map<URL, Origin> origins = new java.util.HashMap<>();
        Function<URL, Origin> read = OneShotRun::origin;
        for (Class<?> type : SERVICES) {
            for (Object provider : ServiceLoader.load(type, loader)) {
                var source = provider.getClass().getProtectionDomain().getCodeSource();
                Origin o = source == null ? new Origin("?", "?") : origins.computeIfAbsent(source.getLocation(), read);
                out.add(new Loaded(type, provider, o));
            }
        }
        return out;
    }

    /**
     * The providers {@code index} names, constructed as ServiceLoader constructs them; null when
     * there is no index or one of them cannot be made (then the run searches instead).
     */
    private static List<Loaded> fromIndex(ClassLoader loader, List<ProviderIndex.Provider> index) {
        if (index == null) {
            return null;
        }
        List<Loaded> out = new ArrayList<>(index.size());
        try {
            for (Class<?> type : SERVICES) {
                for (ProviderIndex.Provider p : index) {
                    if (p.service().equals(type.getName())) {
                        Object provider = Class.forName(p.className(), true, loader).asSubclass(type).getConstructor().newInstance();
                        out.add(new Loaded(type, provider, new Origin(p.bundle(), p.version())));
                    }
                }
            }
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            return null;
        }
        return out;
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
