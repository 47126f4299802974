package org.gort.shell;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Process;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.RuntimeConfig;
import org.gort.api.Workload;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code gort} commands of the Gogo shell. Each prints what it did and returns nothing;
 * bad input and failed runs end in a {@link CommandException} whose one-line message says what
 * exists or what to do, so the shell prints that line and a one-shot {@code ./gort <command>}
 * exits non-zero.
 */
@Component(service = GortCommands.class, immediate = true, property = {
        "osgi.command.scope=gort",
        "osgi.command.function=strategies",
        "osgi.command.function=workloads",
        "osgi.command.function=use",
        "osgi.command.function=run",
        "osgi.command.function=status",
        "osgi.command.function=swap",
        "osgi.command.function=gc",
        "osgi.command.function=stop",
        "osgi.command.function=await",
})
public final class GortCommands {
    /** Set by the launcher when it runs one command and exits: no background runs then. */
    static final String ONE_SHOT_PROPERTY = "gort.oneshot";

    private static final Map<String, String> RUN_VALUED = new LinkedHashMap<>();
    private static final List<String> RUN_SWITCHES = List.of("--gctrace", "--checkmark", "--background");

    static {
        RUN_VALUED.put("--gomaxprocs", "N");
        RUN_VALUED.put("--sched", "S");
        RUN_VALUED.put("--alloc", "A");
        RUN_VALUED.put("--gc", "C");
        RUN_VALUED.put("--schedtrace", "MS");
    }

    private final RegistryCatalog catalog;
    private final WorkloadRegistry workloads;
    private final RunManager runs;
    private final boolean oneShot;

    @Activate
    public GortCommands(@Reference RegistryCatalog catalog, @Reference WorkloadRegistry workloads,
                        @Reference RunManager runs, BundleContext context) {
        this.catalog = catalog;
        this.workloads = workloads;
        this.runs = runs;
        this.oneShot = Boolean.parseBoolean(context.getProperty(ONE_SHOT_PROPERTY));
    }

    // ------------------------------------------------------------------ listings

    @Descriptor("list the installed strategies: kind, name, state (active in the current run, default for new runs), bundle, version")
    public void strategies() {
        PrintStream out = out();
        Run run = liveOrNull();
        Map<String, String> active = run == null ? Map.of() : run.handle.activeStrategies();
        Table t = new Table("KIND", "NAME", "STATE", "BUNDLE", "VERSION", "DESCRIPTION");
        for (Kind k : Kind.values()) {
            List<RegistryCatalog.Entry> entries = catalog.entries(k);
            if (entries.isEmpty()) {
                t.row(k, "(none installed)", "", "", "", "");
            }
            for (RegistryCatalog.Entry e : entries) {
                boolean isActive = e.name().equals(active.get(k.word));
                boolean isDefault = e.name().equals(runs.defaultFor(k));
                String state = isActive && isDefault ? "active,default" : isActive ? "active" : isDefault ? "default" : "";
                t.row(k, e.name(), state, e.bundle(), e.version(), e.description());
            }
        }
        t.print(out);
    }

    @Descriptor("list the workloads and their parameters; with a name, describe that workload's parameters")
    public void workloads(@Descriptor("a workload name (optional)") String... name) {
        PrintStream out = out();
        if (name.length > 1) {
            throw new CommandException("workloads takes at most one name; available: " + String.join(", ", workloads.names()));
        }
        if (name.length == 1) {
            Workload w = workloads.find(name[0]);
            out.println(name[0] + ": " + w.description());
            Table t = new Table("PARAMETER", "TYPE", "DEFAULT", "MEANING");
            for (Param p : w.parameters()) {
                t.row(p.name(), p.type().name().toLowerCase().replace("_ms", " ms"), p.defaultValue(), p.description());
            }
            t.print(out);
            return;
        }
        Table t = new Table("NAME", "PARAMETERS", "DESCRIPTION");
        workloads.all().forEach((n, w) -> t.row(n,
                w.parameters().stream().map(p -> p.name() + "=" + p.defaultValue()).collect(Collectors.joining(" ")),
                w.description()));
        if (workloads.names().isEmpty()) {
            t.row("(none installed)", "", "");
        }
        t.print(out);
    }

    // ------------------------------------------------------------------ selecting strategies

    @Descriptor("choose the strategy new runs use; on a run in progress, hot-swap the scheduler now or the collector from the next GC cycle")
    public void use(@Descriptor("scheduler (sched), allocator (alloc) or collector (gc)") String kind,
                    @Descriptor("a strategy name, as listed by strategies") String name) {
        Kind k = Kind.parse(kind);
        userInput(() -> {
            runs.setDefault(k, name);
            return null;
        });
        PrintStream out = out();
        out.println("new runs use " + k + " " + name);
        Run run = liveOrNull();
        if (run != null) {
            if (k == Kind.ALLOCATOR) {
                out.println("the allocator is fixed for a run; it applies from the next run");
            } else {
                out.println(runs.swap(run, k, name, "use " + k + " " + name));
            }
        }
    }

    @Descriptor("hot-swap a strategy of the run in progress: the scheduler at once, the collector from the next GC cycle")
    public void swap(@Descriptor("scheduler (sched) or collector (gc)") String kind,
                     @Descriptor("a strategy name, as listed by strategies") String name) {
        Kind k = Kind.parse(kind);
        if (k == Kind.ALLOCATOR) {
            throw new CommandException("the allocator is fixed for a run; it applies from the next run (use alloc " + name + ")");
        }
        Run run = runs.live();
        String done = userInput(() -> runs.swap(run, k, name, "swap " + k + " " + name));
        out().println(done);
    }

    // ------------------------------------------------------------------ runs

