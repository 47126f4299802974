package org.gort.shell;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gort.api.Params;
import org.gort.api.RunHandle;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.gort.api.Workload;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell's runs and defaults, and the hot-swap rules applied to them.
 *
 * <p>One run at a time: a run started from the shell (in the foreground or with
 * {@code --background}) is the current run until it ends; {@code status}, {@code swap},
 * {@code gc} and {@code stop} act on it. Measurements stay clean because no two shell runs
 * share the machine.
 *
 * <p>Hot swap, as the architecture fixes it:
 * <ul>
 *   <li>scheduler: at once, at a stop-the-world safepoint ({@link RunHandle#swapScheduler});</li>
 *   <li>collector: from the next cycle; a cycle in progress ends under the collector that began it;</li>
 *   <li>allocator: only for the next run, since the arena's layout belongs to the allocator.</li>
 * </ul>
 * When the bundle of a strategy the current run uses stops, is updated or is uninstalled, its
 * service leaves the registry and this class falls back at once, on the thread that stops the
 * bundle, so the bundle's code is out of the run before the bundle is gone: to gort's default
 * (gmp, tcmalloc, hybrid), or, when the default itself leaves, to another provider of the same
 * name, else to any strategy of that kind left. The reason is logged and kept with the run.
 * A scheduler or collector that throws or stalls is ejected by the kernel itself.
 */
@Component(service = RunManager.class, immediate = true)
public final class RunManager {
    /** The logger, made on first use: a run that logs nothing does not start SLF4J (a search of every jar). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(RunManager.class);
    }

    /** How long a shell run may take before it is stopped, unless {@code --timeout} says otherwise. */
    static final Duration RUN_TIMEOUT = Runtime.DEFAULT_TIMEOUT;

    private final RegistryCatalog catalog;
    private final Consumer<RegistryCatalog.Departure> onDeparture = this::departed;
    private final java.util.function.BiConsumer<Kind, String> onArrival = this::arrived;
    private final Map<Kind, String> defaults = new EnumMap<>(Kind.class);
    /** Defaults that left and were replaced by a fallback: they are the default again when they return. */
    private final Map<Kind, String> displaced = new EnumMap<>(Kind.class);
    private int gomaxprocs = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
    private Run current;

    @Activate
    public RunManager(@Reference RegistryCatalog catalog) {
        this.catalog = catalog;
        for (Kind k : Kind.values()) {
            defaults.put(k, k.builtinDefault);
        }
        catalog.addListener(onDeparture);
        catalog.addArrivalListener(onArrival);
    }

    @Deactivate
    void deactivate() {
        catalog.removeListener(onDeparture);
        catalog.removeArrivalListener(onArrival);
        Run r = current();
        if (r != null && !r.isDone()) {
            r.handle.stop("the gort shell stopped");
            r.await(Duration.ofSeconds(10));
        }
    }

    // ------------------------------------------------------------------ defaults

    synchronized String defaultFor(Kind kind) {
        return defaults.get(kind);
    }

    synchronized void setDefault(Kind kind, String name) {
        catalog.require(kind, name);
        defaults.put(kind, name);
        displaced.remove(kind);
    }

    synchronized int gomaxprocs() {
        return gomaxprocs;
    }

    // ------------------------------------------------------------------ runs

    synchronized Run current() {
        return current;
    }

    /** The current run if it is still going, else a message saying how to start one. */
    Run live() {
        Run r = current();
        if (r == null || r.isDone()) {
            throw new CommandException("no run in progress; start one with: run <workload> --background");
        }
        return r;
    }

    /**
     * Starts {@code w} under {@code config}. Refuses while another run is going: one run at a
     * time keeps measurements clean.
     */
    synchronized Run start(String name, Workload w, Params params, RuntimeConfig config, boolean background, Duration timeout) {
        if (current != null && !current.isDone()) {
            throw new CommandException("a run of " + current.title() + " is in progress; wait for it (await) or stop it (stop) first");
        }
        RunHandle h;
        try {
            h = Runtime.start(config, catalog, () -> w.main(params));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
        current = new Run(name, w, params, config, h, background, timeout);
        return current;
    }

    /** Runs in the background end here: a waiter releases the runtime and reports the verdict. */
    void watch(Run run, PrintStream console) {
        Thread t = new Thread(() -> {
            Run.Outcome o = run.await();
            console.println("gort: background run " + run.summary(o));
        }, "gort-run-waiter");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ hot swap

    /** Swaps {@code kind} on the current run; returns what was done, in one line. */
    String swap(Run run, Kind kind, String name, String why) {
        catalog.require(kind, name);
        try {
            switch (kind) {
                case SCHEDULER -> {
                    long pause = run.handle.swapScheduler(name, why); // the kernel lists it in the run's changes
                    return "scheduler of " + run.title() + " is now " + name + " (stop-the-world pause " + duration(pause) + ")";
                }
                case COLLECTOR -> {
                    run.handle.swapCollector(name, why); // listed in the run's changes once a cycle boundary applies it
                    return "collector of " + run.title() + " is " + name + " from the next GC cycle";
                }
                case PACER -> {
                    run.handle.swapPacer(name, why); // listed in the run's changes once a cycle boundary applies it
                    return "pacer of " + run.title() + " is " + name + " from the next GC cycle";
                }
                default -> throw new CommandException("the allocator is fixed for a run; it applies from the next run");
            }
        } catch (UnsupportedOperationException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** {@code 850 µs}, {@code 12.3 ms}. */
    static String duration(long nanos) {
        return nanos < 1_000_000 ? String.format("%d µs", nanos / 1000) : String.format("%.1f ms", nanos / 1e6);
    }

    /** The strategy to use instead of {@code departed}, or null if none of that kind is left. */
    private String fallbackFor(Kind kind, String departed) {
        if (!kind.builtinDefault.equals(departed) && catalog.has(kind, kind.builtinDefault)) {
            return kind.builtinDefault;
        }
        if (catalog.has(kind, departed)) {
            return departed; // another bundle provides the same name
        }
        List<String> left = catalog.names(kind);
        return left.isEmpty() ? null : left.get(0);
    }

    /** A default that left has come back (an updated bundle restarts): new runs use it again. */
    private synchronized void arrived(Kind kind, String name) {
        if (name.equals(displaced.get(kind))) {
            displaced.remove(kind);
            defaults.put(kind, name);
            Log.LOG.info("{} {} is back; new runs use it again", kind, name);
        }
    }

    /** A strategy left the registry: take it out of the defaults and out of the current run. */
    private void departed(RegistryCatalog.Departure d) {
        Kind kind = d.kind();
        synchronized (this) {
            if (d.name().equals(defaults.get(kind)) && !catalog.has(kind, d.name())) {
                String next = fallbackFor(kind, d.name());
                defaults.put(kind, next == null ? kind.builtinDefault : next);
                displaced.putIfAbsent(kind, d.name());
                Log.LOG.info("default {} {} went away ({}); new runs use {}", kind, d.name(), d.reason(), defaults.get(kind));
            }
        }
        Run run = current();
        if (run == null || run.isDone() || !d.name().equals(run.handle.activeStrategies().get(kind.word))) {
            return;
        }
        if (!d.inUse() && catalog.has(kind, d.name())) {
            // a duplicate that stood by left; the run's namesake is still there
            Log.LOG.info("{} {} from {} left; {} keeps the one it uses", kind, d.name(), d.bundle(), run.title());
            return;
        }
        String fallback = fallbackFor(kind, d.name());
        String why = kind + " " + d.name() + " went away: " + d.reason();
        if (fallback == null) {
            Log.LOG.warn("{}; no other {} is installed, so {} keeps running the departed code until it ends", why, kind, run.title());
            run.event(why + "; no fallback installed");
            return;
        }
        try {
            switch (kind) {
                case SCHEDULER -> {
                    long pause = run.handle.swapScheduler(fallback, "fallback: " + why);
                    Log.LOG.warn("{}; {} fell back to {} (pause {})", why, run.title(), fallback, duration(pause));
                    run.event("fell back to scheduler " + fallback + ": " + why);
                }
                case COLLECTOR -> {
                    run.handle.swapCollector(fallback, "fallback: " + why);
                    Log.LOG.warn("{}; {} falls back to {} from the next GC cycle", why, run.title(), fallback);
                    run.event("fell back to collector " + fallback + ": " + why);
                }
                case PACER -> {
                    run.handle.swapPacer(fallback, "fallback: " + why);
                    Log.LOG.warn("{}; {} falls back to {} from the next GC cycle", why, run.title(), fallback);
                    run.event("fell back to pacer " + fallback + ": " + why);
                }
                case ALLOCATOR -> {
                    Log.LOG.warn("{}; {} keeps it until it ends (the arena's layout belongs to the allocator); new runs use {}",
                            why, run.title(), fallback);
                    run.event(why + "; kept to the end of the run");
                }
            }
        } catch (RuntimeException e) {
            // the run ended meanwhile, or the kernel refused; either way nothing is left to move
            Log.LOG.warn("{}; could not fall back to {}: {}", why, fallback, e.getMessage());
            run.event(why + "; fallback to " + fallback + " failed: " + e.getMessage());
        }
    }
}
