package org.gort.conformance;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * The kit's test names read as sentences: {@code unbufferedSendIsARendezvous} becomes
 * "unbuffered send is a rendezvous", and each run of a parameterized test is named "under" and
 * the strategies it runs under (junit-platform.properties sets {@code under {arguments}}), so
 * a report says "unbuffered send is a rendezvous under fifo".
 */
public final class KitDisplayNames extends DisplayNameGenerator.Standard {
    private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
            Method testMethod) {
        return phrase(testMethod.getName());
    }

    /** "gcStopTheWorldModeTwoRunsSTW" -> "gc stop the world mode two runs STW". */
    static String phrase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (String w : WORD_BOUNDARY.split(camel)) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            boolean acronym = w.length() > 1 && w.equals(w.toUpperCase(Locale.ROOT));
            sb.append(acronym ? w : w.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
