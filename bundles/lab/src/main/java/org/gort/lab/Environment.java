package org.gort.lab;

import java.time.Instant;

/**
 * Where the numbers were measured, recorded with every result.
 *
 * @param jdk     {@code java.version} and the VM's name
 * @param cores   processors available to the JVM
 * @param os      name, version and architecture
 * @param gort    the lab's version
 * @param started when the run or comparison began
 */
public record Environment(String jdk, int cores, String os, String gort, Instant started) {
    public static Environment current() {
        return new Environment(System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                org.gort.lab.internal.Version.GORT, Instant.now());
    }

    /** One line: {@code JDK 25 (OpenJDK 64-Bit Server VM) · 2 cores · Linux ... · gort 0.1.0}. */
    public String line() {
        return "JDK " + jdk + " · " + cores + " cores · " + os + " · gort " + gort;
    }
}
