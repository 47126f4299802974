package org.gort.spi.gc;

/**
 * Go's {@code shade}: make a white object grey (set its mark bit and queue it on the calling
 * P's work buffer); nil and already marked objects are left alone. Safe from any goroutine,
 * concurrently with marking. This is what a write barrier calls.
 */
@FunctionalInterface
public interface Shade {
    void shade(long obj);
}
