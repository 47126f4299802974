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
