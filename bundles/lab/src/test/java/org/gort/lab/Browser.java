package org.gort.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

/** One headless Chromium for a test class's pages (see {@link Chromium}), and what every page must show. */
final class Browser {
    /** A chart has axes, a frame and a title besides its data; below this many shapes nothing was drawn. */
    static final int MIN_MARKS = 10;
    private static Chromium chromium;

    private Browser() {
    }

    /** Opens a page, its screenshot beside it as NAME.png. */
    static synchronized Chromium.Page open(Path html) throws Exception {
        if (chromium == null) {
            chromium = Chromium.start();
        }
        String name = html.getFileName().toString().replaceFirst("\\.html$", "");
        Chromium.Page p = chromium.open(html, html.resolveSibling(name + ".png"));
        assertEquals(java.util.List.of(), p.errors(), "console errors on " + html);
        return p;
    }

    /** Data marks drawn in colour: two dots, or a line (one path) and its legend swatch. */
    static final int MIN_COLOURED = 2;

    /** Every chart is on screen, drawn with more shapes than its frame, and has data marks in colour. */
    static void everyChartDrawn(Chromium.Page p) {
        assertFalse(p.figures().isEmpty(), "no chart on " + p.title());
        for (Chromium.Figure f : p.figures()) {
            assertTrue(f.width() > 300, f + " is not laid out");
            assertTrue(f.marks() >= MIN_MARKS, f + " has too few shapes");
            assertTrue(f.coloured() >= MIN_COLOURED, f + " draws no data in colour");
        }
    }

    static synchronized void close() throws Exception {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }
}
