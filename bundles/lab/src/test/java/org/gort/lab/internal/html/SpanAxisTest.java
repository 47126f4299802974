package org.gort.lab.internal.html;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * A log axis over values that are all equal (one pause: every percentile the same) still has a
 * range to draw; JFreeChart's own LogAxis refuses it when the value is large.
 */
class SpanAxisTest {
    @Test
    void equalValuesGetARangeOnALogAxis() {
        for (double v : new double[] {5.046271899999999E7, 1e-3, 3, 1e15}) {
            XYSeries s = new XYSeries("flat");
            s.add(1, v);
            s.add(2, v);
            LogAxis y = new Charts.SpanLogAxis("y");
            y.setSmallestValue(1e-6); // as the pause axes set it
            new XYPlot(new XYSeriesCollection(s), new Charts.SpanLogAxis("x"), y, new XYLineAndShapeRenderer());
            assertTrue(y.getRange().getLength() > 0 && y.getRange().contains(v), v + ": " + y.getRange());
        }
    }
}
