package org.gort.lab;

import java.util.Locale;

/** How {@link Reports} writes a result. */
public enum Format {
    /** An aligned table for people (the default). */
    TEXT,
    /** One row per run and metric and one per aggregate, every row self-describing. */
    CSV,
    /** One record per run and one per aggregate, with the full selections and the environment. */
    JSON,
    /**
     * One self-contained page with charts (SVG drawn by JFreeChart, no script): it opens from
     * disk with no network and prints as it shows.
     */
    HTML;

    /** {@code text}, {@code csv}, {@code json} or {@code html}, any case. */
    public static Format parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "'; use text, csv, json or html");
        }
    }
}
