package org.gort.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.felix.service.command.Process;
import org.gort.api.Metrics;
import org.gort.lab.Program;
import org.gort.lab.Reports;

/**
 * Where a command's output goes, and how a finished run is reported.
 *
 * <p>Design. Output goes to the current pipeline stage ({@code Process.Utils.current()}), so
 * {@code run sieve | grep 17} filters a run's lines; outside a pipeline (a test, the launcher's
 * one-shot mode before Gogo runs) it goes to the process's streams. A run's report keeps Go's
 * split: the program's output and the verdict on stdout, the runtime's warnings on stderr as
 * {@code gort: ...} lines, and a failed run's verdict as the {@link CommandException} that makes a
 * one-shot {@code ./gort run} exit non-zero. A bad value from the API (its
 * {@link IllegalArgumentException}) becomes a one-line command error through
 * {@link #userInput}.
 */
final class Output {
    private Output() {
    }

    /** The output of the current pipeline stage, so {@code run sieve | grep 17} works. */
    static PrintStream out() {
        Process p = Process.Utils.current();
        return p != null ? p.out() : System.out;
    }

    static PrintStream err() {
        Process p = Process.Utils.current();
        return p != null ? p.err() : System.err;
    }

    /** Turns the API's IllegalArgumentException (bad name, bad value) into a one-line command error. */
    static <T> T userInput(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** Prints a report, or writes it to {@code file} (checked by {@link Options#reportOut} before the runs). */
    static void emit(String rendered, Path file) {
        if (file == null) {
            out().print(rendered);
            return;
        }
        try {
            Reports.write(rendered, file);
        } catch (IOException | RuntimeException e) {
            throw new CommandException("cannot write the report to " + file + ": " + e);
        }
        out().println("wrote " + file.toAbsolutePath());
    }

    /**
     * A finished run: its output if asked (a background run's, held until now), the strategy
     * changes and warnings, the trace file written, then the verdict and metrics; a failed run
     * ends in a {@link CommandException} carrying its summary.
     */
    static void runReport(Run run, Run.Outcome o, PrintStream out, PrintStream err, boolean printOutput, String metrics) {
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
    static Optional<String> traceWritten(Run run, Run.Outcome o) {
        Path file = run.config.traceEventsFile();
        Metrics m = o.result().metrics();
        if (file == null || m == null || !m.has("trace.events")) {
            return Optional.empty();
        }
        for (String line : o.result().failure().split("\n")) {
            if (line.startsWith("warning: ") && line.contains(" the trace ")) {
                return Optional.of("gort: " + line);
            }
        }
        long dropped = m.count("trace.events.dropped");
        return Optional.of("wrote trace " + file.toAbsolutePath() + " (" + m.count("trace.events") + " events"
                + (dropped > 0 ? ", " + dropped + (run.config.traceKeepLast() ? " earlier ones" : " more")
                        + " dropped at the limit of " + run.config.traceEventsLimit() : "")
                + "); open it in https://ui.perfetto.dev");
    }

    /**
     * One line when a run ended with threads that could not be stopped: which, why, and what
     * follows from it; empty otherwise.
     */
    static Optional<String> strandedLine(Run.Outcome o) {
        Metrics m = o.result().metrics();
        long stuck = m == null ? 0 : m.count("run.ms.stuck");
        if (stuck == 0) {
            return Optional.empty();
        }
        String what = o.result().failure().lines().filter(l -> l.startsWith("warning: M")).findFirst()
                .map(l -> l.substring("warning: ".length())).orElse(stuck + " M(s) did not exit");
        return Optional.of("gort: could not stop " + (stuck == 1 ? "a thread" : stuck + " threads") + " of the run ("
                + what + "): a loop with no runtime call cannot be stopped, so it keeps a core busy until it reaches a "
                + "safepoint or gort exits; status counts it, and compare and scenario refuse to measure meanwhile");
    }
}
