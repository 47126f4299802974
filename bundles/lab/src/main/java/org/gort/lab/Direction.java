package org.gort.lab;

/**
 * One claim a scenario checks in its own numbers, e.g. "legacy-gm takes the global lock at
 * least once per schedule", with the numbers it was judged on.
 */
public record Direction(String claim, Status status, String evidence) {
    public enum Status {
        HOLDS,
        FAILS,
        /** A metric it needs was not reported (a strategy that does not count it yet). */
        UNMEASURED
    }

    public boolean holds() {
        return status == Status.HOLDS;
    }

    @Override
    public String toString() {
        return "[" + status.name().toLowerCase() + "] " + claim + (evidence.isEmpty() ? "" : " (" + evidence + ")");
    }
}
