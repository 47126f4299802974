package org.gort.api;

/**
 * One workload parameter: a name, a type, a default and what it means.
 *
 * @param name         e.g. {@code n}
 * @param type         how the value is parsed
 * @param defaultValue the value used when none is given, in the type's text form
 * @param description  one line
 */
public record Param(String name, Type type, String defaultValue, String description) {
    /** Parameter types; numbers accept {@code 1e6} and {@code 1_000_000}. */
    public enum Type { INT, LONG, DOUBLE, BOOL, DURATION_MS, STRING }

    public Param {
        // validate the default eagerly so a workload with a bad default fails at registration
        Params.convert(name, type, defaultValue);
    }

    public static Param ofInt(String name, int dflt, String description) {
        return new Param(name, Type.INT, Integer.toString(dflt), description);
    }

    public static Param ofLong(String name, long dflt, String description) {
        return new Param(name, Type.LONG, Long.toString(dflt), description);
    }

    public static Param ofDouble(String name, double dflt, String description) {
        return new Param(name, Type.DOUBLE, Double.toString(dflt), description);
    }

    public static Param ofBool(String name, boolean dflt, String description) {
        return new Param(name, Type.BOOL, Boolean.toString(dflt), description);
    }

    public static Param ofMillis(String name, long dflt, String description) {
        return new Param(name, Type.DURATION_MS, Long.toString(dflt), description);
    }

    @Override
    public String toString() {
        return name + " (" + type.name().toLowerCase().replace("_ms", " ms") + ", default " + defaultValue + ")";
    }
}
