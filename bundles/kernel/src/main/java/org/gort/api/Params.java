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
            values.put(p.name(), convert(p.name(), p.type(), p.defaultValue(), p.min(), p.max()));
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
            values.put(name, convert(name, p.type(), arg.substring(eq + 1), p.min(), p.max()));
        }
        return new Params(Collections.unmodifiableMap(values));
    }

    private static String describe(Workload w) {
        return w.parameters().isEmpty() ? "no parameters"
                : w.parameters().stream().map(Param::toString).collect(Collectors.joining(", "));
    }

    /**
     * {@code text} as a value of {@code type} within {@code [min, max]} (null: the type's own
     * limit). A number must be written in ASCII digits: Java's parsers also take other scripts'
     * digits ({@code １０}), which Go's strconv refuses.
     */
    static Object convert(String name, Param.Type type, String text, String min, String max) {
        String t = text.trim().replace("_", "");
        Object v;
        try {
            if (type != Param.Type.STRING && !t.chars().allMatch(c -> c < 128)) {
                throw new NumberFormatException();
            }
            v = switch (type) {
                case INT, LONG, DURATION_MS -> parseWhole(t);
                case DOUBLE -> {
                    double d = Double.parseDouble(t);
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOL -> switch (t.toLowerCase()) {
                    case "true", "1", "yes", "on" -> true;
                    case "false", "0", "no", "off" -> false;
                    default -> throw new NumberFormatException();
                };
                case STRING -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " must be " + article(type) + ", got '" + text + "'");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("parameter " + name + " is out of range (" + (t.startsWith("-") ? "at least "
                    + (min != null ? min : typeLimit(type, false)) : "at most " + (max != null ? max : typeLimit(type, true)))
                    + "), got '" + text + "'");
        }
        if (v instanceof Long l || v instanceof Double) {
            String lo = min != null ? min : typeLimit(type, false);
            String hi = max != null ? max : typeLimit(type, true);
            if (lo != null && compare(type, v, lo) < 0) {
                throw new IllegalArgumentException("parameter " + name + " is out of range (at least " + lo + "), got '" + text + "'");
            }
            if (hi != null && compare(type, v, hi) > 0) {
                throw new IllegalArgumentException("parameter " + name + " is out of range (at most " + hi + "), got '" + text + "'");
            }
            if (type == Param.Type.INT) {
                return (int) (long) (Long) v;
            }
        }
        return v;
    }

    /** The type's own smallest or largest value, as text; null where the type has none. */
    static String typeLimit(Param.Type type, boolean max) {
        return switch (type) {
            case INT -> Integer.toString(max ? Integer.MAX_VALUE : Integer.MIN_VALUE);
            case LONG, DURATION_MS -> Long.toString(max ? Long.MAX_VALUE : Long.MIN_VALUE);
            case DOUBLE, BOOL, STRING -> null;
        };
    }

    /** Compares two values of a numeric type, each a parsed value or its text form. */
    static int compare(Param.Type type, Object a, Object b) {
        if (type == Param.Type.DOUBLE) {
            return Double.compare(asDouble(a), asDouble(b));
        }
        return Long.compare(asLong(a), asLong(b));
    }

    private static double asDouble(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString());
    }

    private static long asLong(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
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

    /**
     * Whole numbers, also written as {@code 1e6}; {@link ArithmeticException} for one beyond a
     * long, so that it is reported as out of range rather than as not a number.
     */
    private static long parseWhole(String t) {
        if (t.contains("e") || t.contains("E")) {
            double d = Double.parseDouble(t);
            if (d != Math.rint(d)) {
                throw new NumberFormatException();
            }
            if (Math.abs(d) >= 0x1p63) {
                throw new ArithmeticException();
            }
            return (long) d;
        }
        if (!t.matches("[+-]?[0-9]+")) {
            throw new NumberFormatException();
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ArithmeticException(); // digits only, so it is too long
        }
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
