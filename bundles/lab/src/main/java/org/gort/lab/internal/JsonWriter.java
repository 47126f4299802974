package org.gort.lab.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer (RFC 8259), indented two spaces. Numbers that JSON cannot
 * hold (NaN, infinities) are written as null. Misuse (a value where a name is due, an
 * unbalanced end) fails at once rather than producing broken JSON.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** An open object or array and how many members it has so far. */
    private static final class Frame {
        final boolean object;
        int members;

        Frame(boolean object) {
            this.object = object;
        }
    }

    private final Deque<Frame> open = new ArrayDeque<>();
    private boolean nameWritten;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        open.push(new Frame(true));
        return this;
    }

    JsonWriter endObject() {
        return end(true, '}');
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        open.push(new Frame(false));
        return this;
    }

    JsonWriter endArray() {
        return end(false, ']');
    }

    JsonWriter name(String name) {
        if (open.isEmpty() || !open.peek().object || nameWritten) {
            throw new IllegalStateException("a member name outside an object: " + name);
        }
        separator();
        string(name);
        out.append(": ");
        nameWritten = true;
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(double d) {
        beforeValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    JsonWriter member(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, boolean value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("JSON not finished: " + open.size() + " containers open");
        }
        return out.append('\n').toString();
    }

    private JsonWriter end(boolean object, char close) {
        if (open.isEmpty() || open.peek().object != object || nameWritten) {
            throw new IllegalStateException("unbalanced " + close);
        }
        if (open.pop().members > 0) {
            newline();
        }
        out.append(close);
        return this;
    }

    private void beforeValue() {
        if (open.isEmpty()) {
            if (!out.isEmpty()) {
                throw new IllegalStateException("a second top-level JSON value");
            }
            return;
        }
        if (open.peek().object) {
            if (!nameWritten) {
                throw new IllegalStateException("a value in an object needs a name first");
            }
            nameWritten = false;
        } else {
            separator();
        }
    }

    private void separator() {
        if (open.peek().members++ > 0) {
            out.append(',');
        }
        newline();
    }

    private void newline() {
        out.append('\n').repeat("  ", open.size());
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
