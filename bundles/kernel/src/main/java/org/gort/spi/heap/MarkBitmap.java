package org.gort.spi.heap;

/**
 * One mark bit per {@link #GRANULE}-byte granule over the whole heap reservation, owned by the
 * kernel so that any allocator works with any collector (Go keeps {@code gcmarkBits} per span;
 * here the allocator only reads and clears them).
 *
 * <p>Rules every strategy follows:
 * <ul>
 *   <li>A collector marks an object by its start address; {@link #mark} is a CAS, safe from
 *       any number of mark workers.</li>
 *   <li>A tiny block (several small noscan objects packed into one 16-byte block) is live if
 *       any bit inside it is set: the sweeper asks {@link #anyMarked}.</li>
 *   <li>Sweeping a span clears that span's bits ({@link #clear}), so the bitmap is clear when
 *       the next cycle starts marking. Nobody marks while a sweep is in progress.</li>
 * </ul>
 */
public interface MarkBitmap {
    /** Bytes per mark bit: the smallest object alignment. */
    int GRANULE = 4;

    /** Sets the bit of {@code addr}; true if this call set it (it was clear). */
    boolean mark(long addr);

    boolean isMarked(long addr);

    /** True if any bit in {@code [addr, addr + len)} is set. */
    boolean anyMarked(long addr, long len);

    /** Clears every bit in {@code [addr, addr + len)}; {@code addr} and {@code len} are granule multiples. */
    void clear(long addr, long len);

    /** Number of set bits in {@code [addr, addr + len)} (for verification and statistics). */
    long countMarked(long addr, long len);

    /** Granules one {@link #word} covers: 64 bits, 256 bytes of heap. */
    int WORD_BYTES = 64 * GRANULE;

    /**
     * The 64 mark bits of {@code [addr, addr + WORD_BYTES)} in one read, bit {@code i} for the
     * granule at {@code addr + i * GRANULE}; {@code addr} is a multiple of {@link #WORD_BYTES}.
     * Span-based marking reads a span's marks this way (since 1.5).
     */
    default long word(long addr) {
        long w = 0;
        for (int i = 0; i < 64; i++) {
            if (isMarked(addr + (long) i * GRANULE)) {
                w |= 1L << i;
            }
        }
        return w;
    }
}
