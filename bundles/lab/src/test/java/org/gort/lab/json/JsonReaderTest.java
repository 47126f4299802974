package org.gort.lab.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader takes what RFC 8259 allows, and refuses the rest in one line naming the offset. */
class JsonReaderTest {
    @Test
    void aDocumentBecomesMapsListsDoublesAndLiterals() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "sieve \"n\"\n\u00e9/");
        expected.put("runs", List.of(1.0, -0.5, 2.5e3, 0.0));
        expected.put("ok", Boolean.TRUE);
        expected.put("no", Boolean.FALSE);
        expected.put("none", null);
        expected.put("empty", Map.of());
        assertEquals(expected, JsonReader.parse(" {\"name\": \"sieve \\\"n\\\"\\n\\u00e9\\/\", \"runs\": [1, -0.5, 2.5E+3, 0],\r\n"
                + "\t\"ok\": true, \"no\": false, \"none\": null, \"empty\": {}} "));
        assertEquals(List.of(), JsonReader.parse("[]"));
    }

    @Test
    void whatTheGrammarDoesNotAllowIsOneLineNamingTheOffset() {
        for (String bad : Arrays.asList("[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[tru]", "nul",
                "\"a\u0001b\"", "\"\\x\"", "\"\\u12\"", "\"open", "[1] [2]", "{a:1}", "\u00a0[1]", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not valid JSON at offset "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
