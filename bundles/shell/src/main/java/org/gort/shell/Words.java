package org.gort.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A command's words sorted into positional words, workload parameters ({@code name=value})
 * and options ({@code --flag value}, {@code --flag=value}, or a bare {@code --switch}).
 * Anything unexpected fails with one line that lists what the command takes.
 */
final class Words {
    final List<String> positional = new ArrayList<>();
    final List<String> params = new ArrayList<>();
    /**
     * Every word that is not an option, in the order given, and after a {@code --} every word at
     * all: a program's arguments ({@code run prog.java 10 x=1 -- --verbose}).
     */
    final List<String> words = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    /** Every value of a repeatable option ({@code --set}), in order. */
    private final Map<String, List<String>> repeated = new LinkedHashMap<>();

    /** Options that may be given more than once; {@link #all} returns every value. */
    static final List<String> REPEATABLE = List.of("--set");

    private Words() {
    }

    /**
     * @param valued   options that take a value, each mapped to its placeholder ({@code --sched} → {@code S})
     * @param switches options that take none
     */
    static Words parse(String command, Object[] words, Map<String, String> valued, List<String> switches) {
        Words w = new Words();
        for (int i = 0; i < words.length; i++) {
            String word = String.valueOf(words[i]);
            if (word.equals("--")) {
                for (i++; i < words.length; i++) {
                    w.words.add(String.valueOf(words[i]));
                }
                break;
            }
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                String name = eq < 0 ? word : word.substring(0, eq);
                if (switches.contains(name) && eq < 0) {
                    w.options.put(name, "true");
                } else if (valued.containsKey(name)) {
                    String value;
                    if (eq >= 0) {
                        value = word.substring(eq + 1);
                    } else if (i + 1 < words.length) {
                        value = String.valueOf(words[++i]);
                    } else {
                        throw new CommandException(name + " needs a value: " + name + " " + valued.get(name));
                    }
                    w.options.put(name, value);
                    if (REPEATABLE.contains(name)) {
                        w.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                    }
                } else {
                    throw new CommandException("unknown option '" + word + "' for " + command + "; it takes "
                            + describe(valued, switches));
                }
            } else if (word.indexOf('=') > 0) {
                w.params.add(word);
                w.words.add(word);
            } else {
                w.positional.add(word);
                w.words.add(word);
            }
        }
        return w;
    }

    static String describe(Map<String, String> valued, List<String> switches) {
        List<String> all = new ArrayList<>();
        valued.forEach((k, v) -> all.add(k + " " + v));
        all.addAll(switches);
        return all.stream().collect(Collectors.joining(", "));
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** Every value of a repeatable option, in the order given. */
    List<String> all(String option) {
        return repeated.getOrDefault(option, List.of());
    }

    String get(String option, String absent) {
        return options.getOrDefault(option, absent);
    }

    /**
     * A whole-number option in ASCII digits (Java's parser would also take other scripts' digits,
     * such as full-width ones), or a one-line message saying what it must be.
     */
    int intOption(String option, int absent, int min, int max) {
        String v = options.get(option);
        if (v == null) {
            return absent;
        }
        String t = v.trim().replace("_", "");
        if (!t.matches("[+-]?[0-9]+")) {
            throw new CommandException(option + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
        java.math.BigInteger n = new java.math.BigInteger(t);
        if (n.compareTo(java.math.BigInteger.valueOf(min)) < 0) {
            throw new CommandException(option + " is out of range (at least " + min + "), got '" + v + "'");
        }
        if (n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new CommandException(option + " is out of range (at most " + max + "), got '" + v + "'");
        }
        return n.intValue();
    }

    /**
     * A byte-count option written as Go writes {@code GOMEMLIMIT} ({@code 512MiB}, {@code 1GiB},
     * a number of bytes), or a one-line message saying what it must be.
     */
    long byteCountOption(String option, long absent, long min, long max) {
        String v = options.get(option);
        if (v == null) {
            return absent;
        }
        long n;
        try {
            n = org.gort.api.ByteCount.parse(v);
        } catch (IllegalArgumentException e) {
            throw new CommandException(option + ": " + e.getMessage());
        }
        if (n < min || n > max) {
            throw new CommandException(option + " " + v + " is out of range (at least "
                    + org.gort.api.ByteCount.formatCompact(min) + ", at most " + org.gort.api.ByteCount.formatCompact(max) + ")");
        }
        return n;
    }
}
