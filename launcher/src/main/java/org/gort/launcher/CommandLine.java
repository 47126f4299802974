package org.gort.launcher;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the process arguments into one Gogo command line.
 *
 * <p>Each argument is one word: a word Gogo would parse (spaces, quotes, {@code $}, braces,
 * backslashes, a leading {@code #} or {@code //}, which start a comment) is quoted so that Gogo
 * hands the command exactly the argument the user's shell passed. Gogo's single quotes keep
 * everything literal, but a single quote cannot appear inside them (Gogo's double quotes cannot
 * hold one either): so a single quote closes the quotes, is escaped, and reopens them
 * ({@code it's} becomes {@code 'it'\''s'}), as in a POSIX shell.
 *
 * <p>One argument holding a blank is a whole command line ({@code ./gort 'run sieve n=10
 * --sched legacy-gm'}), passed as it is: no command name holds a blank, so it cannot be meant as
 * one word.
 */
final class CommandLine {
    /** Words made only of these need no quotes in Gogo (unless they start a comment). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./,:=+@%-]+");

    private CommandLine() {
    }

    /** The Gogo command line for the process arguments {@code args}. */
    static String of(List<String> args) {
        if (args.size() == 1 && args.get(0).chars().anyMatch(Character::isWhitespace)) {
            return args.get(0);
        }
        return join(args);
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

    /** {@code word} as one Gogo word that evaluates to exactly {@code word}. */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches() && !word.startsWith("//")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
