package org.gort.lab.internal.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program's expected output, in Go's example-test convention ({@code go/doc}'s
 * {@code exampleOutput} and {@code testing}'s {@code processRunResult}): the last block of
 * {@code //} line comments whose text starts with {@code Output:} or {@code Unordered output:}
 * (case-insensitive) holds the output; text after the colon on the same line is its first line.
 * The block's lines lose their {@code //} and one space, trailing blanks and leading and trailing
 * blank lines, and runs of blank lines become one, as {@code CommentGroup.Text} does. The
 * program's output passes when, both trimmed of surrounding white space, they are equal, or,
 * for unordered output, equal once each is split into lines and sorted.
 */
public record ExpectedOutput(String text, boolean unordered) {
    private static final Pattern OUTPUT = Pattern.compile("(?i)^\\s*(unordered )?output:");

    /** The expected output declared in {@code source}, or null when it declares none. */
    public static ExpectedOutput parse(String source) {
        List<String> lines = Arrays.asList(source.split("\r?\n", -1));
        ExpectedOutput found = null;
        int i = 0;
        while (i < lines.size()) {
            if (!isLineComment(lines.get(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < lines.size() && isLineComment(lines.get(i))) {
                i++;
            }
            ExpectedOutput e = fromBlock(lines.subList(start, i));
            if (e != null) {
                found = e;
            }
        }
        return found;
    }

    private static boolean isLineComment(String line) {
        return line.strip().startsWith("//");
    }

    private static ExpectedOutput fromBlock(List<String> block) {
        List<String> text = new ArrayList<>();
        for (String l : block) {
            String t = l.strip().substring(2);
            if (t.startsWith(" ")) {
                t = t.substring(1);
            }
            text.add(t.stripTrailing());
        }
        // CommentGroup.Text: no leading or trailing blank lines, runs of blank lines become one
        while (!text.isEmpty() && text.get(0).isEmpty()) {
            text.remove(0);
        }
        if (text.isEmpty()) {
            return null;
        }
        Matcher m = OUTPUT.matcher(text.get(0));
        if (!m.find()) {
            return null;
        }
        boolean unordered = m.group(1) != null;
        String first = text.get(0).substring(m.end()).stripLeading();
        List<String> out = new ArrayList<>();
        if (!first.isEmpty()) {
            out.add(first);
        }
        for (String t : text.subList(1, text.size())) {
            if (t.isEmpty() && (out.isEmpty() || out.get(out.size() - 1).isEmpty())) {
                continue;
            }
            out.add(t);
        }
        return new ExpectedOutput(String.join("\n", out).strip(), unordered);
    }

    /** True when {@code output} (the program's lines) is what this expects. */
    public boolean matches(List<String> output) {
        String got = String.join("\n", output).strip();
        return unordered ? sortLines(got).equals(sortLines(text)) : got.equals(text);
    }

    /**
     * The first difference, in one line: {@code line 3: expected 'x', got 'y'}, or for unordered
     * output a line missing or extra.
     */
    public String firstDifference(List<String> output) {
        List<String> got = List.of(String.join("\n", output).strip().split("\n", -1));
        List<String> want = List.of(text.split("\n", -1));
        if (unordered) {
            List<String> missing = new ArrayList<>(want);
            List<String> extra = new ArrayList<>();
            for (String g : got) {
                if (!missing.remove(g)) {
                    extra.add(g);
                }
            }
            return !missing.isEmpty() ? "(unordered) expected a line '" + missing.get(0) + "' that is not there"
                    : "(unordered) an extra line '" + extra.get(0) + "'";
        }
        for (int i = 0; i < Math.max(got.size(), want.size()); i++) {
            String w = i < want.size() ? want.get(i) : "<no line>";
            String g = i < got.size() ? got.get(i) : "<no line>";
            if (!w.equals(g)) {
                return "line " + (i + 1) + ": expected '" + w + "', got '" + g + "'";
            }
        }
        return "";
    }

    /** Go's report of a failed example: {@code got:} and {@code want:} blocks. */
    public String report(List<String> output) {
        String got = String.join("\n", output);
        return unordered ? "got:\n" + got + "\nwant (unordered):\n" + text
                : "got:\n" + got.strip() + "\nwant:\n" + text;
    }

    private static String sortLines(String s) {
        String[] lines = s.split("\n", -1);
        Arrays.sort(lines);
        return String.join("\n", lines);
    }
}
