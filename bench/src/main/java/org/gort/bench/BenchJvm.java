package org.gort.bench;

/**
 * The JVM flags every benchmark fork runs with, as constants for {@code @Fork(jvmArgsAppend)}.
 */
final class BenchJvm {
    private BenchJvm() {
    }

    static final String ADD_EXPORTS = "--add-exports";
    static final String JDK_INTERNAL_VM = "java.base/jdk.internal.vm=ALL-UNNAMED";
    static final String JDK_INTERNAL_MISC = "java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String HEAP_MIN = "-Xms2g";
    static final String HEAP_MAX = "-Xmx2g";
    /** As the gort script runs every JVM: 8-byte object headers (JEP 519). */
    static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";
}
