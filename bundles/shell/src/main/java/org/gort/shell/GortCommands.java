package org.gort.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.gort.api.Param;
import org.gort.api.Params;
import org.gort.api.RuntimeConfig;
import org.gort.api.Workload;
import org.gort.lab.CompareRequest;
import org.gort.lab.Comparison;
import org.gort.lab.Format;
import org.gort.lab.Lab;
import org.gort.lab.Program;
import org.gort.lab.Reports;
import org.gort.lab.ScenarioInfo;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.ScenarioReport;
import org.gort.lab.Selection;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import static org.gort.shell.Options.format;
import static org.gort.shell.Options.metricsMode;
import static org.gort.shell.Options.reportFile;
import static org.gort.shell.Options.reportOut;
import static org.gort.shell.Output.emit;
import static org.gort.shell.Output.err;
import static org.gort.shell.Output.out;
import static org.gort.shell.Output.strandedLine;
import static org.gort.shell.Output.userInput;

/**
 * The {@code gort} commands of the Gogo shell. Each prints what it did and returns nothing;
 * bad input and failed runs end in a {@link CommandException} whose one-line message says what
 * exists or what to do, so the shell prints that line and a one-shot {@code ./gort <command>}
 * exits non-zero.
 *
 * <p>Design. This class is the commands alone: each reads its words, asks the kernel or the lab,
 * and prints. What surrounds them lives apart: the options each command takes and what their
 * values mean ({@link Options}, parsed by {@link Words}), each command's help text
 * ({@link CommandHelp}), where output goes and how a finished run is reported ({@link Output}),
 * the runs themselves ({@link RunManager}), and the {@code --set} keys ({@link Settings}). A new
 * command is a method here, its name in the component's {@code osgi.command.function} list, and
 * its entry in {@link CommandHelp#COMMANDS} (a test checks the last two agree).
 */
@Component(service = GortCommands.class, immediate = true, property = {
        "osgi.command.scope=gort",
        "osgi.command.function=strategies",
        "osgi.command.function=workloads",
        "osgi.command.function=programs",
        "osgi.command.function=use",
        "osgi.command.function=run",
        "osgi.command.function=status",
        "osgi.command.function=goroutines",
        "osgi.command.function=memstats",
        "osgi.command.function=swap",
        "osgi.command.function=gc",
        "osgi.command.function=gomaxprocs",
        "osgi.command.function=set",
        "osgi.command.function=writetrace",
        "osgi.command.function=profile",
        "osgi.command.function=stop",
        "osgi.command.function=await",
        "osgi.command.function=compare",
        "osgi.command.function=scenario",
        "osgi.command.function=report",
        "osgi.command.function=demo",
        "osgi.command.function=exit",
        "osgi.command.function=help",
})
public final class GortCommands {
    /** Set by the launcher when it runs one command and exits: no background runs then. */
    static final String ONE_SHOT_PROPERTY = "gort.oneshot";

    private final RegistryCatalog catalog;
    private final WorkloadRegistry workloads;
    private final RunManager runs;
    private final boolean oneShot;
    private final Lab lab;
    private final BundleContext context;
    private final Programs programs;

    @Activate
    public GortCommands(@Reference RegistryCatalog catalog, @Reference WorkloadRegistry workloads,
                        @Reference RunManager runs, BundleContext context) {
        this(catalog, workloads, runs, context, Boolean.parseBoolean(context.getProperty(ONE_SHOT_PROPERTY)), new Programs(context));
    }

    /** The commands outside the framework ({@link OneShotRun}): no context, so no {@code exit} and no {@code demo}. */
    GortCommands(RegistryCatalog catalog, WorkloadRegistry workloads, RunManager runs, BundleContext context,
                 boolean oneShot, Programs programs) {
        this.catalog = catalog;
        this.workloads = workloads;
        this.runs = runs;
        this.oneShot = oneShot;
        this.lab = new Lab(catalog, workloads);
        this.context = context;
        this.programs = programs;
    }

    @Descriptor("leave gort: stop the run in progress, then the framework (Ctrl-D does the same)")
    public void exit() {
        org.osgi.framework.Bundle framework = context.getBundle(org.osgi.framework.Constants.SYSTEM_BUNDLE_LOCATION);
        // once this command line has ended: see ShellExit for the interrupt it keeps off the shell's wait
        ShellExit.afterCurrentJob(() -> {
            try {
                framework.stop();
            } catch (org.osgi.framework.BundleException | RuntimeException e) {
                System.err.println("gort: cannot stop the framework: " + e.getMessage() + "; end the process (Ctrl-C)");
            }
        });
    }

