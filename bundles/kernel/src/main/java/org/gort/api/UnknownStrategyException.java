package org.gort.api;

/** A strategy name that no installed bundle provides; the message lists the ones that exist. */
public final class UnknownStrategyException extends IllegalArgumentException {
    public UnknownStrategyException(String message) {
        super(message);
    }
}
