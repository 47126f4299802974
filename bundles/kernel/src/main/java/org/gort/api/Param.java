package org.gort.api;

/**
 * One workload parameter: a name, a type, a default, what it means, and the range of values it
 * takes.
 *
 * <p>A value outside the range is refused before anything runs, with one line that names the
 * bound ({@code parameter n is out of range (at most 1000000), got '99999999999'}); the range is
 * listed with the parameter ({@code ./gort workloads}). Numbers are written in ASCII digits.
 *
 * @param name         e.g. {@code n}
 * @param type         how the value is parsed
 * @param defaultValue the value used when none is given, in the type's text form
 * @param description  one line
 * @param min          the smallest value, in the type's text form; null: the type's own limit
 *                     (none for booleans and text)
 * @param max          the largest value, likewise
 */
public record Param(String name, Type type, String defaultValue, String description, String min, String max) {
    /** Parameter types; numbers accept {@code 1e6} and {@code 1_000_000}. */
    public enum Type { INT, LONG, DOUBLE, BOOL, DURATION_MS, STRING }

    public Param {
        if ((min != null || max != null) && (type == Type.BOOL || type == Type.STRING)) {
            throw new IllegalArgumentException("parameter " + name + ": a " + type.name().toLowerCase() + " has no range");
        }
        // validate the bounds and the default eagerly so a workload with a bad one fails at registration
        if (min != null) {
            Params.convert(name, type, min, null, null);
        }
        if (max != null) {
            Params.convert(name, type, max, null, null);
        }
        if (min != null && max != null && Params.compare(type, min, max) > 0) {
            throw new IllegalArgumentException("parameter " + name + ": min " + min + " is above max " + max);
        }
        Params.convert(name, type, defaultValue, min, max);
    }

    /** A parameter whose range is its type's. */
    public Param(String name, Type type, String defaultValue, String description) {
        this(name, type, defaultValue, description, null, null);
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

    /** This parameter taking whole numbers from {@code min} to {@code max} only. */
    public Param range(long min, long max) {
        if (type != Type.INT && type != Type.LONG && type != Type.DURATION_MS) {
            throw new IllegalArgumentException("parameter " + name + ": a whole-number range for a " + type.name().toLowerCase());
        }
        return new Param(name, type, defaultValue, description, Long.toString(min), Long.toString(max));
    }

    /** This parameter taking whole numbers from {@code min} up to its type's limit. */
    public Param atLeast(long min) {
        return range(min, type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE);
    }

    /** This parameter taking numbers from {@code min} to {@code max} only. */
    public Param range(double min, double max) {
        if (type != Type.DOUBLE) {
            throw new IllegalArgumentException("parameter " + name + ": a decimal range for a " + type.name().toLowerCase());
        }
        return new Param(name, type, defaultValue, description, Double.toString(min), Double.toString(max));
    }

    /** The smallest value, the type's own limit if none was set; null for booleans and text. */
    public String minValue() {
        return min != null ? min : Params.typeLimit(type, false);
    }

    /** The largest value, the type's own limit if none was set; null for booleans and text. */
    public String maxValue() {
        return max != null ? max : Params.typeLimit(type, true);
    }

    /** {@code 1 to 1000000}, as {@code workloads} lists it; empty for booleans and text. */
    public String rangeText() {
        String lo = minValue();
        String hi = maxValue();
        return lo == null ? "" : lo + " to " + hi;
    }

    @Override
    public String toString() {
        String range = rangeText();
        return name + " (" + type.name().toLowerCase().replace("_ms", " ms") + (range.isEmpty() ? "" : " " + range)
                + ", default " + defaultValue + ")";
    }
}