    // ------------------------------------------------------------------ listings

    @Descriptor("list the installed strategies: kind, name, state (active in the current run, default for new runs), bundle, version; "
            + "--verbose also lists every setting --set takes, with its default")
    public void strategies(@Descriptor("--verbose (optional)") String... flags) {
        boolean verbose = flags.length == 1 && flags[0].equals("--verbose");
        if (flags.length > 0 && !verbose) {
            throw new CommandException("usage: strategies [--verbose]");
        }
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
        if (verbose) {
            out.println();
            Table settings = new Table("SETTING", "DEFAULT", "READ BY", "LIVE", "MEANING");
            Settings.known(catalog).forEach((key, o) -> settings.row(key, o.setting().defaultValue(), o.owner(),
                    o.setting().live() ? "yes" : "", o.setting().description()));
            settings.print(out);
        }
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
            Table t = new Table("PARAMETER", "TYPE", "RANGE", "DEFAULT", "MEANING");
            for (Param p : w.parameters()) {
                t.row(p.name(), p.type().name().toLowerCase().replace("_ms", " ms"), p.rangeText(), p.defaultValue(), p.description());
            }
            t.print(out);
            return;
        }
        Table t = new Table("NAME", "PARAMETERS", "DESCRIPTION");
        workloads.all().forEach((n, w) -> t.row(n,
                w.parameters().stream().map(p -> p.name() + "=" + p.defaultValue()
                        + (p.rangeText().isEmpty() ? "" : " (" + shortRange(p) + ")")).collect(Collectors.joining(" ")),
                w.description()));
        if (workloads.names().isEmpty()) {
            t.row("(none installed)", "", "");
        }
        t.print(out);
    }

    /** A range as the listing shows it: {@code 1..1000000}, {@code ≥1} when only the type bounds it above. */
    static String shortRange(Param p) {
        String lo = p.minValue();
        String hi = p.maxValue();
        boolean typeMax = hi.equals(Long.toString(Long.MAX_VALUE)) || hi.equals(Integer.toString(Integer.MAX_VALUE));
        boolean typeMin = lo.equals(Long.toString(Long.MIN_VALUE)) || lo.equals(Integer.toString(Integer.MIN_VALUE));
        if (typeMin && typeMax) {
            return "any";
        }
        return typeMax ? ">=" + lo : lo + ".." + hi;
    }

    @Descriptor("list the programs in gort's programs/ folder (or in a folder you name), one line each; run one with: run programs/NAME.java")
    public void programs(@Descriptor("a folder of programs (optional)") String... folder) {
        if (folder.length > 1) {
            throw new CommandException("programs takes at most one folder");
        }
        java.nio.file.Path dir = folder.length == 1 ? java.nio.file.Path.of(folder[0]) : programs.folder();
        Table t = new Table("PROGRAM", "CHECKED", "WHAT IT SHOWS");
        for (String[] row : Programs.list(dir)) {
            t.row(row[0], row[2], row[1]);
        }
        t.print(out());
        out().println("run one with: ./gort run " + (folder.length == 1 ? folder[0] : "programs") + "/NAME.java "
                + "[--sched legacy-gm] [--gc dijkstra] ...; CHECKED: it declares its // Output:");
    }

    // ------------------------------------------------------------------ selecting strategies

    @Descriptor("choose the strategy new runs use; on a run in progress, hot-swap the scheduler now or the collector from the next GC cycle")
    public void use(@Descriptor("sched, alloc, gc or pacer, then a strategy name, as listed by strategies") String... words) {
        String[] kn = kindAndName("use", words);
        String kind = kn[0];
        String name = kn[1];
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

    @Descriptor("hot-swap a strategy of the run in progress: the scheduler at once, the collector or the pacer from the next GC cycle")
    public void swap(@Descriptor("sched, gc or pacer, then a strategy name, as listed by strategies") String... words) {
        String[] kn = kindAndName("swap", words);
        String kind = kn[0];
        String name = kn[1];
        Kind k = Kind.parse(kind);
        if (k == Kind.ALLOCATOR) {
            throw new CommandException("the allocator is fixed for a run; it applies from the next run (use alloc " + name + ")");
        }
        Run run = runs.live();
        String done = userInput(() -> runs.swap(run, k, name, "swap " + k + " " + name));
        out().println(done);
    }

    /**
     * The kind and name of {@code use}/{@code swap}; anything else is the usage line with what
     * exists (Gogo itself would say only that it cannot coerce the arguments).
     */
    private String[] kindAndName(String command, String[] words) {
        if (words.length == 2) {
            return words;
        }
        StringBuilder exists = new StringBuilder();
        for (Kind k : Kind.values()) {
            if (command.equals("swap") && k == Kind.ALLOCATOR) {
                continue;
            }
            exists.append(exists.isEmpty() ? "" : "; ").append(k.flag).append(": ").append(String.join(", ", catalog.names(k)));
        }
        throw new CommandException((words.length < 2 ? "missing " + (words.length == 0 ? "kind and name" : "name") + "; "
                : command + " takes two words, got " + words.length + "; ")
                + "usage: " + CommandHelp.COMMANDS.get(command).usage() + " (" + exists + ")");
    }

    @Descriptor("list gort's commands; with a name, that command's usage and every option, one per line")
    public void help(@Descriptor("a command (optional)") String... command) {
        PrintStream out = out();
        if (command.length == 0) {
            CommandHelp.printAll(out);
            return;
        }
        if (command.length > 1) {
            throw new CommandException("usage: " + CommandHelp.COMMANDS.get("help").usage());
        }
        String name = command[0].startsWith("gort:") ? command[0].substring("gort:".length()) : command[0];
        if (!CommandHelp.COMMANDS.containsKey(name)) {
            throw new CommandException("'" + name + "' is not a gort command (gort's: " + String.join(", ", CommandHelp.COMMANDS.keySet())
                    + "); for Gogo's own commands, such as lb: felix:help " + name);
        }
        CommandHelp.print(out, name, Options.valued(name), Options.switches(name), key -> switch (key) {
            case "gomaxprocs" -> Integer.toString(runs.gomaxprocs());
            case "sched" -> runs.defaultFor(Kind.SCHEDULER);
            case "alloc" -> runs.defaultFor(Kind.ALLOCATOR);
            case "gc" -> runs.defaultFor(Kind.COLLECTOR);
            case "pacer" -> runs.defaultFor(Kind.PACER);
            case "timeout" -> RunManager.RUN_TIMEOUT.toSeconds() + " s";
            default -> "";
        });
    }

    // ------------------------------------------------------------------ runs

    @Descriptor("run a workload, or a program of your own (a .java file, a folder of them, or a jar), and check its output: "
            + "run <workload> [name=value ...] | run <path/Prog.java> [args ...] [-- args ...], then the options "
            + "[--gomaxprocs N] [--sched S] "
            + "[--alloc A] [--gc C] [--gctrace] [--schedtrace MS] [--checkmark] [--check-roots] [--gcstoptheworld 1|2] [--timeout S] "
            + "[--max-heap SIZE] [--max-threads N] [--gogc N|off] [--memory-limit SIZE] [--traceback none|single|all|system] [--scheddetail MS] [--cpuprofile FILE] [--memprofile FILE] "
            + "[--blockprofile FILE] [--mutexprofile FILE] [--goroutineprofile FILE] [--leakprofile FILE] [--background] "
            + "[--trace-out FILE [--trace-limit N] [--trace-keep first|last]] [--metrics key|all|none] (--check-roots: fail at once "
            + "on a heap access through an address that is neither rooted nor obtained since the last safepoint; --metrics: the "
            + "metrics printed under the verdict, key ones by default; --trace-out: write an execution trace, Chrome "
            + "trace-event JSON for Perfetto, when the run ends; --trace-limit: the most events kept, default 1000000; "
            + "--trace-keep last: keep the run's last events, a flight recorder, instead of its first; --max-heap: the managed heap's "
            + "limit, e.g. 512MiB or 2GiB, default 1GiB; --gogc: GOGC, default 100; --memory-limit: GOMEMLIMIT, Go 1.19's soft "
            + "limit, e.g. 64MiB; --traceback: GOTRACEBACK, which goroutines a failure prints; --scheddetail: schedtrace with "
            + "every P, M and G; --cpuprofile, --memprofile, --blockprofile, --mutexprofile, --goroutineprofile, --leakprofile FILE: "
            + "write that pprof profile when the run ends, for go tool pprof (docs/profiling.md); --memprofilerate: bytes per heap sample; --report FILE.html: a page with the run's heap, goroutines, Ps and GC pauses over its time)")
    public void run(CommandSession session,
                    @Descriptor("the workload, its parameters (name=value) and options") Object... words) {
        run(status -> Programs.setExit(session, status), () -> session.getConsole(), words);
    }

    /**
     * {@code run} itself: {@code exit} hears the status a one-shot {@code ./gort run} exits with
     * (first 1, then the finished run's), {@code console} is where a background run's verdict goes.
     */
    void run(java.util.function.IntConsumer exit, java.util.function.Supplier<PrintStream> console, Object... words) {
        exit.accept(Programs.EXIT_FAILED);
        Words w = Options.parse("run", words);
        String name;
        Workload workload;
        Params params;
        if (!w.words.isEmpty() && Program.isProgramPath(w.words.get(0))) {
            Program program = programs.load(w.words.get(0), w.words.subList(1, w.words.size()), err());
            name = program.title();
            workload = program;
            params = program.params(List.of());
        } else {
            if (w.positional.size() != 1) {
                throw new CommandException((w.positional.isEmpty() ? "which workload? " : "run takes one workload, got "
                        + w.positional + "; ") + "usage: run <workload> [name=value ...] [options], or run path/Prog.java "
                        + "[args ...] [options]; workloads: " + String.join(", ", workloads.names()));
            }
            name = w.positional.get(0);
            Workload named = workloads.find(name);
            workload = named;
            params = userInput(() -> named.params(w.params));
        }
        boolean background = w.has("--background");
        java.nio.file.Path reportFile = reportFile("--report", w.get("--report", null));
        if (reportFile != null && background) {
            throw new CommandException("--report needs a run in the foreground: drop --background, or run without --report");
        }
        if (background && oneShot) {
            throw new CommandException("--background needs the interactive shell: start ./gort, then run " + name + " ... --background");
        }
        PrintStream out = out();
        PrintStream err = err();
        java.util.concurrent.BlockingQueue<String> output = new java.util.concurrent.LinkedBlockingQueue<>();
        RuntimeConfig config = userInput(() -> {
            RuntimeConfig.Builder b = Options.runConfig(w, catalog, runs, err);
            if (!background) {
                b.output(output::add);
            }
            return b.build();
        });
        java.time.Duration timeout = Options.timeout(w);
        String metricsMode = metricsMode(w);
        Run run = runs.start(name, workload, params, config, background, timeout);
        org.gort.lab.TimelineRecorder recorder = reportFile == null ? null : org.gort.lab.TimelineRecorder.start(run.handle);
        run.metricsMode = metricsMode;
        if (background) {
            runs.watch(run, console.get());
            out.println("started " + run.title() + " in the background (" + run.strategies(run.handle.activeStrategies())
                    + "); status, swap, gc, stop and await act on it");
            return;
        }
        Run.Outcome outcome = awaitPrinting(run, output, out);
        // Ctrl-C interrupts this thread; the kernel stopped the run. Clear the flag: Gogo reuses the thread.
        boolean interrupted = Thread.interrupted();
        if (recorder != null) {
            org.gort.lab.RunRecord record = org.gort.lab.RunRecord.of(name, params.toString(), config, outcome.result(),
                    outcome.check(), List.of(), recorder.finish(outcome.result().metrics()));
            emit(Reports.render(record, lab.environment(), Format.HTML), reportFile);
        }
        exit.accept(Programs.exitStatus(outcome));
        Output.runReport(run, outcome, out, err, false, metricsMode(w));
        if (interrupted) {
            throw new CommandException("interrupted");
        }
    }

    /**
     * Waits for a foreground run, printing its output as it comes, from this thread. The
     * goroutines' lines are made on the run's Ms, which end with the run; a pipe's reader
     * ({@code run sieve | grep 29}) fails with "Write end dead" when the thread that wrote last
     * has ended before the command closes the pipe, so only the command's own thread writes.
     * The run's timeout still holds: {@link Run#await()} stops the run when it is due.
     */
    private static Run.Outcome awaitPrinting(Run run, java.util.concurrent.BlockingQueue<String> output, PrintStream out) {
        long due = run.startNanos + run.timeout.toNanos();
        run.handle.whenDone(() -> output.add(END_OF_OUTPUT)); // after the run's last line
        try {
            for (long left; (left = due - System.nanoTime()) > 0; ) {
                String line = output.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (line == END_OF_OUTPUT) {
                    break;
                }
                if (line != null) {
                    out.println(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Ctrl-C: the await below stops the run, as it did before
        }
        Run.Outcome o = run.await();
        for (String line; (line = output.poll()) != null; ) {
            if (line != END_OF_OUTPUT) {
                out.println(line);
            }
        }
        return o;
    }

    /** Put after a foreground run's output when the run ends (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END_OF_OUTPUT = new String("end of output");

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
            // While the run goes on, its handle lists the changes so far (outcomeIfDone would wait
            // for the background waiter, which holds the run until the end).
            for (String e : run.changeLines(run.isDone() ? run.outcomeIfDone() : null)) {
                out.println("  " + e);
            }
        }
        List<String> stranded = org.gort.api.Runtime.strandedThreads();
        if (!stranded.isEmpty()) {
            out.println("threads that could not be stopped: " + stranded.size() + " (each keeps a core busy; compare and "
                    + "scenario wait for them)");
            for (String t : stranded) {
                out.println("  " + t);
            }
        }
        out.println("defaults for new runs: sched=" + runs.defaultFor(Kind.SCHEDULER) + " alloc=" + runs.defaultFor(Kind.ALLOCATOR)
                + " gc=" + runs.defaultFor(Kind.COLLECTOR) + " pacer=" + runs.defaultFor(Kind.PACER) + " gomaxprocs=" + runs.gomaxprocs());
    }

    @Descriptor("print every goroutine of the run in progress now, in Go's traceback format (Go's SIGQUIT dump); "
            + "goroutines with the same stack are grouped with a count when there are more than 10; with --leaked, "
            + "run the goroutine leak analysis now and print the leaked goroutines")
    public void goroutines(@Descriptor("--leaked (optional)") String... flags) {
        boolean leaked = false;
        for (String f : flags) {
            if (!f.equals("--leaked")) {
                throw new CommandException("goroutines takes no argument but --leaked, got '" + f + "'");
            }
            leaked = true;
        }
        Run run = runs.live();
        String dump;
        try {
            dump = leaked ? run.handle.leakedGoroutines() : run.handle.goroutines();
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new CommandException(e.getMessage());
        }
        out().println(dump.isEmpty() ? (leaked ? "no leaked goroutines" : "no goroutines") : dump.stripTrailing());
    }

    @Descriptor("print runtime.ReadMemStats of the run in progress, Go's fields as Go's heap profile lists them (# Alloc = ...)")
    public void memstats() {
        Run run = runs.live();
        out().print(run.handle.memStats().format());
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

    @Descriptor("change GOMAXPROCS of the run in progress (runtime.GOMAXPROCS(n), with the world stopped); "
            + "up to the run's maximum: its starting GOMAXPROCS or the machine's cores, or --set maxprocs=N")
    public void gomaxprocs(@Descriptor("the new number of Ps, 1 or more") int n) {
        if (n < 1) {
            throw new IllegalArgumentException("gomaxprocs needs a number of Ps of 1 or more, got " + n);
        }
        Run run = runs.live();
        int prev = userInput(() -> run.handle.gomaxprocs(n));
        int now = run.handle.gomaxprocs(0); // n < 1 reads: n may have been capped
        out().printf("GOMAXPROCS of %s: %d -> %d%n", run.title(), prev, now);
    }

    @Descriptor("change a setting of the run in progress where its strategy reads it while running: set KEY VALUE "
            + "(strategies --verbose marks those LIVE; 1ms is accepted for a key in NS or Millis)")
    public void set(@Descriptor("the setting's key and its new value") String... words) {
        if (words.length != 2) {
            throw new CommandException("usage: " + CommandHelp.COMMANDS.get("set").usage());
        }
        String key = words[0];
        String value = Settings.live(key, words[1], Settings.known(catalog));
        Run run = runs.live();
        String owner = Settings.known(catalog).get(key).owner();
        String before = userInput(() -> {
            try {
                return run.handle.setProperty(key, value);
            } catch (IllegalStateException | UnsupportedOperationException e) {
                throw new CommandException(e.getMessage());
            }
        });
        String was = before != null ? before : Settings.known(catalog).get(key).setting().defaultValue();
        boolean inUse = run.handle.activeStrategies().entrySet().stream()
                .anyMatch(e -> owner.equals(e.getKey() + " " + e.getValue()));
        out().println(key + " of " + run.title() + ": " + Settings.label(key, was) + " -> " + Settings.label(key, value)
                + " (" + (inUse || owner.equals("kernel") ? owner + " reads it from now on"
                : "read by " + owner + ", which this run does not use now") + ")");
    }

    @Descriptor("write the execution trace of the run in progress so far (Go's FlightRecorder.WriteTo): "
            + "writetrace FILE; the run must have been started with --trace-out, best with --trace-keep last")
    public void writetrace(@Descriptor("the JSON file to write (Perfetto opens it)") String file) {
        Run run = runs.live();
        java.nio.file.Path path;
        try {
            path = java.nio.file.Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException("writetrace: not a file name: '" + file + "'");
        }
        String written;
        try {
            written = run.handle.writeTrace(path);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new CommandException(e.getMessage());
        }
        out().println("wrote trace " + path.toAbsolutePath() + " (" + written + ") of " + run.title()
                + ", which runs on; open it in https://ui.perfetto.dev");
    }

    @Descriptor("write a pprof profile of the run in progress, as Go's /debug/pprof endpoints serve one: "
            + "profile cpu|heap|block|mutex|goroutine|leak FILE [seconds]")
    public void profile(@Descriptor("the kind, the file, and for cpu (or a kind not recorded yet) the seconds to record") String... words) {
        if (words.length < 2 || words.length > 3) {
            throw new CommandException("usage: profile cpu|heap|block|mutex|goroutine|leak FILE [seconds]");
        }
        java.time.Duration d = null;
        if (words.length == 3) {
            try {
                d = java.time.Duration.ofMillis(Math.round(Double.parseDouble(words[2]) * 1000));
            } catch (NumberFormatException e) {
                throw new CommandException("profile: seconds must be a number, got '" + words[2] + "'");
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandException("profile: seconds must be more than 0, got '" + words[2] + "'");
            }
        }
        java.nio.file.Path path;
        try {
            path = java.nio.file.Path.of(words[1]);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException("profile: not a file name: '" + words[1] + "'");
        }
        Run run = runs.live();
        java.time.Duration wait = d;
        String written;
        try {
            written = userInput(() -> run.handle.writeProfile(words[0], path, wait));
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new CommandException(e.getMessage());
        }
        out().println(written);
    }

    @Descriptor("stop the run in progress and show how far it got")
    public void stop() {
        Run run = runs.live();
        run.handle.stop("stopped from the shell");
        Run.Outcome o = run.await();
        out().println(run.summary(o));
        strandedLine(o).ifPresent(err()::println);
    }

    @Descriptor("wait for the background run to end, then print its output and verdict")
    public void await() {
        Run run = runs.current();
        if (run == null) {
            throw new CommandException("no run to wait for; start one with: run <workload> --background");
        }
        Run.Outcome outcome = run.await();
        Thread.interrupted(); // Ctrl-C stopped the run; Gogo reuses this thread
        Output.runReport(run, outcome, out(), err(), run.background, run.metricsMode);
    }

    // ------------------------------------------------------------------ the lab

    @Descriptor("compare strategies of one kind on a workload, with repeated interleaved runs and statistics: compare <workload> "
            + "[name=value ...] (--sched a,b | --alloc a,b | --gc a,b,...) [--gomaxprocs N] [--runs N] [--warmup N] "
            + "[--format table|csv|json|html] [--out FILE] [--max-heap SIZE] [--max-threads N] [--gogc N|off[,...]] [--memory-limit SIZE[,...]] "
            + "(--gogc 50,100,200 or --memory-limit 16MiB,64MiB compare those settings instead of strategies)")
    public void compare(@Descriptor("the workload, its parameters (name=value) and options") Object... words) {
        Words w = Options.parse("compare", words);
        Program program = !w.words.isEmpty() && Program.isProgramPath(w.words.get(0))
                ? programs.load(w.words.get(0), w.words.subList(1, w.words.size()), err()) : null;
        if (program == null && w.positional.size() != 1) {
            throw new CommandException("usage: compare <workload> [name=value ...] (--sched a,b | --alloc a,b | --gc a,b,...) "
                    + "[options], or compare path/Prog.java [args ...] (...); workloads: " + String.join(", ", workloads.names()));
        }
        String name = program != null ? program.name() : w.positional.get(0);
        List<String> args = program != null ? List.of() : w.params;
        Lab lab = program != null ? new Lab(catalog, org.gort.lab.WorkloadCatalog.of(List.of(program))) : this.lab;
        if (program == null) {
            workloads.find(name);
        }
        List<Selection> selections = Options.compareSelections(w, catalog, runs);
        Format format = format(w);
        java.nio.file.Path reportFile = reportOut(w);
        int repeats = w.intOption("--runs", CompareRequest.DEFAULT_REPEATS, 1, 1000);
        int warmups = w.intOption("--warmup", CompareRequest.DEFAULT_WARMUPS, 0, 100);
        CompareRequest request = userInput(() -> CompareRequest.of(name, args, selections).withRounds(warmups, repeats)
                .withTimelines(format == Format.HTML));
        refuseWhileRunning();
        PrintStream err = err();
        Comparison c = userInput(() -> lab.compare(request, err::println));
        Thread.interrupted(); // Ctrl-C ends a comparison between runs; Gogo reuses this thread
        emit(Reports.render(c, format), reportFile);
        if (!c.failures().isEmpty()) {
            throw new CommandException(c.failures().size() + " of " + request.totalRuns() + " runs failed; the first: "
                    + c.failures().get(0).failureHeadline());
        }
    }

    @Descriptor("run a named comparison (the findings of docs/workloads.md) and state its finding from its own numbers; "
            + "without a name, list them: scenario [<name>] [--full] [--runs N] [--format table|csv|json|html] [--out FILE] [--max-heap SIZE] [--max-threads N] [--gogc N|off] [--memory-limit SIZE]")
    public void scenario(@Descriptor("a scenario name and options") Object... words) {
        Words w = Options.parse("scenario", words);
        PrintStream out = out();
        if (w.positional.isEmpty()) {
            Table t = new Table("SCENARIO", "READY", "WORKLOADS", "DESCRIPTION");
            for (ScenarioInfo info : lab.scenarios()) {
                List<String> missing = lab.missing(info.name());
                t.row(info.name(), missing.isEmpty() ? "yes" : "needs " + String.join(", ", missing),
                        String.join(",", info.workloads()), info.description());
            }
            t.print(out);
            return;
        }
        if (w.positional.size() > 1) {
            throw new CommandException("scenario takes one name, got " + w.positional + "; scenarios: " + scenarioNames());
        }
        String name = w.positional.get(0);
        if (!scenarioNames().contains(name)) {
            throw new CommandException("unknown scenario '" + name + "'; available: " + String.join(", ", scenarioNames()));
        }
        ScenarioOptions options = Options.scenarioOptions(w, catalog);
        Format format = format(w);
        java.nio.file.Path reportFile = reportOut(w);
        refuseWhileRunning();
        PrintStream err = err();
        ScenarioReport r;
        try {
            r = userInput(() -> lab.scenario(name, options, err::println));
            Thread.interrupted(); // as in compare
        } catch (IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
        emit(Reports.render(r, format), reportFile);
        long failed = r.comparisons().stream().mapToLong(c -> c.failures().size()).sum();
        if (failed > 0) {
            throw new CommandException("scenario " + name + ": " + failed + " runs failed; see the report above");
        }
    }

    @Descriptor("a short tour: the installed strategies, the sieve under each scheduler, hot swaps mid-run, and two scenarios at small size")
    public void demo() {
        PrintStream out = out();
        String deploy = context.getProperty("felix.fileinstall.dir");
        out.println("== The strategies installed (bundles; drop more into " + (deploy == null ? "deploy" : deploy) + "/)");
        strategies();
        out.println();
        out.println("== Go's concurrent prime sieve under each scheduler (run sieve n=500 --sched S)");
        refuseWhileRunning();
        for (String s : catalog.names(Kind.SCHEDULER)) {
            RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(runs.gomaxprocs()).scheduler(s)
                    .allocator(runs.defaultFor(Kind.ALLOCATOR)).collector(runs.defaultFor(Kind.COLLECTOR))
                    .trace(line -> { }).build();
            Workload sieve = workloads.find("sieve");
            Run run = runs.start("sieve", sieve, sieve.params(List.of("n=500")), config, false, RunManager.RUN_TIMEOUT);
            out.println("  " + run.summary(run.await()));
        }
        List<String> schedulers = catalog.names(Kind.SCHEDULER);
        if (schedulers.size() >= 2) {
            String a = schedulers.contains("gmp") ? "gmp" : schedulers.get(0);
            String b = schedulers.stream().filter(x -> !x.equals(a)).findFirst().orElseThrow();
            out.println();
            out.println("== Hot swap: the sieve (n=3000) while its scheduler is swapped 10 times between " + a + " and " + b);
            Workload sieve = workloads.find("sieve");
            RuntimeConfig config = RuntimeConfig.builder().gomaxprocs(runs.gomaxprocs()).scheduler(a)
                    .allocator(runs.defaultFor(Kind.ALLOCATOR)).collector(runs.defaultFor(Kind.COLLECTOR))
                    .trace(line -> { }).build();
            Run run = runs.start("sieve", sieve, sieve.params(List.of("n=3000")), config, false, RunManager.RUN_TIMEOUT);
            try {
                for (int i = 0; i < 10 && !run.isDone(); i++) {
                    out.println("  " + runs.swap(run, Kind.SCHEDULER, i % 2 == 0 ? b : a, "demo"));
                }
            } catch (CommandException e) {
                out.println("  (the run ended before the swaps did: " + e.getMessage() + ")");
            }
            out.println("  " + run.summary(run.await()));
        }
        for (String scenario : List.of("sched-locality", "tcmalloc-vs-global-lock")) {
            out.println();
            out.println("== scenario " + scenario + " (small sizes, 3 runs each; --full for the real sizes)");
            if (!lab.missing(scenario).isEmpty()) {
                out.println("  skipped: needs " + String.join(", ", lab.missing(scenario)));
                continue;
            }
            ScenarioReport r = lab.scenario(scenario, ScenarioOptions.small(), line -> { });
            out.print(Reports.render(r, Format.TEXT));
        }
        out.println();
        out.println("Next: ./gort (the shell), then: run sieve n=3000 --background, status, swap sched legacy-gm, await");
    }

    @Descriptor("render a saved result again: report FILE.json [--out FILE.html] [--format html|table|csv|json]; "
            + "the JSON of a run, comparison or scenario (--format json), by default as an HTML page beside it")
    public void report(@Descriptor("the JSON file and options") Object... words) {
        Words w = Options.parse("report", words);
        if (w.positional.size() != 1 || !w.params.isEmpty()) {
            throw new CommandException("usage: " + CommandHelp.COMMANDS.get("report").usage());
        }
        java.nio.file.Path in = java.nio.file.Path.of(w.positional.get(0));
        String f = w.get("--format", "html");
        Format format = userInput(() -> Format.parse(f.equalsIgnoreCase("table") ? "text" : f));
        String rendered;
        try {
            rendered = Reports.read(in).render(format);
        } catch (java.io.IOException e) {
            throw new CommandException("cannot read " + in + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandException(in + ": " + e.getMessage());
        }
        java.nio.file.Path out = reportOut(w);
        if (out == null && format == Format.HTML) {
            String base = in.getFileName().toString();
            out = reportFile("--out", in.resolveSibling((base.endsWith(".json") ? base.substring(0, base.length() - 5) : base)
                    + ".html").toString());
        }
        emit(rendered, out);
    }

    private List<String> scenarioNames() {
        return lab.scenarios().stream().map(ScenarioInfo::name).toList();
    }

    private void refuseWhileRunning() {
        Run live = liveOrNull();
        if (live != null) {
            throw new CommandException("a run of " + live.title() + " is in progress; measurements need the machine to themselves: "
                    + "await it or stop it first");
        }
        List<String> stranded = org.gort.api.Runtime.strandedThreads();
        if (!stranded.isEmpty()) {
            throw new CommandException(stranded.size() + (stranded.size() == 1 ? " thread" : " threads")
                    + " of an ended run could not be stopped and still spin (" + stranded.get(0) + "); measurements "
                    + "need the machine to themselves: wait for it to reach a safepoint, or restart gort");
        }
    }

    // ------------------------------------------------------------------ helpers

    private Run liveOrNull() {
        Run r = runs.current();
        return r == null || r.isDone() ? null : r;
    }
}
