package org.gort.shell;

import java.util.Locale;
import org.gort.api.RuntimeConfig;

/** The four kinds of strategy, with the words a user may type for each. */
enum Kind {
    SCHEDULER("scheduler", "sched", RuntimeConfig.DEFAULT_SCHEDULER),
    ALLOCATOR("allocator", "alloc", RuntimeConfig.DEFAULT_ALLOCATOR),
    COLLECTOR("collector", "gc", RuntimeConfig.DEFAULT_COLLECTOR),
    PACER("pacer", "pacer", RuntimeConfig.DEFAULT_PACER);

    /** The word {@link org.gort.api.RunHandle#activeStrategies()} uses. */
    final String word;
    /** The short word of {@code --sched}, {@code --alloc}, {@code --gc}. */
    final String flag;
    /** gort's built-in default, the fallback when a strategy goes away. */
    final String builtinDefault;

    Kind(String word, String flag, String builtinDefault) {
        this.word = word;
        this.flag = flag;
        this.builtinDefault = builtinDefault;
    }

    /** Accepts {@code scheduler}/{@code sched}, {@code allocator}/{@code alloc}, {@code collector}/{@code gc}, {@code pacer}. */
    static Kind parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (Kind k : values()) {
            if (k.word.equals(t) || k.flag.equals(t)) {
                return k;
            }
        }
        throw new CommandException("unknown kind '" + text + "'; use scheduler (sched), allocator (alloc), collector (gc) or pacer");
    }

    @Override
    public String toString() {
        return word;
    }
}
