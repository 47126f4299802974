package org.gort.api;

/**
 * The verdict of a workload's output check.
 *
 * @param passed     true if the output is right
 * @param difference what differs (expected vs got), empty when ok
 */
public record Check(boolean passed, String difference) {
    private static final Check OK = new Check(true, "");

    public static Check ok() {
        return OK;
    }

    public static Check failed(String difference) {
        return new Check(false, difference);
    }

    /** Compares line by line and reports the first difference. */
    public static Check expectLines(java.util.List<String> expected, java.util.List<String> got) {
        for (int i = 0; i < Math.max(expected.size(), got.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : "<no line>";
            String g = i < got.size() ? got.get(i) : "<no line>";
            if (!e.equals(g)) {
                return failed("line " + (i + 1) + ": expected '" + e + "', got '" + g + "'");
            }
        }
        return OK;
    }
}
