package org.gort.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.gort.lab.internal.CsvRenderer;
import org.gort.lab.internal.JsonRenderer;
import org.gort.lab.internal.TextRenderer;
import org.gort.lab.internal.html.HtmlRenderer;

/** Writes runs, comparisons and scenario reports as text, CSV, JSON or HTML (see {@link Format}). */
public final class Reports {
    private Reports() {
    }

    public static String render(Comparison c, Format format) {
        return switch (format) {
            case TEXT -> TextRenderer.comparison(c);
            case CSV -> CsvRenderer.comparison(c);
            case JSON -> JsonRenderer.comparison(c);
            case HTML -> HtmlRenderer.comparison(c);
        };
    }

    /** A single run, with the environment it ran in. */
    public static String render(RunRecord r, Environment environment, Format format) {
        return switch (format) {
            case TEXT -> TextRenderer.run(r, environment);
            case CSV -> CsvRenderer.run(r, environment);
            case JSON -> JsonRenderer.run(r, environment);
            case HTML -> HtmlRenderer.run(r, environment);
        };
    }

    public static String render(ScenarioReport s, Format format) {
        return switch (format) {
            case TEXT -> TextRenderer.scenario(s);
            case CSV -> CsvRenderer.scenario(s);
            case JSON -> JsonRenderer.scenario(s);
            case HTML -> HtmlRenderer.scenario(s);
        };
    }

    /**
     * A result read back from its JSON form ({@link #read}): exactly one of a run (with its
     * environment), a comparison or a scenario report.
     */
    public record Saved(RunRecord run, Environment environment, Comparison comparison, ScenarioReport scenario) {
        /** The result in {@code format}. */
        public String render(Format format) {
            if (run != null) {
                return Reports.render(run, environment, format);
            }
            return comparison != null ? Reports.render(comparison, format) : Reports.render(scenario, format);
        }
    }

    /**
     * Reads a result saved with {@link Format#JSON}; a file that is not one fails with a
     * one-line {@link IllegalArgumentException}. Latency histograms are not in the JSON form, so
     * they do not come back (a run's pause percentiles do, in its timeline).
     */
    public static Saved read(Path file) throws IOException {
        return org.gort.lab.internal.JsonLoader.load(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Writes {@code rendered} to {@code file} in UTF-8, replacing it; its directory must exist (none is made). */
    public static void write(String rendered, Path file) throws IOException {
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
    }

    /**
     * A ratio to two significant digits: {@code 0.21}, {@code 0.018}, {@code 1.3}, {@code 12},
     * {@code 140}; below a thousandth in scientific notation, {@code 5.3e-06}.
     */
    public static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "—";
        }
        double a = Math.abs(r);
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.0f", r);
        }
        if (a == 0) {
            return "0";
        }
        if (a < 1e-3) {
            return String.format(Locale.ROOT, "%.1e", r);
        }
        int decimals = Math.max(1, 1 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", r);
    }
}
