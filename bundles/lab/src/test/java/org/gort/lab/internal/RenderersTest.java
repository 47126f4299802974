package org.gort.lab.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gort.lab.Comparison;
import org.gort.lab.Format;
import org.gort.lab.Reports;
import org.gort.lab.RunOutcome;
import org.gort.lab.RunRecord;
import org.gort.lab.json.JsonReader;
import org.junit.jupiter.api.Test;

class RenderersTest {

    @Test
    void textTableIsAlignedAndStatesTheVerdict() {
        String text = Reports.render(Samples.threeWay(), Format.TEXT);
        List<String> table = new ArrayList<>();
        boolean in = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("metric ")) {
                in = true;
            } else if (line.isEmpty()) {
                in = false;
            }
            if (in) {
                table.add(line);
            }
        }
        assertEquals(1 + 2 * 3, table.size(), text);
        // every row's selection column starts where the header's does
        int col = table.get(0).indexOf("selection");
        for (String row : table.subList(1, table.size())) {
            assertTrue(row.substring(col).startsWith("base") || row.substring(col).startsWith("fast")
                    || row.substring(col).startsWith("same"), row);
            assertEquals(' ', row.charAt(col - 1), row);
        }
        assertTrue(text.contains("run.wall.ns"), text);
        assertTrue(text.contains("50.0 ms"), text);
        assertTrue(text.contains("  fast: wall time 0.50× base ["), text);
        assertTrue(text.contains("fast round 8: FAILED wrong output"), text);
        assertTrue(text.contains("JDK 25 (test VM) · 2 cores"), text);
    }

    @Test
    void csvRowsAllHaveEveryColumnAndQuoteWhatNeedsIt() {
        Comparison c = Samples.threeWay();
        List<List<String>> rows = parseCsv(Reports.render(c, Format.CSV));
        List<String> header = rows.get(0);
        assertEquals(CsvRenderer.COLUMNS, header);
        for (List<String> r : rows) {
            assertEquals(header.size(), r.size(), r.toString());
        }
        int record = header.indexOf("record");
        int selection = header.indexOf("selection");
        long runRows = rows.stream().filter(r -> r.get(record).equals("run")).count();
        assertEquals(22 * 2, runRows); // 22 runs, 2 metrics each
        long aggregates = rows.stream().filter(r -> r.get(record).equals("aggregate")).count();
        assertEquals(3 * 2, aggregates);
        assertTrue(rows.stream().anyMatch(r -> r.get(selection).equals("same, \"quoted\"")));
        List<String> verdict = rows.stream().filter(r -> r.get(record).equals("verdict")).findFirst().orElseThrow();
        assertEquals(0.5, Double.parseDouble(verdict.get(header.indexOf("ratio"))), 1e-12);
        assertEquals("2", verdict.get(header.indexOf("gomaxprocs")));
        assertEquals("0.0-test", verdict.get(header.indexOf("gort")));
    }

    @Test
    void jsonIsWellFormedWithRunsAggregatesAndEnvironment() {
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(Reports.render(Samples.threeWay(), Format.JSON));
        assertEquals("comparison", root.get("kind"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) root.get("environment");
        assertEquals(2.0, env.get("cores"));
        assertEquals("25 (test VM)", env.get("jdk"));
        List<?> runs = (List<?>) root.get("runs");
        assertEquals(22, runs.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> firstRun = (Map<String, Object>) runs.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> sel = (Map<String, Object>) firstRun.get("selection");
        assertEquals("legacy-gm", sel.get("scheduler"));
        assertEquals(2.0, sel.get("gomaxprocs"));
        assertEquals(6, ((List<?>) root.get("aggregates")).size());
        assertEquals(1, ((List<?>) root.get("verdicts")).size());
    }

    @Test
    void singleRunKeepsOutputAndTrace() {
        RunRecord r = new RunRecord("w", "n=1", Samples.selection("", "sched=gmp"), 0, false, RunOutcome.OK, "",
                List.of("line \"one\"", "tab\there"), List.of("SCHED 0ms: ..."), new java.util.TreeMap<>(Map.of("a.ns", 1.5)),
                new org.gort.api.Metrics());
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(Reports.render(r, Samples.ENV, Format.JSON));
        assertEquals(List.of("line \"one\"", "tab\there"), root.get("output"));
        assertEquals(Map.of("a.ns", 1.5), root.get("metrics"));
        String text = Reports.render(r, Samples.ENV, Format.TEXT);
        assertTrue(text.matches("(?s).*\\na\\.ns +1\\.50 ns\\n.*"), text);
        assertEquals(2, parseCsv(Reports.render(r, Samples.ENV, Format.CSV)).size());
    }

    @Test
    void jsonWriterRefusesBrokenStructure() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value("no name"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().endObject());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
        assertEquals("{\n  \"x\": null,\n  \"c\": \"\\u0001\"\n}\n",
                new JsonWriter().beginObject().member("x", Double.NaN).member("c", "\u0001").endObject().toString());
    }

    @Test
    void formatsParseByName() {
        assertEquals(Format.JSON, Format.parse(" json "));
        assertThrows(IllegalArgumentException.class, () -> Format.parse("xml"));
    }

    @Test
    void numbersForPeople() {
        assertEquals("12.3 ms", MetricGuide.format("x.ns", 12_345_678));
        assertEquals("950 ns", MetricGuide.format("x.ns", 950));
        assertEquals("1.50 s", MetricGuide.format("x.ns", 1.5e9));
        assertEquals("4.00 MiB", MetricGuide.format("alloc.bytes", 4 << 20));
        assertEquals("1,234,567", MetricGuide.format("sched.schedules", 1_234_567));
        assertEquals("0.0125", MetricGuide.format("lab.sched.lock.per.schedule", 0.0125));
        // a ratio that happens to be whole keeps its digits, so that 3.00 and 2.999 read alike
        assertEquals("3.00", MetricGuide.format("lab.sched.lock.per.schedule", 3.0));
        assertEquals("1.00", MetricGuide.format("lab.alloc.lock.per.alloc", 1.0));
        assertEquals("3", MetricGuide.format("sched.ms.created", 3.0));
        assertEquals("0.21", Reports.ratio(0.2149));
        assertEquals("0.018", Reports.ratio(0.018));
        assertEquals("140", Reports.ratio(140.2));
        assertEquals("5.3e-06", Reports.ratio(0.0000053));
    }

    /** RFC 4180 reader: quoted fields with doubled quotes, CRLF line ends. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertTrue(row.isEmpty() && field.isEmpty(), "the CSV must end with CRLF");
        return rows;
    }
}
