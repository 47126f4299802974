package org.gort.lab.internal.html;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.function.DoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Draws a JFreeChart as an inline SVG element: scaled by its view box to the page's width, with
 * its own prefix for the clip paths and gradients it defines (several charts share one page),
 * and JFreeChart's element hints on, so every data item is a {@code <g data-ref=...>} group a
 * test can count.
 */
final class Svg {
    static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Color GRID = new Color(0xdddddd);

    static {
        // the charts are drawn into SVG, never on a screen; a JVM started without a display must not try one
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Svg() {
    }

    /** A chart in gort's look: white, light grid, sans-serif, no shadows. */
    static JFreeChart chart(String title, Plot plot, boolean legend) {
        // no theme is applied: a theme would replace the series colours the charts chose
        JFreeChart c = new JFreeChart(title, TITLE, plot, legend);
        c.setBackgroundPaint(Color.WHITE);
        c.getTitle().setFont(TITLE);
        if (c.getLegend() != null) {
            c.getLegend().setItemFont(TEXT);
        }
        if (plot instanceof org.jfree.chart.plot.CombinedDomainXYPlot combined) {
            for (XYPlot sub : combined.getSubplots()) {
                style(sub);
            }
        }
        if (plot instanceof XYPlot xy) {
            style(xy);
        }
        c.setElementHinting(true);
        c.setAntiAlias(true);
        return c;
    }

    static void style(XYPlot p) {
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        p.setOutlineVisible(false);
        for (int i = 0; i < p.getDomainAxisCount(); i++) {
            if (p.getDomainAxis(i) != null) {
                p.getDomainAxis(i).setLabelFont(TEXT);
            }
        }
        for (int i = 0; i < p.getRangeAxisCount(); i++) {
            if (p.getRangeAxis(i) != null) {
                p.getRangeAxis(i).setLabelFont(TEXT);
            }
        }
    }

    /** The chart as an {@code <svg>} element {@code width} by {@code height} user units, ids prefixed by {@code id}. */
    static String render(JFreeChart chart, String id, int width, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix(id + "-");
        g2.setGeomDoubleConverter(Svg::tenth);
        chart.draw(g2, new Rectangle(0, 0, width, height));
        return g2.getSVGElement(id, false, new ViewBox(0, 0, width, height), null, null);
    }

    /**
     * A coordinate to a tenth of a unit (a chart is about 900 units wide): full double precision
     * would more than double the size of every path.
     */
    static String tenth(double v) {
        long t = Math.round(v * 10);
        return t % 10 == 0 ? Long.toString(t / 10) : (t < 0 && t > -10 ? "-0." + (-t) : Long.toString(t / 10) + "." + Math.abs(t % 10));
    }

    /** A {@link NumberFormat} that writes with {@code f} (axis tick labels in gort's units). */
    static NumberFormat format(DoubleFunction<String> f) {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
                return toAppendTo.append(f.apply(number));
            }

            @Override
            public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
                return toAppendTo.append(f.apply(number));
            }

            @Override
            public Number parse(String source, ParsePosition parsePosition) {
                throw new UnsupportedOperationException("chart labels are only written");
            }
        };
    }

    static Color colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
