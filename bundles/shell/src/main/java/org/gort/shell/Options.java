package org.gort.shell;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gort.api.ByteCount;
import org.gort.api.RuntimeConfig;
import org.gort.lab.Format;
import org.gort.lab.ScenarioOptions;
import org.gort.lab.Selection;

/**
 * The options of gort's commands: which each command takes, and what each value means.
 *
 * <p>Design. A command's words are sorted by {@link Words} against the tables here (an option
 * with a value and its placeholder, or a bare switch), so the tables are the single list of what
 * a command accepts: the parser refuses anything else, {@code help <command>} prints exactly
 * these (with the meanings in {@link CommandHelp}), and a test checks each has a meaning. The
 * rest of this file turns option values into what the kernel and the lab take: a
 * {@link RuntimeConfig} for {@code run}, the {@link Selection}s of a {@code compare}, the
 * {@link ScenarioOptions} of a {@code scenario}. Every check happens here, before anything runs,
 * and a bad value is a {@link CommandException} whose one line says what the option must be.
 *
 * <p>A new option is added in three places: its command's table here, its meaning in
 * {@link CommandHelp#OPTIONS}, and where its value is read (below, or in the command).
 */
final class Options {
    /** {@code run}: options with a value, each with its placeholder. */
    static final Map<String, String> RUN_VALUED = new LinkedHashMap<>();
    /** The profile flags (go test's names) and the profile kind each writes. */
    static final Map<String, String> PROFILE_FLAGS = new LinkedHashMap<>();
    static final List<String> RUN_SWITCHES = List.of("--gctrace", "--checkmark", "--check-roots", "--background");

    static final Map<String, String> COMPARE_VALUED = new LinkedHashMap<>();
    static final List<String> COMPARE_SWITCHES = List.of();
    static final Map<String, String> SCENARIO_VALUED = new LinkedHashMap<>();
    static final List<String> SCENARIO_SWITCHES = List.of("--full");
    static final Map<String, String> REPORT_VALUED = new LinkedHashMap<>();

