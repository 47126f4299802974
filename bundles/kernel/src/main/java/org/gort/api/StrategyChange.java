package org.gort.api;

/**
 * One change of strategy during a run, as the kernel made it: a swap someone asked for (the
 * shell's {@code swap}, a lab scenario, {@link RunHandle#swapScheduler}, a fallback for a
 * strategy whose bundle went away), or an ejection, the kernel's own replacement of a faulty
 * strategy by the default.
 *
 * <p>A scheduler is ejected when one of its callbacks throws, when it reports nothing
 * runnable while the kernel's records show runnable goroutines it was given (it lost them:
 * Go's {@code checkdead: runnable g}), or when the watchdog finds a goroutine it left waiting
 * too long. Its goroutines are re-readied on the default, so the run goes on; if the failing
 * strategy is the default itself, there is nothing to fall back to, the run ends with a fatal
 * error, and {@link #to} is null.
 *
 * <p>A conformance test fails a strategy on any ejection:
 * <pre>{@code
 * RunResult r = Runtime.run(config, catalog, main, timeout);
 * assertTrue(r.ejections().isEmpty(), () -> r.ejections().get(0).describe());
 * }</pre>
 *
 * @param kind     {@code "scheduler"}, {@code "collector"} or {@code "pacer"}
 * @param from     the strategy replaced
 * @param to       the strategy that replaced it; null if none did (the default itself failed)
 * @param cause    a swap that was asked for, or the kernel's ejection
 * @param reason   why: the reason given with the swap, or what the ejected strategy did
 * @param atNanos  when the change took effect (an ejection: when it was decided), in
 *                 nanoseconds since the run started
 */
public record StrategyChange(String kind, String from, String to, Cause cause, String reason, long atNanos) {
    /** Why a strategy was replaced. */
    public enum Cause {
        /** Someone asked for it (including a fallback for a strategy whose bundle went away). */
        SWAP,
        /** The kernel ejected a faulty strategy and fell back to the default. */
        EJECTION
    }

    public boolean isEjection() {
        return cause == Cause.EJECTION;
    }

    /**
     * One line: {@code scheduler gmp -> legacy-gm (shell)}, {@code scheduler test-drops ejected
     * -> gmp: it lost runnable goroutines 12, 40 (checkdead: runnable g)}.
     */
    public String describe() {
        if (cause == Cause.EJECTION) {
            return kind + " " + from + " ejected -> " + (to == null ? "no fallback (it is the default)" : to) + ": " + reason;
        }
        return kind + " " + from + " -> " + to + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
