package io.bayesweep.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores the detector against a directory of labelled traces ({@link TraceLabels}): each trace is
 * replayed through a fresh {@link CorruptionDetector}, and its detected windows are compared with
 * the labelled ones. A detected window and a labelled one <em>match</em> when they overlap (both
 * taken as [onset, end), an open end reaching past the trace's last step).
 *
 * <ul>
 *   <li>precision: detected windows that overlap a labelled one / detected windows;</li>
 *   <li>recall: labelled windows that some detected window overlaps / labelled windows; F1 their
 *       harmonic mean;</li>
 *   <li>onset delay of a matched labelled window, in eval steps: (onset of the first overlapping
 *       detected window - labelled onset) / the trace's eval interval (the median step difference);</li>
 *   <li>alert delay: the same from the point whose verdict said {@code enteredWindow} (when the
 *       live detector would have raised the alert);</li>
 *   <li>false alarms: detected windows on traces with no labelled window (clean, spike, drift, ...).</li>
 * </ul>
 */
public final class DetectionEvaluation {

    /** One trace's outcome. */
    public record TraceResult(String file, String kind, List<TraceLabels.LabelledWindow> labelled,
                              List<CorruptionWindow> detected, List<Long> alertSteps, long evalEvery,
                              long lastStep, DetectorState finalState) {

        /** Labelled windows no detected window overlaps. */
        public List<TraceLabels.LabelledWindow> missed() {
            return labelled.stream().filter(l -> firstOverlapping(l) < 0).toList();
        }

        /** Detected windows that overlap no labelled window. */
        public List<CorruptionWindow> spurious() {
            return detected.stream().filter(d -> labelled.stream().noneMatch(l -> overlaps(d, l))).toList();
        }

        int firstOverlapping(TraceLabels.LabelledWindow l) {
            for (int i = 0; i < detected.size(); i++) {
                if (overlaps(detected.get(i), l)) {
                    return i;
                }
            }
            return -1;
        }

        boolean overlaps(CorruptionWindow d, TraceLabels.LabelledWindow l) {
            long dEnd = d.end() == null ? Long.MAX_VALUE : d.end();
            long lEnd = l.end() == null ? Long.MAX_VALUE : l.end();
            return d.onset() < lEnd && l.onset() < dEnd;
        }
    }

    /** The scores over a directory. */
    public record Report(String detector, String dir, List<TraceResult> traces, int labelledWindows,
                         int detectedWindows, int matchedLabelled, int matchedDetected, double precision,
                         double recall, double f1, double[] onsetDelays, double[] alertDelays,
                         int cleanTraces, int falseAlarms, int tracesWithFalseAlarms,
                         Map<String, int[]> falseAlarmsByKind) {

        public double medianOnsetDelay() {
            return median(onsetDelays);
        }

        public double maxOnsetDelay() {
            return max(onsetDelays);
        }

        public double medianAlertDelay() {
            return median(alertDelays);
        }

        public double maxAlertDelay() {
            return max(alertDelays);
        }

        /** False alarms (windows) on traces of the given kinds, which must have no labelled window. */
        public int falseAlarmsOn(String kindPrefix) {
            return falseAlarmsByKind.entrySet().stream().filter(e -> e.getKey().startsWith(kindPrefix))
                    .mapToInt(e -> e.getValue()[0]).sum();
        }

        /** The report as printed by {@code sweep detect --evaluate}. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("detector " + detector + " on " + traces.size() + " traces in " + dir + " (" + labelledWindows
                    + " labelled windows)");
            lines.add(String.format(Locale.ROOT, "precision %.3f  recall %.3f  F1 %.3f", precision, recall, f1));
            lines.add("windows: " + matchedDetected + "/" + detectedWindows + " detected overlap a labelled window, "
                    + matchedLabelled + "/" + labelledWindows + " labelled are found");
            lines.add("onset delay (eval steps, detected onset - labelled onset): median " + number(medianOnsetDelay())
                    + ", max " + number(maxOnsetDelay()) + " over " + onsetDelays.length + " found windows");
            lines.add("alert delay (eval steps, confirming point - labelled onset): median " + number(medianAlertDelay())
                    + ", max " + number(maxAlertDelay()));
            StringBuilder byKind = new StringBuilder();
            falseAlarmsByKind.forEach((kind, counts) -> byKind.append(byKind.length() == 0 ? "" : ", ")
                    .append(kind).append(' ').append(counts[0]).append(" on ").append(counts[1]));
            lines.add("false alarms: " + falseAlarms + " windows on " + tracesWithFalseAlarms + " of " + cleanTraces
                    + " traces without a labelled window" + (byKind.length() == 0 ? "" : " (" + byKind + ")"));
            for (TraceResult t : traces) {
                for (TraceLabels.LabelledWindow l : t.missed()) {
                    lines.add("missed: " + t.file() + " " + l.onset() + ".." + (l.end() == null ? "end" : l.end()));
                }
                for (CorruptionWindow d : t.spurious()) {
                    lines.add("spurious: " + t.file() + " " + d.onset() + ".." + (d.end() == null ? "end" : d.end())
                            + String.format(Locale.ROOT, " depth %.3f", d.depth()));
                }
            }
            return lines;
        }
    }

    private DetectionEvaluation() {
    }

    /** Replays every labelled trace of {@code dir} and scores the detections. */
    public static Report evaluate(Path dir, DetectorParams params) throws IOException {
        List<TraceResult> results = new ArrayList<>();
        for (TraceLabels.LabelledTrace labelled : TraceLabels.read(dir)) {
            results.add(run(dir, labelled, params));
        }
        return score(params.version(), dir.toString(), results);
    }

    static TraceResult run(Path dir, TraceLabels.LabelledTrace labelled, DetectorParams params) throws IOException {
        List<EvalPoint> points = TraceCsv.read(dir.resolve(labelled.file()));
        List<Verdict> verdicts = CorruptionDetector.replay(points, params);
        List<Long> alerts = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.enteredWindow()) {
                alerts.add(v.step());
            }
        }
        Verdict last = verdicts.isEmpty() ? null : verdicts.get(verdicts.size() - 1);
        return new TraceResult(labelled.file(), labelled.kind(), labelled.windows(),
                last == null ? List.of() : last.windows(), alerts, evalInterval(points),
                points.isEmpty() ? 0 : points.get(points.size() - 1).step(),
                last == null ? DetectorState.HEALTHY : last.state());
    }

    static Report score(String detector, String dir, List<TraceResult> traces) {
        int labelled = 0;
        int detected = 0;
        int matchedLabelled = 0;
        int matchedDetected = 0;
        List<Double> onset = new ArrayList<>();
        List<Double> alert = new ArrayList<>();
        int clean = 0;
        int falseAlarms = 0;
        int tracesWithFalseAlarms = 0;
        Map<String, int[]> byKind = new TreeMap<>();
        for (TraceResult t : traces) {
            labelled += t.labelled().size();
            detected += t.detected().size();
            matchedDetected += t.detected().size() - t.spurious().size();
            for (TraceLabels.LabelledWindow l : t.labelled()) {
                int i = t.firstOverlapping(l);
                if (i >= 0) {
                    matchedLabelled++;
                    onset.add((double) (t.detected().get(i).onset() - l.onset()) / t.evalEvery());
                    alert.add((double) (t.alertSteps().get(i) - l.onset()) / t.evalEvery());
                }
            }
            if (t.labelled().isEmpty()) {
                clean++;
                falseAlarms += t.detected().size();
                tracesWithFalseAlarms += t.detected().isEmpty() ? 0 : 1;
                int[] counts = byKind.computeIfAbsent(t.kind(), k -> new int[2]);
                counts[0] += t.detected().size();
                counts[1]++;
            }
        }
        double precision = detected == 0 ? 1 : (double) matchedDetected / detected;
        double recall = labelled == 0 ? 1 : (double) matchedLabelled / labelled;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Report(detector, dir, List.copyOf(traces), labelled, detected, matchedLabelled, matchedDetected,
                precision, recall, f1, toArray(onset), toArray(alert), clean, falseAlarms, tracesWithFalseAlarms,
                byKind);
    }

    /** The median step difference between consecutive points (1 for fewer than two points). */
    static long evalInterval(List<EvalPoint> points) {
        if (points.size() < 2) {
            return 1;
        }
        double[] diffs = new double[points.size() - 1];
        for (int i = 1; i < points.size(); i++) {
            diffs[i - 1] = points.get(i).step() - points.get(i - 1).step();
        }
        return Math.max(1, Math.round(CorruptionDetector.median(diffs)));
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double median(double[] values) {
        return values.length == 0 ? Double.NaN : CorruptionDetector.median(values);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
