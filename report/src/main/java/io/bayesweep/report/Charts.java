package io.bayesweep.report;

import io.bayesweep.detect.CorruptionWindow;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** XChart line charts of one metric against the step, one series per run: baselines solid, BNN runs dashed. */
public final class Charts {
    /** Okabe-Ito colours (colour-blind safe), without the yellow that does not show on white. */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0x8C6D31)};

    public static final int WIDTH = 960;
    public static final int HEIGHT = 560;

    /** What a chart shows. */
    public record Metric(String column, String title, String axis) {
    }

    public static final Metric FIDELITY = new Metric("fidelity", "fidelity",
            "fidelity (feature cosine to the references)");
    public static final Metric NOISE = new Metric("noise", "noise", "noise (Immerkaer sigma of the samples)");
    public static final Metric SIGMA1 = new Metric("sigma1", "sigma1",
            "sigma1 (spread around the shot; 0 = collapsed)");
    public static final Metric MEMORIZATION = new Metric("memorization", "memorization",
            "memorization (RMSE to the nearest shot; 0 = copy)");

    public static final List<Metric> METRICS = List.of(FIDELITY, NOISE, SIGMA1, MEMORIZATION);

    private Charts() {
    }

    static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    static BasicStroke stroke(boolean baseline) {
        return baseline ? new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
    }

    /**
     * One metric of the runs of one subject against the step. With {@code shadeWindows}, the corruption
     * detector's windows of each run are shaded in the run's colour (translucent), from onset to end (an open
     * window to the run's last step).
     */
    public static XYChart metricChart(String subject, Metric metric, List<RunData> runs, boolean shadeWindows) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(subject + ": " + metric.title() + " vs step (baseline solid, BNN dashed"
                        + (shadeWindows ? ", detector windows shaded" : "") + ")")
                .xAxisTitle("fine-tuning step").yAxisTitle(metric.axis()).build();
        Styler s = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        chart.getStyler().setPlotGridLinesColor(new Color(0xE4E4E4));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setYAxisDecimalPattern("0.###");
        chart.getStyler().setXAxisMin(0.0);
        s.setMarkerSize(4);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);

        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RunData r : runs) {
            for (double v : r.series(metric.column())[1]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        boolean any = lo <= hi;
        if (!any) {
            // XChart cannot draw an empty chart: one invisible point, and say so in the title
            chart.setTitle(chart.getTitle() + " - no data");
            XYSeries empty = chart.addSeries("no " + metric.column() + " values", new double[] {0}, new double[] {0});
            empty.setMarker(SeriesMarkers.NONE);
            return chart;
        }
        if (shadeWindows) {
            for (int i = 0; i < runs.size(); i++) {
                RunData r = runs.get(i);
                if (r.verdict() == null) {
                    continue;
                }
                int k = 0;
                for (CorruptionWindow w : r.verdict().windows()) {
                    double end = w.end() == null ? r.lastStep() : w.end();
                    double x0 = w.onset();
                    double x1 = Math.max(end, x0 + 1);
                    XYSeries band = chart.addSeries(r.name() + " detector window " + (++k),
                            new double[] {x0, x0, x1, x1}, new double[] {lo, hi, hi, lo});
                    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                    Color c = color(i);
                    band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 45));
                    band.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
                    band.setMarker(SeriesMarkers.NONE);
                    band.setLabel("detector window " + r.name() + " " + w.onset() + "-"
                            + (w.end() == null ? "(open)" : w.end()));
                    band.setShowInLegend(k == 1);
                }
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            RunData r = runs.get(i);
            double[][] xy = r.series(metric.column());
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries series = chart.addSeries(r.name(), xy[0], xy[1]);
            series.setLabel(r.name() + "  (" + r.label() + ")");
            series.setLineColor(color(i));
            series.setLineStyle(stroke(r.baseline()));
            series.setMarker(xy[0].length <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            series.setMarkerColor(color(i));
        }
        return chart;
    }

    public static byte[] png(XYChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /** Several charts in a grid of {@code rows} x {@code cols}, one PNG. */
    public static byte[] png(List<XYChart> charts, int rows, int cols) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }
}
