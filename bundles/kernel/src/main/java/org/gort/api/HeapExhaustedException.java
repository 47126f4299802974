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
        super("out of memory: heap limit " + ByteCount.format(limitBytes) + " reached allocating " + requestBytes
                + " bytes; raise the limit, e.g. --max-heap " + ByteCount.formatCompact(raised(limitBytes, requestBytes)));
        this.limitBytes = limitBytes;
        this.requestBytes = requestBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long requestBytes() {
        return requestBytes;
    }

    /** Twice the limit, or enough for the request if that is more. */
    private static long raised(long limit, long request) {
        long twice = limit > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : limit * 2;
        long needed = limit + request;
        if (needed > twice) {
            long mib = 1L << 20;
            return (needed + mib - 1) / mib * mib;
        }
        return twice;
    }
}
