package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gort.api.Check;
import org.gort.api.Metrics;
import org.gort.api.RunResult;
import org.gort.api.RunStatus;
import org.gort.api.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run ... --trace-out FILE}: the option, its check before the run, and the line after it. */
class TraceOutTest {
    @TempDir
    Path dir;

    private static Words runWords(Object... words) {
        return Words.parse("run", words, Options.RUN_VALUED, Options.RUN_SWITCHES);
    }

    @Test
    void runTakesATraceFile() {
        Path file = dir.resolve("sieve.json");
        Words w = runWords("sieve", "n=2000", "--trace-out", file.toString());
        assertEquals(List.of("sieve"), w.positional);
        assertEquals(file, Options.traceOut(w));
        assertNull(Options.traceOut(runWords("sieve")), "no option, no trace");
    }

    @Test
    void aMissingDirectoryIsOneLineBeforeTheRun() {
        Path file = dir.resolve("missing/sieve.json");
        CommandException e = assertThrows(CommandException.class,
                () -> Options.traceOut(runWords("sieve", "--trace-out=" + file)));
        assertEquals("cannot write the trace to " + file + ": directory " + dir.resolve("missing") + " does not exist",
                e.getMessage());
    }

    @Test
    void aDirectoryIsNotATraceFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("traces"));
        CommandException e = assertThrows(CommandException.class,
                () -> Options.traceOut(runWords("sieve", "--trace-out", sub.toString())));
        assertTrue(e.getMessage().contains("it is a directory"), e::getMessage);
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theOptionIsInTheUsageOfRun() throws Exception {
        String usage = GortCommands.class.getMethod("run", org.apache.felix.service.command.CommandSession.class, Object[].class)
                .getAnnotation(org.apache.felix.service.command.Descriptor.class).value();
        assertTrue(usage.contains("[--trace-out FILE [--trace-limit N] [--trace-keep first|last]]"), usage);
        CommandException e = assertThrows(CommandException.class, () -> runWords("sieve", "--trace"));
        assertTrue(e.getMessage().contains("--trace-out FILE"), e::getMessage);
    }

    @Test
    void afterTheRunItSaysWhereTheTraceIsAndWhatWasDropped() {
        Path file = dir.resolve("t.json");
        Run run = runWritingTo(RuntimeConfig.builder().traceEvents(file).traceEventsLimit(10));
        Metrics m = traceMetrics(10, 7);
        Run.Outcome ok = new Run.Outcome(new RunResult(RunStatus.OK, "", List.of(), m), Check.ok(), Map.of());
        assertEquals("wrote trace " + file.toAbsolutePath() + " (10 events, 7 more dropped at the limit of 10); "
                + "open it in https://ui.perfetto.dev", Output.traceWritten(run, ok).orElseThrow());

        Run.Outcome failedWrite = new Run.Outcome(new RunResult(RunStatus.OK,
                "warning: could not write the trace to " + file + ": disk full", List.of(), m), Check.ok(), Map.of());
        assertEquals("gort: warning: could not write the trace to " + file + ": disk full",
                Output.traceWritten(run, failedWrite).orElseThrow());

        Run plain = new Run("sieve", null, null, RuntimeConfig.builder().build(), null, false, Duration.ofSeconds(1));
        assertTrue(Output.traceWritten(plain, ok).isEmpty());
    }

    @Test
    void traceKeepTakesFirstOrLastAndNothingElse() {
        assertFalse(Options.traceKeepLast(runWords("sieve")), "the first events unless asked");
        assertFalse(Options.traceKeepLast(runWords("sieve", "--trace-keep", "first")));
        assertTrue(Options.traceKeepLast(runWords("sieve", "--trace-keep=last")));
        CommandException e = assertThrows(CommandException.class,
                () -> Options.traceKeepLast(runWords("sieve", "--trace-keep", "end")));
        assertEquals("--trace-keep must be first or last, got 'end'", e.getMessage());
    }

    @Test
    void keepingTheLastEventsSaysTheEarlierOnesWereDropped() {
        Path file = dir.resolve("last.json");
        Run run = runWritingTo(RuntimeConfig.builder().traceEvents(file).traceEventsLimit(10).traceKeepLast(true));
        Run.Outcome ok = new Run.Outcome(new RunResult(RunStatus.OK, "", List.of(), traceMetrics(10, 7)), Check.ok(), Map.of());
        assertEquals("wrote trace " + file.toAbsolutePath() + " (10 events, 7 earlier ones dropped at the limit of 10); "
                + "open it in https://ui.perfetto.dev", Output.traceWritten(run, ok).orElseThrow());
    }

    private static Run runWritingTo(RuntimeConfig.Builder config) {
        return new Run("sieve", null, null, config.build(), null, false, Duration.ofSeconds(1));
    }

    private static Metrics traceMetrics(long events, long dropped) {
        Metrics m = new Metrics();
        m.put("trace.events", events);
        m.put("trace.events.dropped", dropped);
        return m;
    }
}
