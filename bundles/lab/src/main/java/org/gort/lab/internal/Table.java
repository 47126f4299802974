package org.gort.lab.internal;

import java.util.ArrayList;
import java.util.List;

/** An aligned plain-text table: columns as wide as their widest cell, two spaces apart. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] rightAligned;

    Table(boolean... rightAligned) {
        this.rightAligned = rightAligned;
    }

    Table row(String... cells) {
        if (cells.length != rightAligned.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + rightAligned.length);
        }
        rows.add(cells);
        return this;
    }

    void appendTo(StringBuilder out, String indent) {
        int[] width = new int[rightAligned.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()));
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < r.length; c++) {
                int pad = width[c] - r[c].codePointCount(0, r[c].length());
                if (c > 0) {
                    line.append("  ");
                }
                if (rightAligned[c]) {
                    line.repeat(' ', pad).append(r[c]);
                } else {
                    line.append(r[c]).repeat(' ', pad);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
