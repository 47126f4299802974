package org.gort.lab.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259): objects become insertion-ordered {@code Map<String, Object>},
 * arrays {@code List<Object>}, numbers {@code Double}, and {@code true}, {@code false},
 * {@code null} themselves. Anything the grammar does not allow (a trailing comma, a bare word, a
 * number such as {@code 01} or {@code 1.}, an unescaped control character in a string,
 * whitespace other than JSON's four, text after the value) is an
 * {@link IllegalArgumentException} naming the offset. The lab reads its saved results with it,
 * and tests check with it that what gort writes is JSON.
 */
public final class JsonReader {
    private final String s;
    private int i;

    private JsonReader(String s) {
        this.s = s;
    }

    /** The value {@code text} holds, as above; a malformed text is one {@link IllegalArgumentException}. */
    public static Object parse(String text) {
        JsonReader r = new JsonReader(text);
        r.space();
        Object v = r.value();
        r.space();
        if (r.i != text.length()) {
            throw r.error("text after the JSON value");
        }
        return v;
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String k = string();
            space();
            expect(':');
            space();
            m.put(k, value());
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            space();
            l.add(value());
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                i--;
                throw error("unescaped control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                        throw error("bad \\u escape");
                    }
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    /** RFC 8259's number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private Double number() {
        int start = i;
        if (at('-')) {
            i++;
        }
        if (at('0')) {
            i++;
        } else if (digit()) {
            while (digit()) {
                i++;
            }
        } else {
            throw error(i < s.length() ? "unexpected character '" + s.charAt(i) + "'" : "unexpected end");
        }
        if (at('.')) {
            i++;
            if (!digit()) {
                throw error("expected a digit after the point");
            }
            while (digit()) {
                i++;
            }
        }
        if (at('e') || at('E')) {
            i++;
            if (at('+') || at('-')) {
                i++;
            }
            if (!digit()) {
                throw error("expected an exponent");
            }
            while (digit()) {
                i++;
            }
        }
        return Double.valueOf(s.substring(start, i));
    }

    private boolean at(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private boolean digit() {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("unexpected word");
        }
        i += word.length();
        return v;
    }

    private char peek() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void space() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not valid JSON at offset " + i + ": " + what);
    }
}
