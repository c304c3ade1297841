package io.bayesweep.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bayesweep.detect.CorruptionDetector;
import io.bayesweep.detect.DetectorParams;
import io.bayesweep.detect.EvalPoint;
import io.bayesweep.detect.TraceCsv;
import io.bayesweep.detect.TraceFormatException;
import io.bayesweep.detect.Verdict;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * One stored run as the report reads it: its spec (from run.json, when there is one), its eval rows, the
 * corruption detector's verdict over its metrics.csv, and the numbers of the summary table.
 */
public final class RunData {
    private final String name;
    private final RunFolder folder;
    private final RunSpec spec;
    private final String status;
    private final double wallSeconds;
    private final List<MetricsCsv.Row> rows;
    private final Verdict verdict;
    private final String detectorError;

    private RunData(String name, RunFolder folder, RunSpec spec, String status, double wallSeconds,
                    List<MetricsCsv.Row> rows, Verdict verdict, String detectorError) {
        this.name = name;
        this.folder = folder;
        this.spec = spec;
        this.status = status;
        this.wallSeconds = wallSeconds;
        this.rows = rows;
        this.verdict = verdict;
        this.detectorError = detectorError;
    }

    /** Reads {@code folder}; its metrics.csv must exist. */
    public static RunData load(RunFolder folder, DetectorParams params) throws IOException {
        String name = folder.dir().getFileName().toString();
        ObjectNode json = null;
        RunSpec spec = null;
        try {
            json = folder.readRunJson();
            spec = folder.readSpec();
        } catch (IOException | RuntimeException e) {
            // a damaged run.json: the run is still charted, as "unknown"
        }
        String status = Files.exists(folder.done()) ? "done"
                : Files.exists(folder.failed()) ? "failed"
                : json != null ? json.path("status").asText("unknown") : "unknown";
        double wall = json == null ? Double.NaN : json.path("wall_seconds").asDouble(Double.NaN);
        List<MetricsCsv.Row> rows = MetricsCsv.read(folder.metrics());
        Verdict verdict = null;
        String error = null;
        try {
            List<EvalPoint> points = TraceCsv.read(folder.metrics());
            List<Verdict> verdicts = CorruptionDetector.replay(points, params);
            verdict = verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
        } catch (TraceFormatException e) {
            error = e.getMessage();
        }
        return new RunData(name, folder, spec, status, wall, rows, verdict, error);
    }

    public String name() {
        return name;
    }

    public RunFolder folder() {
        return folder;
    }

    /** Null when the folder has no (readable) run.json. */
    public RunSpec spec() {
        return spec;
    }

    public String subject() {
        return spec == null ? "unknown" : spec.subject();
    }

    /** True for the plain baseline, and for a run of unknown spec whose kl column is 0 or absent throughout. */
    public boolean baseline() {
        if (spec != null) {
            return spec.baseline();
        }
        return rows.stream().allMatch(r -> !(r.get("sigma_mean") > 0));
    }

    public String label() {
        return spec == null ? name : spec.label();
    }

    public String status() {
        return status;
    }

    public double wallSeconds() {
        return wallSeconds;
    }

    public List<MetricsCsv.Row> rows() {
        return rows;
    }

    /** The detector's verdict after the last point; null for an empty trace or one it could not read. */
    public Verdict verdict() {
        return verdict;
    }

    public String detectorError() {
        return detectorError;
    }

    public long lastStep() {
        return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step();
    }

    /** A metric's (step, value) pairs where it is present and finite. */
    public double[][] series(String metric) {
        List<double[]> pts = new ArrayList<>();
        for (MetricsCsv.Row r : rows) {
            double v = r.get(metric);
            if (Double.isFinite(v)) {
                pts.add(new double[] {r.step(), v});
            }
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    /** A value at a step (NaN and step -1 when absent). */
    public record At(long step, double value) {
        static final At NONE = new At(-1, Double.NaN);

        boolean present() {
            return step >= 0;
        }
    }

    /** The largest value of a metric (the first such step). */
    public At max(String metric) {
        At best = At.NONE;
        for (MetricsCsv.Row r : rows) {
            double v = r.get(metric);
            if (Double.isFinite(v) && (!best.present() || v > best.value())) {
                best = new At(r.step(), v);
            }
        }
        return best;
    }

    /** The smallest value of a metric at steps after {@code after} (NONE when there is none). */
    public At minAfter(String metric, long after) {
        At best = At.NONE;
        for (MetricsCsv.Row r : rows) {
            double v = r.get(metric);
            if (r.step() > after && Double.isFinite(v) && (!best.present() || v < best.value())) {
                best = new At(r.step(), v);
            }
        }
        return best;
    }

    public At first(String metric) {
        for (MetricsCsv.Row r : rows) {
            if (Double.isFinite(r.get(metric))) {
                return new At(r.step(), r.get(metric));
            }
        }
        return At.NONE;
    }

    public At last(String metric) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            MetricsCsv.Row r = rows.get(i);
            if (Double.isFinite(r.get(metric))) {
                return new At(r.step(), r.get(metric));
            }
        }
        return At.NONE;
    }

    /**
     * The deepest fall of a metric below its running maximum: {@code from} is the step of the running maximum,
     * {@code to} the step of the low point, {@code depth} the difference (0 and steps -1 for a trace that never
     * falls).
     */
    public record Drop(long from, long to, double depth) {
    }

    public Drop deepestDrop(String metric) {
        double peak = Double.NaN;
        long peakStep = -1;
        Drop best = new Drop(-1, -1, 0);
        for (MetricsCsv.Row r : rows) {
            double v = r.get(metric);
            if (!Double.isFinite(v)) {
                continue;
            }
            if (!(v <= peak)) {
                peak = v;
                peakStep = r.step();
            } else if (peak - v > best.depth()) {
                best = new Drop(peakStep, r.step(), peak - v);
            }
        }
        return best;
    }
}
