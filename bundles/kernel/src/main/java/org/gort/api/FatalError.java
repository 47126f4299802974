package org.gort.api;

/**
 * A Go {@code fatal error}: an unrecoverable runtime fault such as unlocking an unlocked
 * mutex or a verification failure. Ends the run with {@code fatal error: <message>}.
 */
public class FatalError extends Error {
    public FatalError(String message) {
        super(message);
    }
}
