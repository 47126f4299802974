package org.gort.spi.alloc;

/**
 * One size class: {@code allocs} blocks of {@code blockSize} bytes handed out (cumulative) for
 * {@code requestedBytes} requested, so {@code internalWaste = allocs * blockSize -
 * requestedBytes} bytes were lost to rounding; {@code spans} spans (page runs) of
 * {@code spanBytes} each hold this class now, losing {@code tailWaste} bytes at their ends.
 * Class 0 stands for large objects, which get their own page runs ({@code blockSize} 0).
 */
public record SizeClassStats(int sizeClass, long blockSize, long allocs, long requestedBytes,
                             long internalWaste, long frees, long spans, long spanBytes, long tailWaste) {
}
