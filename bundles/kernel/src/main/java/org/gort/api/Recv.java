package org.gort.api;

/** {@code v, ok := <-c}: {@code ok} is false when the channel is closed and drained. */
public record Recv<T>(T value, boolean ok) {
}
