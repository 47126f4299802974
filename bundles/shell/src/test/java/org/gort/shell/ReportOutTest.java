package org.gort.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare/scenario ... --out FILE}: checked before anything runs, as {@code --trace-out} is; no directory is made. */
class ReportOutTest {
    @TempDir
    Path dir;

    private static Words compareWords(Object... words) {
        return Words.parse("compare", words, Options.COMPARE_VALUED, Options.COMPARE_SWITCHES);
    }

    private static Words scenarioWords(Object... words) {
        return Words.parse("scenario", words, Options.SCENARIO_VALUED, Options.SCENARIO_SWITCHES);
    }

    @Test
    void aFileInAnExistingDirectoryIsTaken() {
        Path file = dir.resolve("x.csv");
        assertEquals(file, Options.reportOut(compareWords("sieve", "--sched", "gmp,legacy-gm", "--out", file.toString())));
        assertNull(Options.reportOut(compareWords("sieve")), "no option: the report is printed");
    }

    @Test
    void aMissingDirectoryIsRefusedAndNotMade() {
        Path file = dir.resolve("no/such/dir/x.csv");
        for (Words w : new Words[] {compareWords("sieve", "--out", file.toString()), scenarioWords("sched-locality", "--out=" + file)}) {
            CommandException e = assertThrows(CommandException.class, () -> Options.reportOut(w));
            assertEquals("cannot write the report to " + file + ": directory " + file.getParent() + " does not exist", e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("no")), "no directory is made");
    }

    @Test
    void aDirectoryIsNotAReportFile() {
        CommandException e = assertThrows(CommandException.class, () -> Options.reportOut(compareWords("--out", dir.toString())));
        assertTrue(e.getMessage().startsWith("cannot write the report to " + dir + ": it is a directory"), e::getMessage);
    }
}
