package org.gort.kernel;

/** The public face of {@link SelectImpl} for the API package. */
public final class Selects {
    private Selects() {
    }

    /** The chosen case (-1: default) and, for a receive, its value and ok flag. */
    public record Result(int index, Object value, boolean ok) {
    }

    public static Result select(HChan<?>[] chans, boolean[] send, Object[] values, boolean hasDefault) {
        SelectImpl.Case[] cases = new SelectImpl.Case[chans.length];
        for (int i = 0; i < chans.length; i++) {
            cases[i] = new SelectImpl.Case(chans[i], send[i], values[i]);
        }
        Result r = SelectImpl.select(cases, hasDefault);
        int i = r.index();
        if (i >= 0 && !send[i] && chans[i] != null) {
            chans[i].received(r.value()); // --check-roots: a received address is valid until the next safepoint
        }
        return r;
    }
}
