package org.gort.shell;

/**
 * A command that cannot do what was asked: bad input or a failed run. Its message is one line
 * that says what exists or what to do; the shell prints the message alone, never a stack trace.
 */
final class CommandException extends RuntimeException {
    CommandException(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
