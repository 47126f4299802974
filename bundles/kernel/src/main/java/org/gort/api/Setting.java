package org.gort.api;

import java.util.List;

/**
 * A tunable a strategy (or the kernel) reads from the run's properties
 * ({@link RuntimeConfig.Builder#property}): the shell's {@code --set key=value} sets it,
 * {@code strategies --verbose} lists it, and a comparison can sweep it. Keys are dotted and
 * start with the strategy's name ({@code gmp.forcePreemptNS}); a key ending in {@code NS}
 * holds nanoseconds and one ending in {@code Millis} milliseconds, so the shell also accepts
 * a Go duration for it ({@code 10ms}).
 *
 * <p>Most settings are read once, when the run starts. A {@linkplain #live live} one is read
 * where it is used, through the run's current properties ({@code SchedContext.configLong}), so
 * the shell's {@code set key value} changes it while the program runs
 * ({@link RunHandle#setProperty}).
 *
 * @param key          the property name
 * @param defaultValue the value the strategy uses when the key is not set
 * @param description  one line: what it changes, and the Go name it mirrors
 * @param live         whether the strategy reads it while the run goes on, so that it may be
 *                     changed then (false: read when the run starts)
 */
public record Setting(String key, String defaultValue, String description, boolean live) {
    /** A setting read when the run starts. */
    public Setting(String key, String defaultValue, String description) {
        this(key, defaultValue, description, false);
    }

    /** This setting, declared {@linkplain #live live}: the strategy reads it while the run goes on. */
    public Setting whileRunning() {
        return new Setting(key, defaultValue, description, true);
    }

    /** The kernel's own settings, read by the collector toolkit and the heap. */
    public static final List<Setting> KERNEL = List.of(
            new Setting("gc.floating", "false",
                    "count floating garbage at each mark termination (a census: gc.floating.* metrics)"),
            new Setting("gc.forcePeriodMillis", "120000",
                    "Go's forcegcperiod: a cycle starts when none ran for this long (milliseconds)"),
            new Setting("checkptr", "false",
                    "Go's -d=checkptr: check that every pointer the program uses points into an allocated object"),
            new Setting("maxprocs", "0",
                    "the most Ps runtime.GOMAXPROCS(n) may set while the run goes on (at least the starting GOMAXPROCS and the cores)"),
            new Setting("net.poller", "true",
                    "sockets wait in the network poller (Go's netpoll); false makes each socket operation a blocking syscall that holds an M"));
}