    @Descriptor("run a workload and check its output: run <workload> [name=value ...] [--gomaxprocs N] [--sched S] "
            + "[--alloc A] [--gc C] [--gctrace] [--schedtrace MS] [--checkmark] [--background]")
    public void run(CommandSession session,
                    @Descriptor("the workload, its parameters (name=value) and options") Object... words) {
        Words w = Words.parse("run", words, RUN_VALUED, RUN_SWITCHES);
        if (w.positional.size() != 1) {
            throw new CommandException((w.positional.isEmpty() ? "which workload? " : "run takes one workload, got "
                    + w.positional + "; ") + "usage: run <workload> [name=value ...] [options]; workloads: "
                    + String.join(", ", workloads.names()));
        }
        String name = w.positional.get(0);
        Workload workload = workloads.find(name);
        Params params = userInput(() -> workload.params(w.params));
        boolean background = w.has("--background");
        if (background && oneShot) {
            throw new CommandException("--background needs the interactive shell: start ./gort, then run " + name + " ... --background");
        }
        PrintStream out = out();
        PrintStream err = err();
        RuntimeConfig config = userInput(() -> {
            RuntimeConfig.Builder b = RuntimeConfig.builder()
                    .gomaxprocs(w.intOption("--gomaxprocs", runs.gomaxprocs(), 1, 1024))
                    .scheduler(strategy(w, Kind.SCHEDULER))
                    .allocator(strategy(w, Kind.ALLOCATOR))
                    .collector(strategy(w, Kind.COLLECTOR))
                    .gctrace(w.has("--gctrace"))
                    .schedtrace(w.intOption("--schedtrace", 0, 0, 3_600_000))
                    .gccheckmark(w.has("--checkmark"))
                    .trace(err::println);
            if (!background) {
                b.output(out::println);
            }
            return b.build();
        });
        Run run = runs.start(name, workload, params, config, background);
        if (background) {
            runs.watch(run, session.getConsole());
            out.println("started " + run.title() + " in the background (" + run.strategies(run.handle.activeStrategies())
                    + "); status, swap, gc, stop and await act on it");
            return;
        }
        report(run, run.await(RunManager.RUN_TIMEOUT), out, err, false);
    }

    /** The {@code --sched}/{@code --alloc}/{@code --gc} choice, checked against the registry, else the default. */
    private String strategy(Words w, Kind k) {
        String flag = "--" + k.flag;
        if (w.has(flag)) {
            String name = w.get(flag, null);
            catalog.require(k, name);
            return name;
        }
        return runs.defaultFor(k);
    }

    @Descriptor("show the run in progress (schedtrace line, collector state, strategy changes) and the defaults for new runs")
    public void status() {
        PrintStream out = out();
        Run run = runs.current();
        if (run == null) {
            out.println("no run in progress");
        } else if (!run.isDone()) {
            out.printf("%s: running for %.1f s, %s%n", run.title(), (System.nanoTime() - run.startNanos) / 1e9,
                    run.strategies(run.handle.activeStrategies()));
            for (String line : run.handle.status().split("\n")) {
                out.println("  " + line);
            }
        } else {
            Run.Outcome o = run.outcomeIfDone();
            out.println(o == null ? run.title() + ": ended (await shows its result)" : "last run: " + run.summary(o));
        }
        if (run != null) {
            for (String e : run.events()) {
                out.println("  " + e);
            }
        }
        out.println("defaults for new runs: sched=" + runs.defaultFor(Kind.SCHEDULER) + " alloc=" + runs.defaultFor(Kind.ALLOCATOR)
                + " gc=" + runs.defaultFor(Kind.COLLECTOR) + " gomaxprocs=" + runs.gomaxprocs());
    }

    @Descriptor("force a garbage collection cycle in the run in progress (runtime.GC())")
    public void gc() {
        Run run = runs.live();
        long t0 = System.nanoTime();
        userInput(() -> {
            run.handle.gc();
            return null;
        });
        out().printf("GC cycle of %s done in %.1f ms%n", run.title(), (System.nanoTime() - t0) / 1e6);
    }

    @Descriptor("stop the run in progress and show how far it got")
    public void stop() {
        Run run = runs.live();
        run.handle.stop("stopped from the shell");
        Run.Outcome o = run.await(RunManager.RUN_TIMEOUT);
        out().println(run.summary(o));
    }

    @Descriptor("wait for the background run to end, then print its output and verdict")
    public void await() {
        Run run = runs.current();
        if (run == null) {
            throw new CommandException("no run to wait for; start one with: run <workload> --background");
        }
        report(run, run.await(RunManager.RUN_TIMEOUT), out(), err(), run.background);
    }

    private static void report(Run run, Run.Outcome o, PrintStream out, PrintStream err, boolean printOutput) {
        if (printOutput) {
            o.result().output().forEach(out::println);
        }
        for (String e : run.events()) {
            err.println("gort: " + e);
        }
        String summary = run.summary(o);
        if (!o.passed()) {
            String failure = o.result().failure();
            if (failure.indexOf('\n') >= 0) {
                err.println(failure);
            }
            throw new CommandException(summary);
        }
        out.println(summary);
    }

    // ------------------------------------------------------------------ helpers

    private Run liveOrNull() {
        Run r = runs.current();
        return r == null || r.isDone() ? null : r;
    }

    /** Turns the API's IllegalArgumentException (bad name, bad value) into a one-line command error. */
    private static <T> T userInput(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** The output of the current pipeline stage, so {@code run sieve | grep 17} works. */
    private static PrintStream out() {
        Process p = Process.Utils.current();
        return p != null ? p.out() : System.out;
    }

    private static PrintStream err() {
        Process p = Process.Utils.current();
        return p != null ? p.err() : System.err;
    }
}
