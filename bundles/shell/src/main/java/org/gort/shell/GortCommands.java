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
        "osgi.command.function=programs",
        "osgi.command.function=use",
        "osgi.command.function=run",
        "osgi.command.function=status",
        "osgi.command.function=goroutines",
        "osgi.command.function=memstats",
        "osgi.command.function=swap",
        "osgi.command.function=gc",
        "osgi.command.function=gomaxprocs",
        "osgi.command.function=writetrace",
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

    static final Map<String, String> RUN_VALUED = new LinkedHashMap<>();
    /** The profile flags (go test's names) and the profile kind each writes. */
    static final Map<String, String> PROFILE_FLAGS = new LinkedHashMap<>();

    static {
        PROFILE_FLAGS.put("--cpuprofile", "cpu");
        PROFILE_FLAGS.put("--memprofile", "mem");
        PROFILE_FLAGS.put("--blockprofile", "block");
        PROFILE_FLAGS.put("--mutexprofile", "mutex");
        PROFILE_FLAGS.put("--goroutineprofile", "goroutine");
        PROFILE_FLAGS.put("--leakprofile", "leak");
    }
    static final List<String> RUN_SWITCHES = List.of("--gctrace", "--checkmark", "--check-roots", "--background");

    static final Map<String, String> COMPARE_VALUED = new LinkedHashMap<>();
    static final List<String> COMPARE_SWITCHES = List.of();
    static final Map<String, String> SCENARIO_VALUED = new LinkedHashMap<>();
    static final List<String> SCENARIO_SWITCHES = List.of("--full");
    static final Map<String, String> REPORT_VALUED = new LinkedHashMap<>();

    static {
        COMPARE_VALUED.put("--sched", "a,b");
        COMPARE_VALUED.put("--alloc", "a,b");
        COMPARE_VALUED.put("--gc", "a,b,...");
        COMPARE_VALUED.put("--gomaxprocs", "N");
        COMPARE_VALUED.put("--runs", "N");
        COMPARE_VALUED.put("--warmup", "N");
        COMPARE_VALUED.put("--format", "table|csv|json|html");
        COMPARE_VALUED.put("--out", "FILE");
        COMPARE_VALUED.put("--max-heap", "SIZE");
        COMPARE_VALUED.put("--gogc", "N|off[,...]");
        COMPARE_VALUED.put("--set", "KEY=VALUE[,...]");
        COMPARE_VALUED.put("--memory-limit", "SIZE[,...]");
        SCENARIO_VALUED.put("--runs", "N");
        SCENARIO_VALUED.put("--format", "table|csv|json|html");
        SCENARIO_VALUED.put("--out", "FILE");
        REPORT_VALUED.put("--out", "FILE.html");
        REPORT_VALUED.put("--format", "html|table|csv|json");
        SCENARIO_VALUED.put("--max-heap", "SIZE");
        SCENARIO_VALUED.put("--gogc", "N|off");
        SCENARIO_VALUED.put("--set", "KEY=VALUE");
        SCENARIO_VALUED.put("--memory-limit", "SIZE");
        RUN_VALUED.put("--gomaxprocs", "N");
        RUN_VALUED.put("--sched", "S");
        RUN_VALUED.put("--alloc", "A");
        RUN_VALUED.put("--gc", "C");
        RUN_VALUED.put("--schedtrace", "MS");
        RUN_VALUED.put("--gcstoptheworld", "0|1|2");
        RUN_VALUED.put("--timeout", "S");
        RUN_VALUED.put("--trace-out", "FILE");
        RUN_VALUED.put("--trace-limit", "N");
        RUN_VALUED.put("--trace-keep", "first|last");
        RUN_VALUED.put("--report", "FILE.html");
        RUN_VALUED.put("--max-heap", "SIZE");
        RUN_VALUED.put("--max-threads", "N");
        RUN_VALUED.put("--gogc", "N|off");
        RUN_VALUED.put("--traceback", "none|single|all|system");
        for (String kind : PROFILE_FLAGS.keySet()) {
            RUN_VALUED.put(kind, "FILE");
        }
        RUN_VALUED.put("--memprofilerate", "BYTES");
        RUN_VALUED.put("--scheddetail", "MS");
        RUN_VALUED.put("--memory-limit", "SIZE");
        RUN_VALUED.put("--metrics", "key|all|none");
        RUN_VALUED.put("--set", "KEY=VALUE");
    }

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
        this.catalog = catalog;
        this.workloads = workloads;
        this.runs = runs;
        this.oneShot = Boolean.parseBoolean(context.getProperty(ONE_SHOT_PROPERTY));
        this.lab = new Lab(catalog, workloads);
        this.context = context;
        this.programs = new Programs(context);
    }

    @Descriptor("leave gort: stop the run in progress, then the framework (Ctrl-D does the same)")
    public void exit() throws org.osgi.framework.BundleException {
        context.getBundle(org.osgi.framework.Constants.SYSTEM_BUNDLE_LOCATION).stop();
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
            Table settings = new Table("SETTING", "DEFAULT", "READ BY", "MEANING");
            Settings.known(catalog).forEach((key, o) ->
                    settings.row(key, o.setting().defaultValue(), o.owner(), o.setting().description()));
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
    public void use(@Descriptor("sched, alloc or gc, then a strategy name, as listed by strategies") String... words) {
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

    @Descriptor("hot-swap a strategy of the run in progress: the scheduler at once, the collector from the next GC cycle")
    public void swap(@Descriptor("sched or gc, then a strategy name, as listed by strategies") String... words) {
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
        Map<String, String> valued = switch (name) {
            case "run" -> RUN_VALUED;
            case "compare" -> COMPARE_VALUED;
            case "scenario" -> SCENARIO_VALUED;
            case "report" -> REPORT_VALUED;
            default -> Map.of();
        };
        List<String> switches = switch (name) {
            case "run" -> RUN_SWITCHES;
            case "compare" -> COMPARE_SWITCHES;
            case "scenario" -> SCENARIO_SWITCHES;
            default -> List.of();
        };
        CommandHelp.print(out, name, valued, switches, key -> switch (key) {
            case "gomaxprocs" -> Integer.toString(runs.gomaxprocs());
            case "sched" -> runs.defaultFor(Kind.SCHEDULER);
            case "alloc" -> runs.defaultFor(Kind.ALLOCATOR);
            case "gc" -> runs.defaultFor(Kind.COLLECTOR);
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
        Programs.setExit(session, Programs.EXIT_FAILED);
        Words w = Words.parse("run", words, RUN_VALUED, RUN_SWITCHES);
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
        RuntimeConfig config = userInput(() -> {
            RuntimeConfig.Builder b = RuntimeConfig.builder()
                    .gomaxprocs(w.intOption("--gomaxprocs", runs.gomaxprocs(), 1, 1024))
                    .scheduler(strategy(w, Kind.SCHEDULER))
                    .allocator(strategy(w, Kind.ALLOCATOR))
                    .collector(strategy(w, Kind.COLLECTOR))
                    .gctrace(w.has("--gctrace"))
                    .schedtrace(w.has("--scheddetail") ? w.intOption("--scheddetail", 0, 1, 3_600_000)
                            : w.intOption("--schedtrace", 0, 0, 3_600_000))
                    .scheddetail(w.has("--scheddetail"))
                    .traceback(w.get("--traceback", "single"))
                    .memProfileRate(w.intOption("--memprofilerate", 512 * 1024, 1, Integer.MAX_VALUE))
                    .gccheckmark(w.has("--checkmark"))
                    .checkRoots(w.has("--check-roots"))
                    .gcstoptheworld(w.intOption("--gcstoptheworld", 0, 0, 2))
                    .traceEvents(traceOut(w))
                    .traceEventsLimit(w.intOption("--trace-limit", (int) RuntimeConfig.DEFAULT_TRACE_EVENTS_LIMIT, 1, Integer.MAX_VALUE))
                    .traceKeepLast(traceKeepLast(w))
                    .maxHeapBytes(maxHeap(w))
                    .maxThreads(w.intOption("--max-threads", RuntimeConfig.DEFAULT_MAX_THREADS, 1, 1_000_000))
                    .gogc(gogc(w.get("--gogc", "100")))
                    .trace(err::println);
            PROFILE_FLAGS.forEach((flag, kind) -> {
                if (w.has(flag)) {
                    b.profile(kind, profileFile(flag, w.get(flag, null)));
                }
            });
            if (w.has("--memory-limit")) {
                b.memoryLimitBytes(memoryLimit(w.get("--memory-limit", null)));
            }
            Settings.parse(w.all("--set"), Settings.known(catalog)).forEach((k, v) -> {
                if (v.size() != 1) {
                    throw new CommandException("run takes one value for --set " + k + "; compare sweeps several");
                }
                b.property(k, v.get(0));
            });
            if (!background) {
                b.output(out::println);
            }
            return b.build();
        });
        java.time.Duration timeout = java.time.Duration.ofSeconds(
                w.intOption("--timeout", (int) RunManager.RUN_TIMEOUT.toSeconds(), 1, 86_400));
        String metricsMode = metricsMode(w);
        Run run = runs.start(name, workload, params, config, background, timeout);
        org.gort.lab.TimelineRecorder recorder = reportFile == null ? null : org.gort.lab.TimelineRecorder.start(run.handle);
        run.metricsMode = metricsMode;
        if (background) {
            runs.watch(run, session.getConsole());
            out.println("started " + run.title() + " in the background (" + run.strategies(run.handle.activeStrategies())
                    + "); status, swap, gc, stop and await act on it");
            return;
        }
        Run.Outcome outcome = run.await();
        // Ctrl-C interrupts this thread; the kernel stopped the run. Clear the flag: Gogo reuses the thread.
        boolean interrupted = Thread.interrupted();
        if (recorder != null) {
            org.gort.lab.RunRecord record = org.gort.lab.RunRecord.of(name, params.toString(), config, outcome.result(),
                    outcome.check(), List.of(), recorder.finish(outcome.result().metrics()));
            emit(Reports.render(record, lab.environment(), Format.HTML), reportFile);
        }
        Programs.setExit(session, Programs.exitStatus(outcome));
        report(run, outcome, out, err, false, metricsMode(w));
        if (interrupted) {
            throw new CommandException("interrupted");
        }
    }

    /** The largest {@code --max-heap}: the reservation is address space, and 1 TiB is far past any workload. */
    static final long MAX_HEAP_LIMIT = 1L << 40;

    /** {@code --max-heap SIZE}: the managed heap's limit, Go-style ({@code 512MiB}, {@code 2GiB}), else the default. */
    static long maxHeap(Words w) {
        return w.byteCountOption("--max-heap", RuntimeConfig.DEFAULT_MAX_HEAP_BYTES, RuntimeConfig.MIN_MAX_HEAP_BYTES, MAX_HEAP_LIMIT);
    }

    private static java.nio.file.Path profileFile(String flag, String f) {
        try {
            return java.nio.file.Path.of(f);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException(flag + ": not a file name: '" + f + "'");
        }
    }

    /** {@code --gogc N|off}: GOGC as Go reads it. */
    static int gogc(String value) {
        try {
            return RuntimeConfig.parseGogc(value);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--gogc: " + e.getMessage());
        }
    }

    /** {@code --memory-limit SIZE}: GOMEMLIMIT, Go-style ({@code 64MiB}), at least 1 MiB. */
    static long memoryLimit(String value) {
        long n;
        try {
            n = org.gort.api.ByteCount.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--memory-limit: " + e.getMessage());
        }
        if (n < (1L << 20)) {
            throw new CommandException("--memory-limit " + value + " is out of range (at least 1MiB)");
        }
        return n;
    }

    /** The comma-separated values of a compare option, trimmed, without repeats. */
    private static List<String> values(Words w, String option) {
        return java.util.Arrays.stream(w.get(option, "").split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).distinct().toList();
    }

    /** {@code --trace-keep first|last}: true to keep the run's last events (first unless given). */
    static boolean traceKeepLast(Words w) {
        String keep = w.get("--trace-keep", "first");
        return switch (keep) {
            case "first" -> false;
            case "last" -> true;
            default -> throw new CommandException("--trace-keep must be first or last, got '" + keep + "'");
        };
    }

    /**
     * {@code --trace-out FILE}: the trace file, relative to where gort was started, or null.
     * A directory that does not exist or cannot be written is a one-line error now, before
     * the run starts (the check is {@link RuntimeConfig.Builder#traceEvents}'s).
     */
    static java.nio.file.Path traceOut(Words w) {
        String f = w.get("--trace-out", null);
        if (f == null) {
            return null;
        }
        java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(f);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException("--trace-out: not a file name: '" + f + "'");
        }
        userInput(() -> RuntimeConfig.builder().traceEvents(file));
        return file;
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
                + " gc=" + runs.defaultFor(Kind.COLLECTOR) + " gomaxprocs=" + runs.gomaxprocs());
    }

    @Descriptor("print every goroutine of the run in progress now, in Go's traceback format (Go's SIGQUIT dump); "
            + "goroutines with the same stack are grouped with a count when there are more than 10")
    public void goroutines() {
        Run run = runs.live();
        String dump;
        try {
            dump = run.handle.goroutines();
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new CommandException(e.getMessage());
        }
        out().println(dump.isEmpty() ? "no goroutines" : dump.stripTrailing());
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

    @Descriptor("stop the run in progress and show how far it got")
    public void stop() {
        Run run = runs.live();
        run.handle.stop("stopped from the shell");
        Run.Outcome o = run.await();
        out().println(run.summary(o));
        strandedLine(o).ifPresent(err()::println);
    }

    /**
     * One line when a run ended with threads that could not be stopped: which, why, and what
     * follows from it; empty otherwise.
     */
    static java.util.Optional<String> strandedLine(Run.Outcome o) {
        org.gort.api.Metrics m = o.result().metrics();
        long stuck = m == null ? 0 : m.count("run.ms.stuck");
        if (stuck == 0) {
            return java.util.Optional.empty();
        }
        String what = o.result().failure().lines().filter(l -> l.startsWith("warning: M")).findFirst()
                .map(l -> l.substring("warning: ".length())).orElse(stuck + " M(s) did not exit");
        return java.util.Optional.of("gort: could not stop " + (stuck == 1 ? "a thread" : stuck + " threads") + " of the run ("
                + what + "): a loop with no runtime call cannot be stopped, so it keeps a core busy until it reaches a "
                + "safepoint or gort exits; status counts it, and compare and scenario refuse to measure meanwhile");
    }

    @Descriptor("wait for the background run to end, then print its output and verdict")
    public void await() {
        Run run = runs.current();
        if (run == null) {
            throw new CommandException("no run to wait for; start one with: run <workload> --background");
        }
        Run.Outcome outcome = run.await();
        Thread.interrupted(); // Ctrl-C stopped the run; Gogo reuses this thread
        report(run, outcome, out(), err(), run.background, run.metricsMode);
    }

    // ------------------------------------------------------------------ the lab

    @Descriptor("compare strategies of one kind on a workload, with repeated interleaved runs and statistics: compare <workload> "
            + "[name=value ...] (--sched a,b | --alloc a,b | --gc a,b,...) [--gomaxprocs N] [--runs N] [--warmup N] "
            + "[--format table|csv|json|html] [--out FILE] [--max-heap SIZE] [--gogc N|off[,...]] [--memory-limit SIZE[,...]] "
            + "(--gogc 50,100,200 or --memory-limit 16MiB,64MiB compare those settings instead of strategies)")
    public void compare(@Descriptor("the workload, its parameters (name=value) and options") Object... words) {
        Words w = Words.parse("compare", words, COMPARE_VALUED, COMPARE_SWITCHES);
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
        List<Kind> kinds = java.util.Arrays.stream(Kind.values()).filter(k -> w.has("--" + k.flag)).toList();
        boolean gogcDimension = values(w, "--gogc").size() > 1;
        boolean limitDimension = values(w, "--memory-limit").size() > 1;
        Map<String, List<String>> settings = Settings.parse(w.all("--set"), Settings.known(catalog));
        List<String> swept = settings.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        int dimensions = kinds.size() + (gogcDimension ? 1 : 0) + (limitDimension ? 1 : 0) + swept.size();
        if (dimensions != 1) {
            throw new CommandException("compare needs exactly one of --sched a,b, --alloc a,b, --gc a,b,..., --gogc a,b, "
                    + "--memory-limit a,b or --set key=a,b (two or more values)");
        }
        Selection base0 = userInput(() -> Selection.defaults()
                .withScheduler(runs.defaultFor(Kind.SCHEDULER))
                .withAllocator(runs.defaultFor(Kind.ALLOCATOR))
                .withCollector(runs.defaultFor(Kind.COLLECTOR))
                .withGomaxprocs(w.intOption("--gomaxprocs", runs.gomaxprocs(), 1, 1024))
                .withMaxHeap(maxHeap(w)));
        Selection base1 = !w.has("--gogc") || gogcDimension ? base0 : base0.withGogc(gogc(w.get("--gogc", "100")));
        Selection base = !w.has("--memory-limit") || limitDimension ? base1
                : base1.withMemoryLimit(memoryLimit(w.get("--memory-limit", null)));
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            if (e.getValue().size() == 1) {
                base = base.withProperty(e.getKey(), e.getValue().get(0));
            }
        }
        List<Selection> selections = new java.util.ArrayList<>();
        if (!swept.isEmpty()) {
            String key = swept.get(0);
            for (String v : settings.get(key)) {
                selections.add(base.withProperty(key, v).withLabel(key + "=" + v));
            }
        } else if (gogcDimension) {
            for (String v : values(w, "--gogc")) {
                selections.add(base.withGogc(gogc(v)).withLabel("gogc=" + v));
            }
        } else if (limitDimension) {
            for (String v : values(w, "--memory-limit")) {
                selections.add(base.withMemoryLimit(memoryLimit(v)).withLabel("gomemlimit=" + v));
            }
        } else {
            Kind kind = kinds.get(0);
            List<String> names = values(w, "--" + kind.flag);
            if (names.size() < 2) {
                throw new CommandException("--" + kind.flag + " needs two or more " + kind + "s, comma-separated; available: "
                        + String.join(",", catalog.names(kind)));
            }
            for (String n : names) {
                userInput(() -> {
                    catalog.require(kind, n);
                    return null;
                });
                Selection s = switch (kind) {
                    case SCHEDULER -> base.withScheduler(n);
                    case ALLOCATOR -> base.withAllocator(n);
                    case COLLECTOR -> base.withCollector(n);
                };
                selections.add(s.withLabel(n));
            }
        }
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
            + "without a name, list them: scenario [<name>] [--full] [--runs N] [--format table|csv|json|html] [--out FILE] [--max-heap SIZE] [--gogc N|off] [--memory-limit SIZE]")
    public void scenario(@Descriptor("a scenario name and options") Object... words) {
        Words w = Words.parse("scenario", words, SCENARIO_VALUED, SCENARIO_SWITCHES);
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
        ScenarioOptions base = w.has("--full") ? ScenarioOptions.full() : ScenarioOptions.small();
        ScenarioOptions rounds = w.has("--runs") ? base.withRounds(base.warmups(), w.intOption("--runs", base.repeats(), 1, 1000)) : base;
        ScenarioOptions heapOptions = w.has("--max-heap") ? rounds.withMaxHeap(maxHeap(w)) : rounds;
        ScenarioOptions gogcOptions = w.has("--gogc") ? heapOptions.withGogc(gogc(w.get("--gogc", "100"))) : heapOptions;
        ScenarioOptions limitOptions = w.has("--memory-limit")
                ? gogcOptions.withMemoryLimit(memoryLimit(w.get("--memory-limit", null))) : gogcOptions;
        ScenarioOptions withSettings = limitOptions;
        for (Map.Entry<String, List<String>> e : Settings.parse(w.all("--set"), Settings.known(catalog)).entrySet()) {
            if (e.getValue().size() != 1) {
                throw new CommandException("scenario takes one value for --set " + e.getKey() + "; compare sweeps several");
            }
            withSettings = withSettings.withProperty(e.getKey(), e.getValue().get(0));
        }
        ScenarioOptions options = withSettings;
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
        Words w = Words.parse("report", words, REPORT_VALUED, List.of());
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

    private static Format format(Words w) {
        String f = w.get("--format", "table");
        return userInput(() -> Format.parse(f.equalsIgnoreCase("table") ? "text" : f));
    }

    /**
     * {@code --out FILE}: the report file, relative to where gort was started, or null to print
     * the report. Checked as {@code --trace-out} is, before anything runs: the directory must exist
     * and be writable (gort creates none), and the file must not be a directory.
     */
    static java.nio.file.Path reportOut(Words w) {
        return reportFile("--out", w.get("--out", null));
    }

    /** The report file {@code f} given to {@code option}, checked as {@link #reportOut} checks it; null for none. */
    static java.nio.file.Path reportFile(String option, String f) {
        if (f == null) {
            return null;
        }
        java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(f);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandException(option + ": not a file name: '" + f + "'");
        }
        java.nio.file.Path absolute = file.toAbsolutePath();
        java.nio.file.Path dir = absolute.getParent();
        if (java.nio.file.Files.isDirectory(absolute)) {
            throw new CommandException("cannot write the report to " + file + ": it is a directory; name a file in it, e.g. "
                    + file.resolve("report.txt"));
        }
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            throw new CommandException("cannot write the report to " + file + ": directory " + dir + " does not exist");
        }
        if (!java.nio.file.Files.isWritable(dir) && !java.nio.file.Files.isWritable(absolute)) {
            throw new CommandException("cannot write the report to " + file + ": directory " + dir + " is not writable");
        }
        return file;
    }

    /** Prints a report, or writes it to {@code file} (checked by {@link #reportOut} before the runs). */
    private static void emit(String rendered, java.nio.file.Path file) {
        if (file == null) {
            out().print(rendered);
            return;
        }
        try {
            Reports.write(rendered, file);
        } catch (java.io.IOException | RuntimeException e) {
            throw new CommandException("cannot write the report to " + file + ": " + e);
        }
        out().println("wrote " + file.toAbsolutePath());
    }

    /** {@code --metrics key|all|none}: which metrics a run prints under its verdict (key unless given). */
    static String metricsMode(Words w) {
        String mode = w.get("--metrics", "key");
        if (!List.of("key", "all", "none").contains(mode)) {
            throw new CommandException("--metrics must be key, all or none, got '" + mode + "'");
        }
        return mode;
    }

    private static void report(Run run, Run.Outcome o, PrintStream out, PrintStream err, boolean printOutput, String metrics) {
        if (printOutput) {
            o.result().output().forEach(out::println);
        }
        for (String e : run.changeLines(o)) {
            err.println("gort: " + e);
        }
        strandedLine(o).ifPresent(err::println);
        o.result().failure().lines().filter(l -> l.startsWith("warning: the run printed ")).map(l -> "gort: " + l)
                .forEach(err::println);
        traceWritten(run, o).ifPresent(out::println);
        String summary = run.summary(o);
        if (!o.passed()) {
            String failure = o.result().failure();
            if (failure.indexOf('\n') >= 0 || run.workload instanceof Program) {
                err.println(failure);
            }
            if (run.workload instanceof Program p && o.result().ok()) {
                err.println("--- FAIL: " + p.name());
                err.println(p.failureReport(o.result().output()));
            }
            Run.metricLines(o.result().metrics(), metrics).forEach(err::println);
            throw new CommandException(summary);
        }
        out.println(summary);
        // Leaked goroutines are a finding, not a failure: one line under the verdict.
        o.result().failure().lines().filter(l -> l.startsWith("leaked: ")).forEach(out::println);
        Run.metricLines(o.result().metrics(), metrics).forEach(out::println);
    }

    /**
     * {@code wrote trace FILE (N events): open it in ui.perfetto.dev} for a run with
     * {@code --trace-out}; a trace that could not be written is a warning in the run's result.
     */
    static java.util.Optional<String> traceWritten(Run run, Run.Outcome o) {
        java.nio.file.Path file = run.config.traceEventsFile();
        org.gort.api.Metrics m = o.result().metrics();
        if (file == null || m == null || !m.has("trace.events")) {
            return java.util.Optional.empty();
        }
        for (String line : o.result().failure().split("\n")) {
            if (line.startsWith("warning: ") && line.contains(" the trace ")) {
                return java.util.Optional.of("gort: " + line);
            }
        }
        long dropped = m.count("trace.events.dropped");
        return java.util.Optional.of("wrote trace " + file.toAbsolutePath() + " (" + m.count("trace.events") + " events"
                + (dropped > 0 ? ", " + dropped + (run.config.traceKeepLast() ? " earlier ones" : " more")
                        + " dropped at the limit of " + run.config.traceEventsLimit() : "")
                + "); open it in https://ui.perfetto.dev");
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
