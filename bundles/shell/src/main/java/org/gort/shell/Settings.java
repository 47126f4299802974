package org.gort.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gort.api.Setting;
import org.gort.api.StrategyCatalog;
import org.gort.spi.alloc.AllocatorStrategy;
import org.gort.spi.gc.CollectorStrategy;
import org.gort.spi.sched.SchedulerStrategy;

/**
 * {@code --set key=value[,value...]}: run properties that strategies read (their
 * {@code settings()}) and the kernel's own ({@link Setting#KERNEL}). A key must be one of
 * those; a key ending in {@code NS} or {@code Millis} also takes a Go duration
 * ({@code 10ms}, {@code 1.5s}, {@code 250us}), converted to its unit.
 */
final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Settings() {
    }

    /** Every known setting by key, and who reads it ("kernel" or a strategy's kind and name). */
    static Map<String, Owned> known(StrategyCatalog catalog) {
        Map<String, Owned> out = new TreeMap<>();
        for (Setting s : Setting.KERNEL) {
            out.put(s.key(), new Owned("kernel", s));
        }
        for (SchedulerStrategy x : catalog.schedulers()) {
            x.settings().forEach(s -> out.putIfAbsent(s.key(), new Owned("scheduler " + x.name(), s)));
        }
        for (AllocatorStrategy x : catalog.allocators()) {
            x.settings().forEach(s -> out.putIfAbsent(s.key(), new Owned("allocator " + x.name(), s)));
        }
        for (CollectorStrategy x : catalog.collectors()) {
            x.settings().forEach(s -> out.putIfAbsent(s.key(), new Owned("collector " + x.name(), s)));
        }
        for (org.gort.spi.pacer.PacerStrategy x : catalog.pacers()) {
            x.settings().forEach(s -> out.putIfAbsent(s.key(), new Owned("pacer " + x.name(), s)));
        }
        return out;
    }

    /** A setting and who reads it. */
    record Owned(String owner, Setting setting) {
    }

    /**
     * The {@code --set} words, each {@code key=value[,value...]}, as key -> values (in the
     * strategies' units), or a one-line message naming the known keys.
     */
    static Map<String, List<String>> parse(List<String> words, Map<String, Owned> known) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0 || eq == word.length() - 1) {
                throw new CommandException("--set needs key=value, got '" + word + "'; keys: " + String.join(", ", known.keySet()));
            }
            String key = word.substring(0, eq).trim();
            if (!known.containsKey(key)) {
                throw new CommandException("unknown setting '" + key + "' for --set; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", known.keySet())));
            }
            List<String> values = new ArrayList<>();
            for (String v : word.substring(eq + 1).split(",")) {
                if (!v.isBlank()) {
                    values.add(inUnit(key, v.trim()));
                }
            }
            if (out.put(key, values) != null) {
                throw new CommandException("--set " + key + " is given twice; give its values once, comma-separated");
            }
        }
        return out;
    }

    /**
     * {@code set key value} on a running program: the value in the key's unit, checked against
     * the setting's kind (a whole number, at least 1 for a duration, where its default is one;
     * true or false where its default is), or a one-line message. A key the strategies read only
     * when the run starts is refused with the keys that can change while it runs.
     */
    static String live(String key, String value, Map<String, Owned> known) {
        Owned o = known.get(key);
        List<String> live = known.entrySet().stream().filter(e -> e.getValue().setting().live()).map(Map.Entry::getKey).toList();
        String settable = live.isEmpty() ? "none of the installed strategies' settings can change while a run goes on"
                : "settable while running: " + String.join(", ", live);
        if (o == null) {
            throw new CommandException("unknown setting '" + key + "'; " + settable);
        }
        if (!o.setting().live()) {
            throw new CommandException(key + " is read when the run starts (give it to the next run: --set " + key + "=" + value
                    + "); " + settable);
        }
        String v = inUnit(key, value.trim());
        String dflt = o.setting().defaultValue();
        if (dflt.matches("-?[0-9]+")) {
            boolean duration = key.endsWith("NS") || key.endsWith("Millis");
            if (!v.matches("-?[0-9]+") || (duration && Long.parseLong(v) < 1)) {
                throw new CommandException(key + " takes " + (duration ? "a duration of at least 1" + (key.endsWith("NS") ? "ns" : "ms")
                        + " (10ms, 250us, or a number of " + (key.endsWith("NS") ? "nanoseconds" : "milliseconds") + ")"
                        : "a whole number") + ", got '" + value + "'");
            }
        } else if (dflt.equals("true") || dflt.equals("false")) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new CommandException(key + " takes true or false, got '" + value + "'");
            }
            v = v.toLowerCase(java.util.Locale.ROOT);
        }
        return v;
    }

    /**
     * A value as a comparison labels it: for an {@code NS} or {@code Millis} key, the duration in
     * Go's {@code time.Duration.String} form ({@code 1ms}, {@code 1.5s}, {@code 2m0s}), however it
     * was typed; else the value as given.
     */
    static String label(String key, String value) {
        long unit = key.endsWith("NS") ? 1 : key.endsWith("Millis") ? 1_000_000 : 0;
        if (unit == 0 || !value.matches("-?[0-9]+")) {
            return value;
        }
        try {
            return goDuration(Math.multiplyExact(Long.parseLong(value), unit));
        } catch (ArithmeticException e) {
            return value;
        }
    }

    /** Go's {@code time.Duration.String}: {@code 1h2m0.5s}, {@code 1.5ms}, {@code 250µs}, {@code 0s}. */
    static String goDuration(long d) {
        if (d == 0) {
            return "0s";
        }
        boolean neg = d < 0;
        long u = Math.abs(d);
        String out;
        if (u < 1_000_000_000L) {
            // below a second: the largest unit in which it is at least 1 (ns, µs, ms), with the fraction
            if (u < 1_000) {
                out = u + "ns";
            } else if (u < 1_000_000) {
                out = fraction(u, 3) + "µs";
            } else {
                out = fraction(u, 6) + "ms";
            }
        } else {
            long h = u / 3_600_000_000_000L;
            long m = u / 60_000_000_000L % 60;
            String sec = fraction(u % 60_000_000_000L, 9) + "s";
            out = (h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" : "") + sec;
        }
        return neg ? "-" + out : out;
    }

    /** {@code v / 10^digits} with the fraction's trailing zeros (and a bare point) removed, as Go's fmtFrac does. */
    private static String fraction(long v, int digits) {
        long p = 1;
        for (int i = 0; i < digits; i++) {
            p *= 10;
        }
        String frac = String.format("%0" + digits + "d", v % p).replaceAll("0+$", "");
        return (v / p) + (frac.isEmpty() ? "" : "." + frac);
    }

    /** {@code value} as the key's unit: a Go duration for an {@code NS} or {@code Millis} key, else as given. */
    static String inUnit(String key, String value) {
        long unit = key.endsWith("NS") ? 1 : key.endsWith("Millis") ? 1_000_000 : 0;
        Matcher m = DURATION.matcher(value);
        if (unit == 0 || !m.matches()) {
            return value;
        }
        double n = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "ns" -> 1d;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
        return Long.toString(Math.round(n / unit));
    }
}
