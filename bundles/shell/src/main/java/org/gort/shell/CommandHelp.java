package org.gort.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@code help} prints: for each gort command its usage line and what it does, and for each
 * of its options, one per line, what the option does and its default (as {@code go help run}
 * does).
 *
 * <p>The options listed are the ones the command's parser accepts ({@link Options}' option
 * tables), so an option cannot be accepted yet missing from the help; its meaning and default
 * come from {@link #OPTIONS} here, and a test checks every accepted option has one.
 */
final class CommandHelp {
    /** A command: its usage line and what it does. */
    record Command(String usage, String does) {
    }

    /** An option's meaning and default ({@code ""}: none; a {@code $key} default is looked up when printed). */
    record Option(String meaning, String dflt) {
    }

    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
    /** Keyed {@code command --option}, or {@code --option} for the meaning every command shares. */
    static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        COMMANDS.put("strategies", new Command("strategies",
                "list the installed strategies: kind, name, state (active in the run in progress, default for new runs), bundle, version; "
                        + "strategies --verbose also lists every setting --set takes, its default and what reads it"));
        COMMANDS.put("workloads", new Command("workloads [<workload>]",
                "list the workloads with their parameters and ranges; with a name, each parameter's type, range, default and meaning"));
        COMMANDS.put("use", new Command("use <sched|alloc|gc|pacer> <name>",
                "choose the strategy new runs use; on a run in progress also hot-swap the scheduler now or the collector or "
                        + "pacer from the next GC cycle (the allocator applies from the next run)"));
        COMMANDS.put("programs", new Command("programs [<folder>]",
                "list the programs in programs/ (or a folder), one line each, and whether each declares its // Output:"));
        COMMANDS.put("run", new Command("run <workload> [name=value ...] [options] | run <path/Prog.java> [args ...] [-- args ...] [options]",
                "run a workload, or a program of your own (a .java file, a folder of them, or a jar, compiled by gort), in a "
                        + "fresh runtime; print its output and the verdict of its output check"));
        COMMANDS.put("status", new Command("status",
                "show the run in progress (schedtrace line, collector state, strategy changes) and the defaults for new runs"));
        COMMANDS.put("swap", new Command("swap <sched|gc|pacer> <name>",
                "hot-swap a strategy of the run in progress: the scheduler at once, the collector or the pacer from the next GC cycle"));
        COMMANDS.put("gc", new Command("gc", "force a garbage collection cycle in the run in progress (runtime.GC())"));
        COMMANDS.put("gomaxprocs", new Command("gomaxprocs <n>",
                "change GOMAXPROCS of the run in progress (runtime.GOMAXPROCS(n), with the world stopped), up to the "
                        + "run's maximum: its starting GOMAXPROCS or the cores, or --set maxprocs=N"));
        COMMANDS.put("set", new Command("set <key> <value>",
                "change a setting of the run in progress, where the strategy reads it while running (strategies --verbose "
                        + "marks those LIVE; gmp.forcePreemptNS, say); others apply from the next run's --set"));
        COMMANDS.put("goroutines", new Command("goroutines [--leaked]",
                "print every goroutine of the run in progress now, in Go's traceback format (Go's SIGQUIT dump); goroutines "
                        + "with the same stack are grouped with a count when there are more than 10; with --leaked, run the "
                        + "goroutine leak analysis now (world stopped) and print the leaked goroutines"));
        COMMANDS.put("profile", new Command("profile cpu|heap|block|mutex|goroutine|leak <file> [seconds]",
                "write a pprof profile of the run in progress, as Go's /debug/pprof endpoints serve one: cpu sampled for "
                        + "the seconds (30); heap, block, mutex as recorded so far (a kind the run was not recording is "
                        + "recorded from now for the seconds, 10); goroutine and leak now; open it with go tool pprof"));
        COMMANDS.put("memstats", new Command("memstats",
                "print runtime.ReadMemStats of the run in progress, Go's fields as Go's heap profile lists them"));
        COMMANDS.put("writetrace", new Command("writetrace <file>",
                "write the execution trace of the run in progress so far, which runs on (Go's FlightRecorder.WriteTo); "
                        + "the run needs --trace-out, best with --trace-keep last"));
        COMMANDS.put("stop", new Command("stop", "stop the run in progress and show how far it got"));
        COMMANDS.put("await", new Command("await", "wait for the background run to end, then print its output and verdict"));
        COMMANDS.put("compare", new Command("compare <workload|path/Prog.java> [name=value ...|args ...] (--sched a,b | --alloc a,b | --gc a,b,... | --pacer a,b | --gogc a,b | --memory-limit a,b | --set key=a,b) [options]",
                "compare strategies of one kind on a workload: interleaved repeated runs, medians with intervals, ratios "
                        + "against the first"));
        COMMANDS.put("scenario", new Command("scenario [<name>] [options]",
                "without a name, list the scenarios and whether they can run; with one, run that comparison and state its "
                        + "finding from its own numbers"));
        COMMANDS.put("report", new Command("report <file.json> [options]",
                "render a result saved with --format json (a run, comparison or scenario) again, by default as an HTML page "
                        + "with charts beside it"));
        COMMANDS.put("demo", new Command("demo",
                "a short tour: the strategies, the sieve under each scheduler, hot swaps mid-run, two scenarios at small size"));
        COMMANDS.put("help", new Command("help [<command>]",
                "list gort's commands; with a name, that command's usage and every option, one per line"));
        COMMANDS.put("exit", new Command("exit", "stop the run in progress and leave gort (Ctrl-D does the same)"));

        OPTIONS.put("--gomaxprocs", new Option("the number of Ps, GOMAXPROCS", "$gomaxprocs"));
        OPTIONS.put("run --sched", new Option("the scheduler", "$sched"));
        OPTIONS.put("run --alloc", new Option("the allocator", "$alloc"));
        OPTIONS.put("run --gc", new Option("the collector", "$gc"));
        OPTIONS.put("run --pacer", new Option("the pacer: go15 (Go 1.5-1.17) or go118 (Go 1.18+, with the memory limit)", "$pacer"));
        OPTIONS.put("scenario --pacer", new Option("the pacer for every run of the scenario (a scenario comparing pacers keeps its own)",
                "the scenario's"));
        OPTIONS.put("run --gctrace", new Option("print a line per GC cycle, as GODEBUG=gctrace=1", "off"));
        OPTIONS.put("run --schedtrace", new Option("print the scheduler's state every MS milliseconds, as GODEBUG=schedtrace", "0 (off)"));
        OPTIONS.put("run --check-roots", new Option("fail at once on a heap access through an address neither rooted nor "
                + "obtained since the last safepoint, naming its type and allocation site", "off"));
        OPTIONS.put("run --checkmark", new Option("verify each concurrent mark with a stop-the-world re-mark, as GODEBUG=gccheckmark=1", "off"));
        OPTIONS.put("run --gcstoptheworld", new Option("1: every cycle marks with the world stopped; 2: sweeps too (GODEBUG)", "0"));
        OPTIONS.put("run --timeout", new Option("stop the run after S seconds", "$timeout"));
        OPTIONS.put("run --background", new Option("run on while the shell takes commands (interactive shell only)", "off"));
        OPTIONS.put("run --trace-out", new Option("write an execution trace (Chrome trace-event JSON, for Perfetto) when the run ends", "none"));
        OPTIONS.put("run --trace-limit", new Option("the most trace events kept", "1000000"));
        OPTIONS.put("run --trace-keep", new Option("which events the limit keeps: the run's first, or its last (a flight recorder)", "first"));
        OPTIONS.put("--max-heap", new Option("the managed heap's limit, Go-style sizes (512MiB, 2GiB)", "1GiB"));
        OPTIONS.put("--max-threads", new Option("the most Ms (threads) a run may make, Go's debug.SetMaxThreads; "
                + "more ends the run with fatal error: thread exhaustion", "10000"));
        OPTIONS.put("--gogc", new Option("GOGC: the heap grows by N % of the live heap before the next cycle; off: no cycles "
                + "but the memory limit's", "100"));
        OPTIONS.put("--memory-limit", new Option("GOMEMLIMIT: a soft limit on the heap that paces cycles (512MiB, 2GiB); "
                + "honoured by the go118 pacer, not by go15", "none"));
        OPTIONS.put("run --set", new Option("a strategy's or the kernel's setting, KEY=VALUE, repeatable (strategies --verbose "
                + "lists them; 10ms is accepted for a key in NS or Millis)", "none"));
        OPTIONS.put("scenario --set", new Option("a setting for every run of the scenario, KEY=VALUE, repeatable", "none"));
        OPTIONS.put("compare --set", new Option("a setting for all, KEY=VALUE, repeatable; KEY=a,b,... compares those values", "none"));
        OPTIONS.put("compare --gogc", new Option("a GOGC for all, or two or more, comma-separated, to compare", "100"));
        OPTIONS.put("compare --memory-limit", new Option("a GOMEMLIMIT for all, or two or more, comma-separated, to compare", "none"));
        OPTIONS.put("run --traceback", new Option("GOTRACEBACK: which goroutines a failure prints (none, single, all, system)", "single"));
        OPTIONS.put("run --scheddetail", new Option("print schedtrace with every P, M and G every MS milliseconds, as GODEBUG=scheddetail=1", "0 (off)"));
        OPTIONS.put("run --cpuprofile", new Option("write a CPU profile (pprof, 100 Hz) to FILE when the run ends", "none"));
        OPTIONS.put("run --memprofile", new Option("write a heap profile (pprof) to FILE when the run ends", "none"));
        OPTIONS.put("run --memprofilerate", new Option("bytes allocated per heap-profile sample, as runtime.MemProfileRate", "524288"));
        OPTIONS.put("run --blockprofile", new Option("write a block profile (pprof: time blocked on channels, select, sync) to FILE", "none"));
        OPTIONS.put("run --mutexprofile", new Option("write a mutex contention profile (pprof) to FILE", "none"));
        OPTIONS.put("run --goroutineprofile", new Option("write a goroutine profile (pprof) to FILE when the run ends", "none"));
        OPTIONS.put("run --leakprofile", new Option("write the leaked goroutines (blocked for ever) as a pprof profile to FILE", "none"));
        OPTIONS.put("run --metrics", new Option("the metrics printed under the verdict: key ones, all (with runtime/metrics names) or none", "key"));
        OPTIONS.put("compare --sched", new Option("compare these schedulers (two or more, comma-separated)", ""));
        OPTIONS.put("compare --alloc", new Option("compare these allocators (two or more, comma-separated)", ""));
        OPTIONS.put("compare --gc", new Option("compare these collectors (two or more, comma-separated)", ""));
        OPTIONS.put("compare --pacer", new Option("compare these pacers (two or more, comma-separated)", ""));
        OPTIONS.put("compare --runs", new Option("measured runs of each strategy",
                Integer.toString(org.gort.lab.CompareRequest.DEFAULT_REPEATS)));
        OPTIONS.put("compare --warmup", new Option("warm-up runs of each strategy, not measured",
                Integer.toString(org.gort.lab.CompareRequest.DEFAULT_WARMUPS)));
        OPTIONS.put("scenario --runs", new Option("measured runs of each strategy",
                org.gort.lab.ScenarioOptions.small().repeats() + ", " + org.gort.lab.ScenarioOptions.full().repeats() + " with --full"));
        OPTIONS.put("--format", new Option("the report: a table, csv, json, or html (one page with charts that opens "
                + "from disk; compare records every run's timeline for it)", "table"));
        OPTIONS.put("report --format", new Option("the format to render the saved result in", "html"));
        OPTIONS.put("report --out", new Option("write it to FILE instead", "FILE.html beside the JSON for html, else print it"));
        OPTIONS.put("run --report", new Option("write an HTML page of the run: heap, goroutines, Ps and GC pauses over its time, "
                + "the pause percentiles, every metric", "none"));
        OPTIONS.put("--out", new Option("write the report to FILE (its directory must exist) instead of printing it", "print it"));
        OPTIONS.put("scenario --full", new Option("the sizes the findings are stated at, instead of small ones", "small sizes"));
    }

    private CommandHelp() {
    }

    /** The meaning and default of {@code option} of {@code command}, or null if none is written. */
    static Option option(String command, String option) {
        Option o = OPTIONS.get(command + " " + option);
        return o != null ? o : OPTIONS.get(option);
    }

    /** Every gort command, one line each. */
    static void printAll(PrintStream out) {
        Table t = new Table("COMMAND", "DOES");
        COMMANDS.forEach((name, c) -> t.row(c.usage(), c.does()));
        t.print(out);
        out.println("help <command> shows every option of one; Gogo's own commands (lb, headers, ...): felix:help");
    }

    /**
     * {@code help <command>}: the usage line, what it does, then its options, one per line.
     *
     * @param valued   the options that take a value, each with its placeholder
     * @param switches the options that take none
     * @param defaults the value of a {@code $key} default
     */
    static void print(PrintStream out, String command, Map<String, String> valued, List<String> switches,
                      UnaryOperator<String> defaults) {
        Command c = COMMANDS.get(command);
        out.println("usage: " + c.usage());
        out.println();
        out.println(c.does());
        List<String[]> rows = new ArrayList<>();
        valued.forEach((name, placeholder) -> rows.add(row(command, name + " " + placeholder, name, defaults)));
        for (String s : switches) {
            rows.add(row(command, s, s, defaults));
        }
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.println("options:");
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println("  " + r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
        }
    }

    private static String[] row(String command, String shown, String name, UnaryOperator<String> defaults) {
        Option o = option(command, name);
        if (o == null) {
            return new String[] {shown, ""};
        }
        String d = o.dflt().startsWith("$") ? defaults.apply(o.dflt().substring(1)) : o.dflt();
        return new String[] {shown, o.meaning() + (d.isEmpty() ? "" : " (default " + d + ")")};
    }
}
