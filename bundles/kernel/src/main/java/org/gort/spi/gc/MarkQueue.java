package org.gort.spi.gc;

/**
 * How grey objects wait to be scanned (since 1.11): one at a time on a LIFO work list, or, for
 * small objects, by span on a FIFO span queue (Green Tea, Go 1.25 and later).
 */
public enum MarkQueue {
    /**
     * Every grey object with pointer slots goes on its P's LIFO work buffer ({@code gcWork},
     * {@code greyobject}) and is scanned alone: Go 1.5 to 1.24.
     */
    OBJECTS,
    /**
     * A small object (at most 512 bytes) with pointer slots is
     * only marked; its span (the 8 KiB page it starts in) goes on a FIFO span queue unless it
     * is queued already, and a worker that takes the span scans every object marked and not yet
     * scanned in it, in address order ({@code tryDeferToSpanScan}, {@code scanSpan}). Larger
     * objects go on the work buffers as under {@link #OBJECTS}. Green Tea: Go 1.25
     * (GOEXPERIMENT=greenteagc), the default in 1.26.
     */
    SPANS
}