    static {
        PROFILE_FLAGS.put("--cpuprofile", "cpu");
        PROFILE_FLAGS.put("--memprofile", "mem");
        PROFILE_FLAGS.put("--blockprofile", "block");
        PROFILE_FLAGS.put("--mutexprofile", "mutex");
        PROFILE_FLAGS.put("--goroutineprofile", "goroutine");
        PROFILE_FLAGS.put("--leakprofile", "leak");

        COMPARE_VALUED.put("--sched", "a,b");
        COMPARE_VALUED.put("--alloc", "a,b");
        COMPARE_VALUED.put("--gc", "a,b,...");
        COMPARE_VALUED.put("--pacer", "a,b");
        COMPARE_VALUED.put("--gomaxprocs", "N");
        COMPARE_VALUED.put("--runs", "N");
        COMPARE_VALUED.put("--warmup", "N");
        COMPARE_VALUED.put("--format", "table|csv|json|html");
        COMPARE_VALUED.put("--out", "FILE");
        COMPARE_VALUED.put("--max-heap", "SIZE");
        COMPARE_VALUED.put("--max-threads", "N");
        COMPARE_VALUED.put("--gogc", "N|off[,...]");
        COMPARE_VALUED.put("--set", "KEY=VALUE[,...]");
        COMPARE_VALUED.put("--memory-limit", "SIZE[,...]");
        SCENARIO_VALUED.put("--runs", "N");
        SCENARIO_VALUED.put("--format", "table|csv|json|html");
        SCENARIO_VALUED.put("--out", "FILE");
        REPORT_VALUED.put("--out", "FILE.html");
        REPORT_VALUED.put("--format", "html|table|csv|json");
        SCENARIO_VALUED.put("--max-heap", "SIZE");
        SCENARIO_VALUED.put("--max-threads", "N");
        SCENARIO_VALUED.put("--gogc", "N|off");
        SCENARIO_VALUED.put("--set", "KEY=VALUE");
        SCENARIO_VALUED.put("--memory-limit", "SIZE");
        SCENARIO_VALUED.put("--pacer", "P");
        RUN_VALUED.put("--gomaxprocs", "N");
        RUN_VALUED.put("--sched", "S");
        RUN_VALUED.put("--alloc", "A");
        RUN_VALUED.put("--gc", "C");
        RUN_VALUED.put("--pacer", "P");
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

    /** The largest {@code --max-heap}: 16 GiB, what a pointer slot's compressed address reaches. */
    static final long MAX_HEAP_LIMIT = RuntimeConfig.MAX_MAX_HEAP_BYTES;
    /** The largest {@code --max-threads}. */
    static final int MAX_THREADS_LIMIT = 1_000_000;

    private Options() {
    }

    /** The options with a value that {@code command} takes (none for a command without options). */
    static Map<String, String> valued(String command) {
        return switch (command) {
            case "run" -> RUN_VALUED;
            case "compare" -> COMPARE_VALUED;
            case "scenario" -> SCENARIO_VALUED;
            case "report" -> REPORT_VALUED;
            default -> Map.of();
        };
    }

    /** The switches (options without a value) that {@code command} takes. */
    static List<String> switches(String command) {
        return switch (command) {
            case "run" -> RUN_SWITCHES;
            case "compare" -> COMPARE_SWITCHES;
            case "scenario" -> SCENARIO_SWITCHES;
            default -> List.of();
        };
    }

    /** {@code command}'s words sorted against its tables. */
    static Words parse(String command, Object[] words) {
        return Words.parse(command, words, valued(command), switches(command));
    }

    // ------------------------------------------------------------------ run

    /**
     * The configuration of a {@code run} from its options, without its output sink: the
     * strategies the {@code --sched}/{@code --alloc}/{@code --gc} options name (checked against
     * the catalog) or the defaults for new runs, and every other option's value.
     *
     * @param err where the run's trace lines (gctrace, schedtrace) go
     */
    static RuntimeConfig.Builder runConfig(Words w, RegistryCatalog catalog, RunManager runs, PrintStream err) {
        RuntimeConfig.Builder b = RuntimeConfig.builder()
                .gomaxprocs(w.intOption("--gomaxprocs", runs.gomaxprocs(), 1, 1024))
                .scheduler(strategy(w, Kind.SCHEDULER, catalog, runs))
                .allocator(strategy(w, Kind.ALLOCATOR, catalog, runs))
                .collector(strategy(w, Kind.COLLECTOR, catalog, runs))
                .pacer(strategy(w, Kind.PACER, catalog, runs))
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
                .maxThreads(maxThreads(w))
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
        return b;
    }

    /** The {@code --sched}/{@code --alloc}/{@code --gc} choice, checked against the registry, else the default. */
    private static String strategy(Words w, Kind k, RegistryCatalog catalog, RunManager runs) {
        String flag = "--" + k.flag;
        if (w.has(flag)) {
            String name = w.get(flag, null);
            catalog.require(k, name);
            return name;
        }
        return runs.defaultFor(k);
    }

    /** {@code --timeout S}: how long a run may take, else the default. */
    static java.time.Duration timeout(Words w) {
        return java.time.Duration.ofSeconds(w.intOption("--timeout", (int) RunManager.RUN_TIMEOUT.toSeconds(), 1, 86_400));
    }

    /** {@code --max-heap SIZE}: the managed heap's limit, Go-style ({@code 512MiB}, {@code 2GiB}), else the default. */
    static long maxHeap(Words w) {
        return w.byteCountOption("--max-heap", RuntimeConfig.DEFAULT_MAX_HEAP_BYTES, RuntimeConfig.MIN_MAX_HEAP_BYTES, MAX_HEAP_LIMIT);
    }

    /** {@code --max-threads N}: the most Ms (threads) a run may make, Go's {@code debug.SetMaxThreads}, else the default. */
    static int maxThreads(Words w) {
        return w.intOption("--max-threads", RuntimeConfig.DEFAULT_MAX_THREADS, 1, MAX_THREADS_LIMIT);
    }

    private static Path profileFile(String flag, String f) {
        try {
            return Path.of(f);
        } catch (InvalidPathException e) {
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
            n = ByteCount.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--memory-limit: " + e.getMessage());
        }
        if (n < (1L << 20)) {
            throw new CommandException("--memory-limit " + value + " is out of range (at least 1MiB)");
        }
        return n;
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
    static Path traceOut(Words w) {
        String f = w.get("--trace-out", null);
        if (f == null) {
            return null;
        }
        Path file;
        try {
            file = Path.of(f);
        } catch (InvalidPathException e) {
            throw new CommandException("--trace-out: not a file name: '" + f + "'");
        }
        Output.userInput(() -> RuntimeConfig.builder().traceEvents(file));
        return file;
    }

    /** {@code --metrics key|all|none}: which metrics a run prints under its verdict (key unless given). */
    static String metricsMode(Words w) {
        String mode = w.get("--metrics", "key");
        if (!List.of("key", "all", "none").contains(mode)) {
            throw new CommandException("--metrics must be key, all or none, got '" + mode + "'");
        }
        return mode;
    }

    // ------------------------------------------------------------------ reports

    /** {@code --format table|csv|json|html}: the report's format (a table unless given). */
    static Format format(Words w) {
        String f = w.get("--format", "table");
        return Output.userInput(() -> Format.parse(f.equalsIgnoreCase("table") ? "text" : f));
    }

    /**
     * {@code --out FILE}: the report file, relative to where gort was started, or null to print
     * the report. Checked as {@code --trace-out} is, before anything runs: the directory must exist
     * and be writable (gort creates none), and the file must not be a directory.
     */
    static Path reportOut(Words w) {
        return reportFile("--out", w.get("--out", null));
    }

    /** The report file {@code f} given to {@code option}, checked as {@link #reportOut} checks it; null for none. */
    static Path reportFile(String option, String f) {
        if (f == null) {
            return null;
        }
        Path file;
        try {
            file = Path.of(f);
        } catch (InvalidPathException e) {
            throw new CommandException(option + ": not a file name: '" + f + "'");
        }
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new CommandException("cannot write the report to " + file + ": it is a directory; name a file in it, e.g. "
                    + file.resolve("report.txt"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CommandException("cannot write the report to " + file + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir) && !Files.isWritable(absolute)) {
            throw new CommandException("cannot write the report to " + file + ": directory " + dir + " is not writable");
        }
        return file;
    }

    // ------------------------------------------------------------------ compare and scenario

    /** The comma-separated values of a compare option, trimmed, without repeats. */
    static List<String> values(Words w, String option) {
        return Arrays.stream(w.get(option, "").split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).distinct().toList();
    }

    /**
     * The selections a {@code compare} measures, one per value of its one dimension: two or
     * more strategies of one kind ({@code --sched a,b}), GOGC values, memory limits, or the
     * values of one {@code --set key=a,b}. Everything else is the same for all: the defaults
     * for new runs with the single-valued options applied.
     */
    static List<Selection> compareSelections(Words w, RegistryCatalog catalog, RunManager runs) {
        List<Kind> kinds = Arrays.stream(Kind.values()).filter(k -> w.has("--" + k.flag)).toList();
        boolean gogcDimension = values(w, "--gogc").size() > 1;
        boolean limitDimension = values(w, "--memory-limit").size() > 1;
        Map<String, List<String>> settings = Settings.parse(w.all("--set"), Settings.known(catalog));
        List<String> swept = settings.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        int dimensions = kinds.size() + (gogcDimension ? 1 : 0) + (limitDimension ? 1 : 0) + swept.size();
        if (dimensions != 1) {
            throw new CommandException("compare needs exactly one of --sched a,b, --alloc a,b, --gc a,b,..., --pacer a,b, --gogc a,b, "
                    + "--memory-limit a,b or --set key=a,b (two or more values)");
        }
        Selection base0 = Output.userInput(() -> Selection.defaults()
                .withScheduler(runs.defaultFor(Kind.SCHEDULER))
                .withAllocator(runs.defaultFor(Kind.ALLOCATOR))
                .withCollector(runs.defaultFor(Kind.COLLECTOR))
                .withPacer(runs.defaultFor(Kind.PACER))
                .withGomaxprocs(w.intOption("--gomaxprocs", runs.gomaxprocs(), 1, 1024))
                .withMaxHeap(maxHeap(w))
                .withMaxThreads(maxThreads(w)));
        Selection base1 = !w.has("--gogc") || gogcDimension ? base0 : base0.withGogc(gogc(w.get("--gogc", "100")));
        Selection base = !w.has("--memory-limit") || limitDimension ? base1
                : base1.withMemoryLimit(memoryLimit(w.get("--memory-limit", null)));
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            if (e.getValue().size() == 1) {
                base = base.withProperty(e.getKey(), e.getValue().get(0));
            }
        }
        List<Selection> selections = new ArrayList<>();
        if (!swept.isEmpty()) {
            String key = swept.get(0);
            for (String v : settings.get(key)) {
                selections.add(base.withProperty(key, v).withLabel(key + "=" + Settings.label(key, v)));
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
                Output.userInput(() -> {
                    catalog.require(kind, n);
                    return null;
                });
                Selection s = switch (kind) {
                    case SCHEDULER -> base.withScheduler(n);
                    case ALLOCATOR -> base.withAllocator(n);
                    case COLLECTOR -> base.withCollector(n);
                    case PACER -> base.withPacer(n);
                };
                selections.add(s.withLabel(n));
            }
        }
        return selections;
    }

    /** A {@code scenario}'s options: small sizes unless {@code --full}, then the rounds, heap, threads, GOGC, limit and settings given. */
    static ScenarioOptions scenarioOptions(Words w, RegistryCatalog catalog) {
        ScenarioOptions base = w.has("--full") ? ScenarioOptions.full() : ScenarioOptions.small();
        ScenarioOptions rounds = w.has("--runs") ? base.withRounds(base.warmups(), w.intOption("--runs", base.repeats(), 1, 1000)) : base;
        ScenarioOptions heapOptions = w.has("--max-heap") ? rounds.withMaxHeap(maxHeap(w)) : rounds;
        ScenarioOptions threadOptions = w.has("--max-threads") ? heapOptions.withMaxThreads(maxThreads(w)) : heapOptions;
        ScenarioOptions gogcOptions = w.has("--gogc") ? threadOptions.withGogc(gogc(w.get("--gogc", "100"))) : threadOptions;
        ScenarioOptions limitOptions = w.has("--memory-limit")
                ? gogcOptions.withMemoryLimit(memoryLimit(w.get("--memory-limit", null))) : gogcOptions;
        ScenarioOptions withSettings = limitOptions;
        if (w.has("--pacer")) {
            String p = w.get("--pacer", null);
            catalog.require(Kind.PACER, p);
            withSettings = withSettings.withPacer(p);
        }
        for (Map.Entry<String, List<String>> e : Settings.parse(w.all("--set"), Settings.known(catalog)).entrySet()) {
            if (e.getValue().size() != 1) {
                throw new CommandException("scenario takes one value for --set " + e.getKey() + "; compare sweeps several");
            }
            withSettings = withSettings.withProperty(e.getKey(), e.getValue().get(0));
        }
        return withSettings;
    }
}
