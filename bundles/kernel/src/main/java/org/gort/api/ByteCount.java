package org.gort.api;

/**
 * Byte counts written the way Go writes them in {@code GOMEMLIMIT}: a whole number of bytes
 * with an optional unit, {@code B}, {@code KiB}, {@code MiB}, {@code GiB} or {@code TiB}
 * ({@code 512MiB}, {@code 1GiB}, {@code 1048576}). Go's {@code runtime.parseByteCount}
 * accepts exactly {@code ^[0-9]+(([KMGT]i)?B)?$}; so does {@link #parse}. Decimal units
 * ({@code MB}) and fractions are refused, as Go refuses them, rather than guessed at.
 */
public final class ByteCount {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private ByteCount() {
    }

    /**
     * Go's {@code parseByteCount}.
     *
     * @throws IllegalArgumentException with one line naming the accepted forms, for anything
     *         else or for a count that does not fit in a {@code long}
     */
    public static long parse(String s) {
        String t = s == null ? "" : s.strip();
        int digits = 0;
        while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
            digits++;
        }
        String unit = t.substring(digits);
        int shift = -1;
        if (unit.isEmpty()) {
            shift = 0;
        } else {
            for (int i = 0; i < UNITS.length; i++) {
                if (UNITS[i].equals(unit)) {
                    shift = 10 * i;
                }
            }
        }
        if (digits == 0 || shift < 0) {
            throw new IllegalArgumentException("not a byte count: '" + s
                    + "'; write a whole number with an optional unit B, KiB, MiB, GiB or TiB, e.g. 512MiB");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, digits));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
            throw new IllegalArgumentException("byte count out of range: '" + s + "' (at most " + format(Long.MAX_VALUE) + ")");
        }
        return n << shift;
    }

    /**
     * The largest unit that divides {@code n} exactly, with a space: {@code 512 MiB},
     * {@code 1 GiB}, {@code 1536 KiB}, {@code 1000 bytes}.
     */
    public static String format(long n) {
        for (int i = UNITS.length - 1; i > 0; i--) {
            long unit = 1L << (10 * i);
            if (n >= unit && n % unit == 0) {
                return (n / unit) + " " + UNITS[i];
            }
        }
        return n + " bytes";
    }

    /** {@link #format} without the space, in the form {@link #parse} reads: {@code 512MiB}, {@code 1000}. */
    public static String formatCompact(long n) {
        for (int i = UNITS.length - 1; i > 0; i--) {
            long unit = 1L << (10 * i);
            if (n >= unit && n % unit == 0) {
                return (n / unit) + UNITS[i];
            }
        }
        return Long.toString(n);
    }
}
