package org.gort.lab.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version the build stamped into this bundle (Maven resource filtering). */
public final class Version {
    public static final String GORT = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("gort.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
