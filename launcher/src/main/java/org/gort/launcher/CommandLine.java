package org.gort.launcher;

import java.util.List;
import java.util.regex.Pattern;

/** Joins the process arguments into one Gogo command line, quoting what Gogo would parse. */
final class CommandLine {
    /** Words made only of these need no quotes in Gogo. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./,:=+@%-]+");

    private CommandLine() {
    }

    static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }

    /** Gogo's single quotes keep a word literal; a word holding one goes in double quotes, escaped. */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        if (word.indexOf('\'') < 0) {
            return "'" + word + "'";
        }
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + '"';
    }
}
