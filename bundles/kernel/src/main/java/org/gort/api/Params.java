package org.gort.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A workload's parameter values, parsed and typed; bad input fails with a one-line message. */
public final class Params {
    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = values;
    }

    /** Parses {@code name=value} words for {@code w}; unknown names and bad values fail clearly. */
    public static Params parse(Workload w, List<String> args) {
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : w.parameters()) {
            byName.put(p.name(), p);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : byName.values()) {
            values.put(p.name(), convert(p.name(), p.type(), p.defaultValue()));
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected name=value, got '" + arg + "'; " + w.name() + " takes " + describe(w));
            }
            String name = arg.substring(0, eq);
            Param p = byName.get(name);
            if (p == null) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' for " + w.name() + "; it takes " + describe(w));
            }
            values.put(name, convert(name, p.type(), arg.substring(eq + 1)));
        }
        return new Params(Collections.unmodifiableMap(values));
    }

    private static String describe(Workload w) {
        return w.parameters().isEmpty() ? "no parameters"
                : w.parameters().stream().map(Param::toString).collect(Collectors.joining(", "));
    }

    static Object convert(String name, Param.Type type, String text) {
        String t = text.trim().replace("_", "");
        try {
            return switch (type) {
                case INT -> Math.toIntExact(parseWhole(t));
                case LONG, DURATION_MS -> parseWhole(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOL -> switch (t.toLowerCase()) {
                    case "true", "1", "yes", "on" -> true;
                    case "false", "0", "no", "off" -> false;
                    default -> throw new NumberFormatException();
                };
                case STRING -> text;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("parameter " + name + " must be " + article(type) + ", got '" + text + "'");
        }
    }

    private static String article(Param.Type type) {
        return switch (type) {
            case INT, LONG -> "a whole number";
            case DURATION_MS -> "a whole number of milliseconds";
            case DOUBLE -> "a number";
            case BOOL -> "true or false";
            case STRING -> "text";
        };
    }

    /** Whole numbers, also written as {@code 1e6}. */
    private static long parseWhole(String t) {
        if (t.contains("e") || t.contains("E")) {
            double d = Double.parseDouble(t);
            if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) d;
        }
        return Long.parseLong(t);
    }

    public int intValue(String name) {
        return (Integer) get(name);
    }

    public long longValue(String name) {
        return (Long) get(name);
    }

    public double doubleValue(String name) {
        return (Double) get(name);
    }

    public boolean boolValue(String name) {
        return (Boolean) get(name);
    }

    public String stringValue(String name) {
        return String.valueOf(get(name));
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return v;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    /** {@code n=10 m=3}, in declaration order. */
    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
