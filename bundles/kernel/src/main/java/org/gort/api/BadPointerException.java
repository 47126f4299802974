package org.gort.api;

/**
 * A heap access through an address that is not a live object: nil, outside the heap, not the
 * start of an object, or (under {@code clobberfree}) an object that was freed. Raised in the
 * goroutine that made the access, before any memory is touched; like Go's nil dereference it
 * is a runtime panic ({@code panic: runtime error: ...}).
 */
public class BadPointerException extends GoPanic {
    private final long address;

    public BadPointerException(long address, String message) {
        super(message);
        this.address = address;
    }

    /** The offending address. */
    public long address() {
        return address;
    }
}
