package org.gort.api;

/**
 * The heap reached its limit and the allocator could not satisfy a request, even after the
 * collector (if any) had its chance. Go's {@code fatal error: out of memory}: raised in the
 * allocating goroutine, it ends the run cleanly (status {@code OUT_OF_MEMORY}) with a message
 * naming the limit and how to raise it.
 */
public class HeapExhaustedException extends RuntimeException {
    private final long limitBytes;
    private final long requestBytes;

    public HeapExhaustedException(long limitBytes, long requestBytes) {
        super("out of memory: heap limit " + formatBytes(limitBytes) + " reached allocating " + requestBytes
                + " bytes; raise --max-heap");
        this.limitBytes = limitBytes;
        this.requestBytes = requestBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long requestBytes() {
        return requestBytes;
    }

    static String formatBytes(long n) {
        if (n >= (1L << 30) && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        if (n >= (1L << 20) && n % (1L << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= (1L << 10) && n % (1L << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " bytes";
    }
}
